using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// Settings in Debian's Chromium, at desktop and phone sizes: an owner adds a Stripe account (a refused key is shown
/// beside its field and never echoed; the saved credentials appear masked only), writes a routing rule by keyboard, and
/// asks the tester where a payment goes — the answer moves when a rule changes. No CSP violation, nothing wider than
/// the screen; the secret is in no page and no audit entry.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleSettingsBrowserTests(BrowserFixture fixture)
{
    private const string StripeKey = "sk_test_51BrowserSettingsKeyNeverShownP4q8";

    private GatewayServer Gateway => fixture.Gateway;

    [BrowserTheory]
    [InlineData(1280, 900, false, "")]
    [InlineData(390, 844, true, "-phone")]
    public async Task Owner_AddsAnAccount_WritesARule_AndTheTesterFollowsTheRules(int width, int height, bool phone, string suffix)
    {
        var merchant = await Gateway.CreateMerchantAsync("Settings browser shop" + suffix);
        var owner = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Owner, merchant.Id);
        var admin = Gateway.Client(Gateway.AdminKey);
        var fast = (await admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new { provider = "simulator", livemode = false, description = "fast lane" })).EnsureStatus(200).Str("id")!;
        var spare = (await admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new { provider = "simulator", livemode = false, description = "spare lane" })).EnsureStatus(200).Str("id")!;
        var page = await fixture.NewPageAsync(width, height, phone);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, owner);

        // Provider accounts: add a Stripe account. A bad key is refused beside its field and not echoed.
        if (phone)
        {
            await page.GotoAsync($"{Gateway.BaseAddress}console/settings/provider-accounts?merchant={merchant.Id}");
        }
        else
        {
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Provider accounts" }).ClickAsync();
            await page.WaitForURLAsync("**/console/settings/provider-accounts**");
        }

        await page.GetByLabel("Provider").SelectOptionAsync("stripe");
        await page.ClickAsync("#add-account");
        await page.WaitForURLAsync("**/console/settings/provider-accounts/new?**");
        await page.GetByLabel("Description").FillAsync("main stripe");
        await page.GetByLabel("api_key", new() { Exact = true }).FillAsync("pk_test_" + StripeKey[8..]);
        await page.GetByLabel("raw_card_data_enabled", new() { Exact = true }).FillAsync("false");
        await page.ClickAsync("#save-account");
        await Assertions.Expect(page.Locator("#Input_Credentials_api_key_-error")).ToContainTextAsync("must start with sk_ or rk_");
        await Assertions.Expect(page.GetByLabel("api_key", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByLabel("api_key", new() { Exact = true })).ToHaveValueAsync(string.Empty);
        Assert.DoesNotContain(StripeKey[8..], await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByLabel("api_key", new() { Exact = true }).FillAsync(StripeKey);
        await page.GetByLabel("api_key", new() { Exact = true }).PressAsync("Enter");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("was added");
        await Assertions.Expect(page.Locator("#accounts")).ToContainTextAsync("api_key: set ••••" + StripeKey[^4..]);
        await Assertions.Expect(page.Locator("#accounts")).ToContainTextAsync("main stripe");
        Assert.DoesNotContain(StripeKey, await page.ContentAsync(), StringComparison.Ordinal);
        AssertFits(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), width, "provider accounts");
        await BrowserFixture.ScreenshotAsync(page, "console-provider-accounts" + suffix);

        // Routing: add a rule by keyboard — EUR goes to the fast lane.
        await page.GotoAsync($"{Gateway.BaseAddress}console/settings/routing?merchant={merchant.Id}");
        await Assertions.Expect(page.Locator("#no-rules")).ToContainTextAsync("test payments go to the simulator");
        await page.Locator("#add-rule").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console/settings/routing/new?**");
        await page.GetByLabel("Priority").FillAsync("10");
        await page.GetByLabel("Description").FillAsync("euro to the fast lane");
        await page.GetByLabel("Currencies").FillAsync("EUR");
        await page.GetByLabel("Account 1", new() { Exact = true }).SelectOptionAsync(fast);
        await page.GetByLabel("Weight of account 1").FillAsync("abc");
        await page.GetByLabel("Weight of account 1").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#Input_Targets_0__Weight-error")).ToContainTextAsync("Enter a whole number from 1 to 1000");
        await Assertions.Expect(page.GetByLabel("Account 1", new() { Exact = true })).ToHaveValueAsync(fast);
        Assert.Empty(await Gateway.Services.GetRequiredService<IRoutingStore>().ListRoutingRulesAsync(merchant.Id, false, default));
        await page.GetByLabel("Weight of account 1").FillAsync("1");
        await page.GetByLabel("Weight of account 1").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("was added");
        await Assertions.Expect(page.Locator("#rules")).ToContainTextAsync("currency EUR");
        await Assertions.Expect(page.Locator("#rules")).ToContainTextAsync(fast + " (weight 1, 100%)");
        AssertFits(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), width, "routing rules");
        await BrowserFixture.ScreenshotAsync(page, "console-routing-rules" + suffix);

        // The tester: a 20.00 EUR card payment goes to the fast lane, by that rule.
        await page.ClickAsync("#test-routing");
        await page.WaitForURLAsync("**/console/settings/routing/tester?**");
        await page.GetByLabel("Amount").FillAsync("20.00");
        await page.GetByLabel("Currency").FillAsync("EUR");
        await page.GetByLabel("Card brand").FillAsync("visa");
        await page.GetByLabel("Card brand").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#answer-account")).ToHaveTextAsync(fast);
        await Assertions.Expect(page.Locator("#trace")).ToContainTextAsync("matched: decides");
        AssertFits(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), width, "routing tester");

        // A sooner rule for visa to the spare lane moves the answer; the tester says why the old rule no longer decides.
        (await admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new
        {
            livemode = false,
            priority = 1,
            conditions = new { card_brands = new[] { "visa" } },
            targets = new[] { new { provider_account = spare } },
        })).EnsureStatus(200);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#answer-account")).ToHaveTextAsync(spare);
        await Assertions.Expect(page.Locator("#candidates li")).ToHaveCountAsync(2);
        await page.GetByLabel("Card brand").FillAsync("mastercard");
        await page.ClickAsync("#run-test");
        await Assertions.Expect(page.Locator("#answer-account")).ToHaveTextAsync(fast);
        await Assertions.Expect(page.Locator("#trace")).ToContainTextAsync("the card brand is not one of the rule's");
        AssertFits(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), width, "routing tester");
        await BrowserFixture.ScreenshotAsync(page, "console-routing-tester" + suffix);

        var audit = await Gateway.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = owner.Id, Limit = 50 }, default);
        Assert.Contains(audit, a => a.Record.Action == "provider_account.created" && a.Record.Outcome == "succeeded");
        Assert.Contains(audit, a => a.Record.Action == "provider_account.created" && a.Record.Outcome == "refused");
        Assert.Contains(audit, a => a.Record.Action == "routing_rule.created" && a.Record.Outcome == "succeeded");
        Assert.All(audit, a => Assert.DoesNotContain(StripeKey[8..], string.Join(" ", (a.Record.Before?.Values ?? []).Concat(a.Record.After?.Values ?? [])), StringComparison.Ordinal));
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    private static void AssertFits(int scrollWidth, int width, string what) =>
        Assert.True(scrollWidth <= width, $"the {what} page is {scrollWidth}px wide on a {width}px screen");
}
