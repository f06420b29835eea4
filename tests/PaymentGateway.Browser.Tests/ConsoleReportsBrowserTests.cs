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
/// field; a support user is refused. The Exports page, driven by keyboard through its labels, starts an export whose
/// row updates itself to succeeded and downloads the API's bytes; the Reconciliation page shows a known Adyen payout's
/// lines and the unsettled payments, at desktop and phone widths. No CSP violation.
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
    public async Task Finance_StartsAnExportByKeyboard_WatchesItFinish_Downloads_AndReconcilesAPayout_OnDesktopAndPhone()
    {
        var merchant = await Gateway.CreateMerchantAsync("Ledger Roasters Ltd");
        var api = Gateway.Client(merchant.SecretKey);
        var account = await SettlementSteps.AdyenAccountAsync(Gateway, merchant);
        var settled = await PayAsync(Gateway, merchant, 500);
        var refund = (await api.PostAsync("/v1/refunds", new { payment = settled, amount = 200 })).EnsureStatus(200).Str("id") ?? "";
        var notSettled = await PayAsync(Gateway, merchant, 700);
        (await api.PostRawAsync($"/v1/settlements?provider_account={account}&payout_date=2026-03-05", SettlementSteps.AdyenFile(settled, refund), contentType: "text/csv")).EnsureStatus(200);
        var finance = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Finance, merchant.Id);
        var page = await fixture.NewPageAsync();
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, finance);

        // Reports, then its Exports page, by keyboard.
        await page.GotoAsync($"{Gateway.BaseAddress}console/reports?merchant={merchant.Id}");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Reports" }).GetByRole(AriaRole.Link, new() { Name = "Exports" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console/reports/exports");
        await page.GotoAsync($"{Gateway.BaseAddress}console/reports/exports?merchant={merchant.Id}&mode=test");
        await Assertions.Expect(page.Locator("#no-exports")).ToBeVisibleAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GetByLabel("What to export").SelectOptionAsync("payments");
        await page.GetByLabel("First day (UTC)").FillAsync(today);
        await page.GetByLabel("Last day (UTC, included)").FillAsync(today);
        await page.GetByLabel("Status (optional)").FillAsync("succeeded");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**done=created**");
        var id = (await api.GetAsync("/v1/exports")).EnsureStatus(200).Json.GetProperty("data")[0].GetProperty("id").GetString() ?? "";
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync($"Export {id} was started");

        // The row updates itself (console.js reads the list again) until the worker finished the file: no reload here.
        var row = page.Locator($"#export-{id}");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
        await Assertions.Expect(row.Locator("[data-field=rows]")).ToHaveTextAsync("2");
        await Assertions.Expect(row.Locator("[data-field=progress_percent]")).ToHaveTextAsync("100");
        await Assertions.Expect(page.Locator("#exports-status")).ToContainTextAsync("none is running");
        var link = page.GetByRole(AriaRole.Link, new() { Name = $"Download the payments export {id}" });
        await link.FocusAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        var saved = await download.PathAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/exports/{id}/download");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", merchant.SecretKey);
        Assert.Equal(await (await api.Http.SendAsync(request)).Content.ReadAsByteArrayAsync(), await File.ReadAllBytesAsync(saved));
        await BrowserFixture.ScreenshotAsync(page, "console-exports-desktop");

        // Reconciliation: payout 7 reconciled; its sale links to the payment; the other payment is captured, not settled.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Reports" }).GetByRole(AriaRole.Link, new() { Name = "Reconciliation" }).ClickAsync();
        await page.WaitForURLAsync("**/console/reports/reconciliation");
        await page.GetByLabel("Not settled after (days)").FillAsync("0");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**days=0**");
        var payout = page.Locator("#payouts tbody tr[data-payout='7']");
        await Assertions.Expect(payout.Locator("[data-field=status]")).ToHaveTextAsync("reconciled");
        await Assertions.Expect(payout.Locator("[data-field=paid_out]")).ToHaveTextAsync("1.84 EUR");
        await payout.GetByRole(AriaRole.Link, new() { Name = "show its lines" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**payout=7**");
        await Assertions.Expect(page.Locator("#payout-lines tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#payout-lines").GetByRole(AriaRole.Link, new() { Name = settled }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#unsettled tr[data-payment='{notSettled}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#unsettled tr[data-payment='{settled}']")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "console-reconciliation-desktop");

        var phone = await fixture.NewPageAsync(390, 844, phone: true);
        var phoneViolations = ConsoleBrowser.WatchCsp(phone);
        await ConsoleBrowser.SignInAsync(Gateway, phone, finance);
        foreach (var (path, shot) in new[] { ($"console/reports/exports?merchant={merchant.Id}&mode=test", "console-exports-phone"), ($"console/reports/reconciliation?merchant={merchant.Id}&mode=test&days=0&payout=7", "console-reconciliation-phone") })
        {
            await phone.GotoAsync($"{Gateway.BaseAddress}{path}");
            await Assertions.Expect(phone.Locator("h1")).ToBeVisibleAsync();
            Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} is wider than the phone");
            await BrowserFixture.ScreenshotAsync(phone, shot);
        }

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
