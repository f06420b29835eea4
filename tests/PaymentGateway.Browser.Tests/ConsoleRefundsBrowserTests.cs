using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The console's Refunds page in Debian's Chromium, at desktop and phone sizes: a viewer filters the list by status and
/// currency from the keyboard, a bad date is refused next to its field, and a refund's payment link opens the payment.
/// No CSP violation, nothing wider than the phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleRefundsBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserTheory]
    [InlineData(1280, 900, false, "console-refunds")]
    [InlineData(390, 844, true, "console-refunds-phone")]
    public async Task Viewer_FiltersRefunds_IsToldOfABadDateNextToTheField_AndOpensARefundsPayment(int width, int height, bool phone, string screenshot)
    {
        var api = Gateway.Client(fixture.Keys.SecretKey);
        var method = (await Gateway.Client(fixture.Keys.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = "4242424242424242", exp_month = 12, exp_year = DateTime.UtcNow.Year + 2, cvc = "123" },
        })).EnsureStatus(200).Str("id");
        var payment = (await api.PostAsync("/v1/payments", new { amount = 4200, currency = "EUR", payment_method = method, confirm = true }))
            .EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no payment");
        var refund = (await api.PostAsync("/v1/refunds", new { payment, amount = 1250 })).EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no refund");
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(width, height, phone);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, viewer);

        await page.GotoAsync($"{Gateway.BaseAddress}console/refunds?merchant={fixture.Keys.Id}");
        await page.GetByLabel("Status").SelectOptionAsync("succeeded");
        await page.GetByLabel("Currency").FillAsync("eur");
        await page.GetByLabel("Currency").PressAsync("Enter");
        await page.WaitForURLAsync("**currency=eur**");
        var row = page.Locator("#refunds tbody tr", new() { HasText = refund });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("12.50 EUR");
        await Assertions.Expect(row).ToContainTextAsync("succeeded");
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the refunds page is {scrollWidth}px wide on a {width}px screen");
        await BrowserFixture.ScreenshotAsync(page, screenshot);

        // A bad date: the message sits next to the field, the field is marked invalid, and nothing is listed.
        await page.GetByLabel("Created from (YYYY-MM-DD)").FillAsync("2026-02-30");
        await page.ClickAsync("#apply-filters");
        await Assertions.Expect(page.Locator("#filter-from-error")).ToHaveTextAsync("Enter a date as YYYY-MM-DD.");
        await Assertions.Expect(page.GetByLabel("Created from (YYYY-MM-DD)")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#refunds tbody tr")).ToHaveCountAsync(0);

        // The refund's payment, by keyboard.
        await page.GetByLabel("Created from (YYYY-MM-DD)").FillAsync(string.Empty);
        await page.ClickAsync("#apply-filters");
        var link = page.Locator("#refunds a", new() { HasText = payment });
        await link.First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/console/payments/{payment}");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(refund);
        Assert.DoesNotContain("4242424242424242", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
