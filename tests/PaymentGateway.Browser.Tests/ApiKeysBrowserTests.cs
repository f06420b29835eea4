using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// Developers → API keys in Debian's Chromium, desktop and phone: a developer creates a key (its secret shown once),
/// rolls one with a chosen overlap and revokes one, each behind a confirmation; the key stops working and the changes
/// are in the audit trail under the developer's name. A viewer is refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiKeysBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    private async Task<IPage> SignInAsync(ConsoleTestUser user, int width = 1280, int height = 800, bool phone = false)
    {
        var page = await fixture.NewPageAsync(width, height, phone);
        await page.GotoAsync($"{Gateway.BaseAddress}console/signin");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.ClickAsync("#sign-in");
        if (user.TotpSecret is not null)
        {
            await page.WaitForURLAsync("**/console/signin/two-factor**");
            await page.GetByLabel("Code").FillAsync(await user.NextCodeAsync());
            await page.ClickAsync("#verify");
        }

        await page.WaitForURLAsync("**/console");
        return page;
    }

    [BrowserFact]
    public async Task Developer_CreatesRollsAndRevokesKeys_WithConfirmation_Desktop()
    {
        var merchant = await Gateway.CreateMerchantAsync("Keys desktop shop");
        var developer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Developer, merchant.Id);
        var page = await SignInAsync(developer);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.WaitForURLAsync("**/console/developers/api-keys**");
        await Assertions.Expect(page.Locator("#keys tbody tr")).ToHaveCountAsync(2);
        Assert.DoesNotContain(merchant.SecretKey, await page.ContentAsync(), StringComparison.Ordinal);

        // Create: the secret is shown once, and works.
        await page.GetByLabel("Name").FillAsync("order service");
        await page.ClickAsync("#create-key");
        var secret = (await page.Locator("#new-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("sk_test_", secret, StringComparison.Ordinal);
        (await Gateway.Client(secret).GetAsync("/v1/payments")).EnsureStatus(200);
        await Assertions.Expect(page.Locator("#keys")).ToContainTextAsync("order service");
        await BrowserFixture.ScreenshotAsync(page, "console-api-keys-created");
        await page.GotoAsync($"{Gateway.BaseAddress}console/developers/api-keys?merchant={merchant.Id}");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal); // never again
        await Assertions.Expect(page.Locator("#keys tbody tr")).ToHaveCountAsync(3);

        // Roll the merchant's original secret key with a one-hour overlap: both keys work.
        var original = page.Locator("#keys tbody tr", new() { HasText = "…" + merchant.SecretKey[^4..] });
        await original.GetByRole(AriaRole.Button, new() { Name = "Roll" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirm")).ToContainTextAsync("Roll sk_test_…" + merchant.SecretKey[^4..]);
        await page.GetByLabel("Overlap").SelectOptionAsync("3600");
        await BrowserFixture.ScreenshotAsync(page, "console-api-keys-roll-confirm");
        await page.ClickAsync("#confirm-roll");
        var rolled = (await page.Locator("#new-secret").InnerTextAsync()).Trim();
        (await Gateway.Client(rolled).GetAsync("/v1/payments")).EnsureStatus(200);
        (await Gateway.Client(merchant.SecretKey).GetAsync("/v1/payments")).EnsureStatus(200);

        // Revoke the created key: a confirmation, then it is refused.
        await page.Locator("#keys tbody tr", new() { HasText = "…" + secret[^4..] }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirm")).ToContainTextAsync("cannot be undone");
        await page.ClickAsync("#confirm-revoke");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("The key was revoked");
        await Assertions.Expect(page.Locator("#keys tbody tr", new() { HasText = "…" + secret[^4..] })).ToContainTextAsync("revoked");
        Assert.Equal(401, (await Gateway.Client(secret).GetAsync("/v1/payments")).Status);

        var audit = await Gateway.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = developer.Id }, default);
        Assert.Contains(audit, a => a.Record.Action == "api_key.created");
        Assert.Contains(audit, a => a.Record.Action == "api_key.rolled" && a.Record.After?["overlap_seconds"] == "3600");
        Assert.Contains(audit, a => a.Record.Action == "api_key.revoked");
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task ApiKeysPage_OnAPhone_FitsTheScreen_AndCreatesAKey()
    {
        var merchant = await Gateway.CreateMerchantAsync("Keys phone shop");
        var owner = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Owner, merchant.Id);
        var page = await SignInAsync(owner, 390, 844, phone: true);
        await page.GotoAsync($"{Gateway.BaseAddress}console/developers/api-keys?merchant={merchant.Id}");
        await page.GetByLabel("Type").SelectOptionAsync("publishable");
        await page.ClickAsync("#create-key");
        Assert.StartsWith("pk_test_", (await page.Locator("#new-secret").InnerTextAsync()).Trim(), StringComparison.Ordinal);
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the API keys page is {scrollWidth}px wide on a 390px phone");
        await BrowserFixture.ScreenshotAsync(page, "console-api-keys-phone");
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Viewer_IsRefusedTheApiKeysPage()
    {
        var merchant = await Gateway.CreateMerchantAsync("Keys viewer shop");
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, merchant.Id);
        var page = await SignInAsync(viewer);
        Assert.Equal(0, await page.Locator(".site-nav a[href='/console/developers/api-keys']").CountAsync());
        var response = await page.GotoAsync($"{Gateway.BaseAddress}console/developers/api-keys?merchant={merchant.Id}");
        Assert.Equal(403, response?.Status);
        await page.Context.CloseAsync();
    }
}
