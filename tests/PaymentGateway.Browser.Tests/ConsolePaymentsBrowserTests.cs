using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The console's Payments pages in Debian's Chromium: a support agent finds a payment by its order id, opens it and
/// refunds part of it through the confirmation (a double click makes one refund); on a phone a viewer searches, reads a
/// payment and is offered no action. No CSP violation, nothing wider than the phone, no card number on any page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsolePaymentsBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserFact]
    public async Task Support_FindsAPaymentByOrderId_AndRefundsPartOfIt_ADoubleClickMakesOneRefund_Desktop()
    {
        var order = "ord-" + Guid.NewGuid().ToString("N")[..8];
        var payment = await PayAsync(2500, order);
        await PayAsync(990, "ord-other");
        var support = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Support, fixture.Keys.Id);
        var page = await fixture.NewPageAsync();
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, support);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Payments" }).ClickAsync();
        await page.WaitForURLAsync("**/console/payments");
        await page.GetByLabel("Metadata value (order id)").FillAsync(order);
        await page.ClickAsync("#apply-filters");
        await Assertions.Expect(page.Locator("#payments tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#payments")).ToContainTextAsync("25.00 EUR");
        await BrowserFixture.ScreenshotAsync(page, "console-payments");

        await page.Locator("#payments a", new() { HasText = payment }).ClickAsync();
        await page.WaitForURLAsync($"**/console/payments/{payment}");
        await Assertions.Expect(page.Locator("#card")).ToContainTextAsync("visa •••• 4242");
        Assert.Equal("succeeded", await page.Locator("#states li[aria-current='step']").InnerTextAsync());
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("payment.succeeded");
        await Assertions.Expect(page.Locator("#attempts tbody tr")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "console-payment-detail");

        await page.ClickAsync("#refund");
        await page.GetByLabel("Amount").FillAsync("10.50");
        await page.ClickAsync("#review");
        await Assertions.Expect(page.Locator("#confirm-statement")).ToContainTextAsync("Refund 10.50 EUR to the customer?");
        await BrowserFixture.ScreenshotAsync(page, "console-refund-confirm");
        await page.Locator("#confirm").DblClickAsync();

        // The second click's POST may abort the first one's navigation, so poll the address rather than wait for one navigation.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/console/payments/{payment}\\?done="));
        await Assertions.Expect(page.Locator("#refunds tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#refunded")).ToHaveTextAsync("10.50 EUR");
        var refunds = (await Gateway.Client(fixture.Keys.SecretKey).GetAsync($"/v1/refunds?payment={payment}")).EnsureStatus(200);
        Assert.Single(refunds.Json.GetProperty("data").EnumerateArray());
        Assert.DoesNotContain("4242424242424242", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Viewer_OnAPhone_SearchesAndReadsAPayment_WithNoActionOffered_AndABadFilterIsExplained()
    {
        var order = "ord-" + Guid.NewGuid().ToString("N")[..8];
        var payment = await PayAsync(1200, order);
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, viewer);

        await page.GotoAsync($"{Gateway.BaseAddress}console/payments?last4=12");
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        var last4 = page.GetByLabel("Card last 4");
        Assert.Equal("true", await last4.GetAttributeAsync("aria-invalid"));
        await Assertions.Expect(page.Locator("#filter-last4-error")).ToHaveTextAsync("Enter the card's last 4 digits.");
        await BrowserFixture.ScreenshotAsync(page, "console-payments-error-phone");

        await page.GetByLabel("Go to an id").FillAsync(payment);
        await last4.FillAsync(string.Empty);
        await page.GetByLabel("Go to an id").PressAsync("Enter");
        await page.WaitForURLAsync($"**/console/payments/{payment}");
        await Assertions.Expect(page.Locator("#amount")).ToHaveTextAsync("12.00 EUR");
        await Assertions.Expect(page.Locator("#payment-actions a")).ToHaveCountAsync(0);
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the payment page is {scrollWidth}px wide on a 390px phone");
        await BrowserFixture.ScreenshotAsync(page, "console-payment-detail-phone");

        var refund = await page.GotoAsync($"{Gateway.BaseAddress}console/payments/{payment}/refund");
        Assert.Equal(403, refund?.Status);
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public Task Owner_Home_ShowsTheDayAndWeek_RecentFailures_AndWebhookHealth_Desktop() => HomeAsync(1280, 900, phone: false);

    [BrowserFact]
    public Task Owner_Home_ShowsTheDayAndWeek_RecentFailures_AndWebhookHealth_Phone() => HomeAsync(390, 844, phone: true);

    private async Task HomeAsync(int width, int height, bool phone)
    {
        var declined = await DeclineAsync();
        await WaitForTheWeeksRollupAsync();
        var owner = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Owner, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(width, height, phone);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, owner);

        await Assertions.Expect(page.Locator("#figures-today .count")).ToContainTextAsync("attempted");
        await Assertions.Expect(page.Locator("#figures-week .rate")).ToContainTextAsync("%");
        await Assertions.Expect(page.Locator("#failures")).ToContainTextAsync(declined);
        await Assertions.Expect(page.Locator("#failures")).ToContainTextAsync("insufficient_funds");
        await Assertions.Expect(page.Locator("#webhook-health")).ToContainTextAsync("endpoints enabled");
        await page.Locator("#failures a", new() { HasText = declined }).ClickAsync();
        await page.WaitForURLAsync($"**/console/payments/{declined}");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("failed");
        await page.GoBackAsync();
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"home is {scrollWidth}px wide on a {width}px screen");
        await BrowserFixture.ScreenshotAsync(page, phone ? "console-home-dashboard-phone" : "console-home-dashboard");
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The home page's figures come from the reports' rollup, which runs a few seconds behind the event log: wait until
    /// the API counts an attempt this week, or the page (when this test runs first) would rightly show no rate yet.
    /// </summary>
    private async Task WaitForTheWeeksRollupAsync()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var query = $"from={monday:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}&interval=day&time_zone=UTC";
        var api = Gateway.Client(fixture.Keys.SecretKey);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long attempted = 0;
        while (DateTime.UtcNow < deadline)
        {
            var json = (await api.GetAsync($"/v1/reports/payments?{query}")).EnsureStatus(200).Json;
            attempted = json.GetProperty("data").EnumerateArray().Sum(r => r.GetProperty("attempted").GetInt64());
            if (attempted > 0)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"The reports' rollup counted no attempt this week within 60 s (attempted {attempted}).");
    }

    private async Task<string> DeclineAsync()
    {
        var method = (await Gateway.Client(fixture.Keys.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = "4000000000009995", exp_month = 12, exp_year = DateTime.UtcNow.Year + 2, cvc = "123" },
        })).EnsureStatus(200).Str("id");
        var payment = await Gateway.Client(fixture.Keys.SecretKey).PostAsync("/v1/payments", new { amount = 3300, currency = "EUR", payment_method = method, confirm = true });
        Assert.Equal(402, payment.Status);
        return payment.Json.GetProperty("payment").GetProperty("id").GetString() ?? throw new InvalidOperationException("no id: " + payment.Body);
    }

    private async Task<string> PayAsync(long amount, string order)
    {
        var api = Gateway.Client(fixture.Keys.SecretKey);
        var method = (await Gateway.Client(fixture.Keys.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = "4242424242424242", exp_month = 12, exp_year = DateTime.UtcNow.Year + 2, cvc = "123" },
        })).EnsureStatus(200).Str("id");
        var payment = (await api.PostAsync("/v1/payments", new Dictionary<string, object?>
        {
            ["amount"] = amount,
            ["currency"] = "EUR",
            ["payment_method"] = method,
            ["confirm"] = true,
            ["metadata"] = new Dictionary<string, string> { ["order_id"] = order },
        })).EnsureStatus(200);
        Assert.Equal("succeeded", payment.Str("status"));
        return payment.Str("id") ?? throw new InvalidOperationException("no id");
    }
}
