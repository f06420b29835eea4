using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The console's Customers pages in Debian's Chromium, on a phone: a support agent finds a customer by e-mail, reads its
/// saved cards (brand, last 4, expiry, default) and detaches one by keyboard through its labelled button; the payment
/// that saved the card links to the customer. No CSP violation, nothing wider than the phone, no card number on a page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleCustomersBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserFact]
    public async Task Support_OnAPhone_FindsACustomerByEmail_ReadsItsSavedCards_AndDetachesOneByKeyboard()
    {
        var email = $"browser-{Guid.NewGuid():N}@shop.example";
        var api = Gateway.Client(fixture.Keys.SecretKey);
        var customer = (await api.PostAsync("/v1/customers", new { email, name = "Ada Subscriber" })).EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no id");
        var method = (await Gateway.Client(fixture.Keys.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = "4000000000003089", exp_month = 7, exp_year = DateTime.UtcNow.Year + 2, cvc = "123" },
        })).EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no id");
        var payment = (await api.PostAsync("/v1/payments", new { amount = 1990, currency = "EUR", customer, payment_method = method, setup_future_usage = "off_session", confirm = true }))
            .EnsureStatus(200).Str("id");
        var support = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Support, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, support);

        await page.GotoAsync($"{Gateway.BaseAddress}console/customers?merchant={fixture.Keys.Id}");
        await page.GetByLabel("E-mail").FillAsync(email.ToUpperInvariant());
        await page.GetByLabel("E-mail").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#customers tbody tr")).ToHaveCountAsync(1);
        await page.Locator("#customers a", new() { HasText = customer }).ClickAsync();
        await page.WaitForURLAsync($"**/console/customers/{customer}?**");
        await Assertions.Expect(page.Locator("#email")).ToHaveTextAsync(email);
        await Assertions.Expect(page.Locator("#saved-cards tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#saved-cards")).ToContainTextAsync("visa •••• 3089");
        await Assertions.Expect(page.Locator("#saved-cards")).ToContainTextAsync($"07/{DateTime.UtcNow.Year + 2}");
        await Assertions.Expect(page.Locator("#saved-cards")).ToContainTextAsync("off session");
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the customer page is {scrollWidth}px wide on a 390px phone");
        await BrowserFixture.ScreenshotAsync(page, "console-customer-phone");

        // By keyboard: the button is named for the card it detaches.
        var detach = page.GetByRole(AriaRole.Button, new() { Name = $"Detach visa •••• 3089 ({method}); it can no longer be charged" });
        await detach.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**done=detached");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("detached and erased");
        await Assertions.Expect(page.Locator("#no-cards")).ToBeVisibleAsync();
        var card = (await api.GetAsync($"/v1/payment_methods/{method}")).EnsureStatus(200);
        Assert.True(card.Json.TryGetProperty("detached_at", out var detachedAt) && detachedAt.ValueKind == System.Text.Json.JsonValueKind.String);

        await page.GotoAsync($"{Gateway.BaseAddress}console/payments/{payment}");
        await Assertions.Expect(page.Locator("#saved-method")).ToContainTextAsync("saved on this payment for off session use");
        await page.Locator("#customer").ClickAsync();
        await page.WaitForURLAsync($"**/console/customers/{customer}?**");
        Assert.DoesNotContain("4000000000003089", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
