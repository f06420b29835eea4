using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The console's Reports page in Debian's Chromium: a finance user's report of a merchant shows the figures of
/// <c>GET /v1/reports/payments</c> for the same parameters exactly (compared cell by cell with the API's JSON), an
/// accessible server-drawn SVG chart and its table, at desktop and phone widths; a bad time zone is refused next to its
/// field; a support user is refused. No CSP violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleReportsBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    private static async Task<string> PayAsync(GatewayServer gateway, TestMerchant merchant, long amount)
    {
        var method = (await gateway.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = "4242424242424242", exp_month = 12, exp_year = DateTime.UtcNow.Year + 2, cvc = "123" },
        })).EnsureStatus(200).Str("id");
        return (await gateway.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount, currency = "EUR", payment_method = method, confirm = true }))
            .EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no payment id");
    }

    private static long Sum(JsonElement report, string field) => report.GetProperty("data").EnumerateArray().Sum(r => r.GetProperty(field).GetInt64());

    [BrowserFact]
    public async Task Finance_SeesTheApisFiguresExactly_AsAChartAndATable_OnDesktopAndPhone()
    {
        var merchant = await Gateway.CreateMerchantAsync("Report Roasters Ltd");
        var api = Gateway.Client(merchant.SecretKey);
        var paid = await PayAsync(Gateway, merchant, 1234);
        await PayAsync(Gateway, merchant, 766);
        (await api.PostAsync("/v1/refunds", new { payment = paid, amount = 100 })).EnsureStatus(200);
        await DisputeSteps.DisputedPaymentAsync(Gateway, merchant, 2500);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var query = $"from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(2):yyyy-MM-dd}&interval=day&time_zone=UTC";

        // The rollup job is a few seconds behind the event log: wait until the API counts everything.
        JsonElement json = default;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            json = (await api.GetAsync($"/v1/reports/payments?{query}")).EnsureStatus(200).Json;
            if (Sum(json, "captured") == 3 && Sum(json, "refunds") == 1 && Sum(json, "disputes") == 1)
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Equal((3L, 1L, 1L), (Sum(json, "captured"), Sum(json, "refunds"), Sum(json, "disputes")));
        var finance = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Finance, merchant.Id);
        var page = await fixture.NewPageAsync();
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, finance);

        await page.GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/console/reports");
        await page.GotoAsync($"{Gateway.BaseAddress}console/reports?merchant={merchant.Id}&mode=test&{query}&metric=captured");
        var chart = page.Locator("#chart svg[role=img]");
        await Assertions.Expect(chart).ToHaveCountAsync(1);
        Assert.StartsWith("Captured, per day (UTC)", await chart.Locator("title#chart-title").TextContentAsync() ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("highest 3", await chart.Locator("desc").TextContentAsync() ?? string.Empty, StringComparison.Ordinal);

        // Every row and figure of the API's answer, and nothing else, in the page's table.
        var rows = json.GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        await Assertions.Expect(page.Locator("#report tbody tr")).ToHaveCountAsync(rows.Count);
        foreach (var row in rows)
        {
            var tr = page.Locator($"#report tbody tr[data-period='{row.GetProperty("period").GetString()}']");
            foreach (var field in new[] { "attempted", "authorized", "captured", "refunds", "disputes", "disputes_won", "disputes_lost", "disputes_accepted" })
            {
                Assert.Equal(row.GetProperty(field).GetInt64().ToString(CultureInfo.InvariantCulture), (await tr.Locator($"[data-field={field}]").TextContentAsync())?.Split(' ')[0]);
            }

            var rate = row.GetProperty("approval_rate");
            Assert.Equal(rate.ValueKind == JsonValueKind.Null ? "–" : (rate.GetDouble() * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %",
                await tr.Locator("[data-field=approval_rate]").TextContentAsync());
            foreach (var amount in row.GetProperty("amounts").EnumerateArray())
            {
                var cell = tr.Locator($".amounts[data-currency={amount.GetProperty("currency").GetString()}]");
                Assert.Equal(ConsolePaymentService.Display(amount.GetProperty("captured").GetInt64(), "EUR"), await cell.Locator("[data-field=captured_amount]").TextContentAsync());
                Assert.Equal(ConsolePaymentService.Display(amount.GetProperty("refunded").GetInt64(), "EUR"), await cell.Locator("[data-field=refunded_amount]").TextContentAsync());
            }
        }

        await BrowserFixture.ScreenshotAsync(page, "console-reports-desktop");

        var phone = await fixture.NewPageAsync(390, 844, phone: true);
        var phoneViolations = ConsoleBrowser.WatchCsp(phone);
        await ConsoleBrowser.SignInAsync(Gateway, phone, finance);
        await phone.GotoAsync($"{Gateway.BaseAddress}console/reports?merchant={merchant.Id}&mode=test&{query}&metric=captured_amount&currency=EUR");
        await Assertions.Expect(phone.Locator("#chart svg[role=img] title#chart-title")).ToContainTextAsync("Captured amount EUR");
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the reports page is wider than the phone");
        await BrowserFixture.ScreenshotAsync(phone, "console-reports-phone");

        // A bad time zone: 400, the message next to the field, no report.
        var bad = await phone.GotoAsync($"{Gateway.BaseAddress}console/reports?merchant={merchant.Id}&from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}&time_zone=Mars/Base");
        Assert.Equal(400, bad?.Status);
        await Assertions.Expect(phone.Locator("#filter-time_zone-error")).ToContainTextAsync("IANA time zone");
        await Assertions.Expect(phone.Locator("#filter-time_zone")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(0, await phone.Locator("#report").CountAsync());

        Assert.Empty(violations);
        Assert.Empty(phoneViolations);
        await page.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Support_IsRefusedTheReportsPage_AndDoesNotSeeItInTheMenu()
    {
        var support = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Support, fixture.Keys.Id);
        var page = await fixture.NewPageAsync();
        await ConsoleBrowser.SignInAsync(Gateway, page, support);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Reports", Exact = true }).CountAsync());
        var response = await page.GotoAsync($"{Gateway.BaseAddress}console/reports?merchant={fixture.Keys.Id}");
        Assert.Equal(403, response?.Status);
        await page.Context.CloseAsync();
    }
}
