using System.Globalization;
using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>One gateway with a fast rollup job and short export retention, shared by the report tests.</summary>
public sealed class ReportsFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
    {
        ["PaymentGateway:Reports:RollupInterval"] = "00:00:00.200",
        ["PaymentGateway:Reports:SealLag"] = "00:00:00.300",
        ["PaymentGateway:Reports:ExportInterval"] = "00:00:00.100",
        ["PaymentGateway:Reports:ExportRetention"] = "00:00:04",
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Reports, exports and settlements over HTTP, with payments made through the simulator.</summary>
public sealed class ReportsApiTests(ReportsFixture fixture) : IClassFixture<ReportsFixture>
{
    private GatewayServer Server => fixture.Server;

    private static string Today(string zone, int days = 0) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<ApiResponse> PollAsync(Func<Task<ApiResponse>> read, Func<ApiResponse, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await read();
            if (done(response) || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(150);
        }
    }

    private static Task<HttpResponseMessage> RawGetAsync(GatewayClient api, string key, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return api.Http.SendAsync(request);
    }

    private static long Sum(ApiResponse report, string field) => report.Json.GetProperty("data").EnumerateArray().Sum(r => r.GetProperty(field).GetInt64());

    private static long Amount(ApiResponse report, string currency, string field) =>
        report.Json.GetProperty("data").EnumerateArray().SelectMany(r => r.GetProperty("amounts").EnumerateArray())
            .Where(a => a.GetProperty("currency").GetString() == currency).Sum(a => a.GetProperty(field).GetInt64());

    [Fact]
    public async Task Payments_report_counts_real_payments_in_the_merchants_time_zone_per_currency()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        (await api.PostAsync("/v1/reports/settings", new { time_zone = "Asia/Kolkata" })).EnsureStatus(200);
        Assert.Equal("Asia/Kolkata", (await api.GetAsync("/v1/reports/settings")).Str("time_zone"));
        var paid = await Steps.SucceededPaymentAsync(Server, merchant, 1000);
        (await api.PostAsync("/v1/refunds", new { payment = paid, amount = 300 })).EnsureStatus(200);
        Problem.Assert(await Steps.PayAsync(Server, merchant, TestCards.GenericDecline, 500), 402, "card_declined");
        var authorized = await Steps.AuthorizedPaymentAsync(Server, merchant, 2000);
        (await api.PostAsync($"/v1/payments/{authorized}/capture", new { amount_to_capture = 1500 })).EnsureStatus(200);
        var query = $"from={Today("Asia/Kolkata", -1)}&to={Today("Asia/Kolkata", 2)}";

        var report = await PollAsync(() => api.GetAsync($"/v1/reports/payments?{query}"), r => r.Status == 200 && Sum(r, "refunds") == 1 && Sum(r, "captured") == 2);

        report.EnsureStatus(200);
        Assert.Equal(("Asia/Kolkata", "day"), (report.Str("time_zone"), report.Str("interval")));
        Assert.Equal((3L, 2L, 1L, 2L, 1L), (Sum(report, "attempted"), Sum(report, "authorized"), Sum(report, "declined"), Sum(report, "captured"), Sum(report, "refunds")));
        Assert.Equal((3000L, 2500L, 300L), (Amount(report, "EUR", "authorized"), Amount(report, "EUR", "captured"), Amount(report, "EUR", "refunded")));
        var row = report.Json.GetProperty("data").EnumerateArray().First();
        Assert.EndsWith(":30:00.000Z", row.GetProperty("period_start").GetString(), StringComparison.Ordinal); // Kolkata midnight is hh:30 UTC
        Assert.True(row.GetProperty("latency").GetProperty("count").GetInt64() >= 1);

        var byBrand = (await api.GetAsync($"/v1/reports/payments?{query}&group_by=card_brand,payment_method_type")).EnsureStatus(200);
        Assert.All(byBrand.Json.GetProperty("data").EnumerateArray(), r => Assert.Equal("visa", r.GetProperty("group").GetProperty("card_brand").GetString()));
        var declines = (await api.GetAsync($"/v1/reports/decline_reasons?{query}")).EnsureStatus(200);
        Assert.Equal("generic_decline", declines.Json.GetProperty("data")[0].GetProperty("code").GetString());

        var chart = await RawGetAsync(api, merchant.SecretKey, $"/v1/reports/payments/chart?{query}&metric=captured_amount&currency=EUR");
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType?.MediaType);
        var svg = await chart.Content.ReadAsStringAsync();
        Assert.Contains("role=\"img\"", svg, StringComparison.Ordinal);
        Assert.Contains(" 25 EUR\"", svg, StringComparison.Ordinal);

        // Another merchant sees none of it.
        var other = await Server.CreateMerchantAsync();
        Assert.Empty((await Server.Client(other.SecretKey).GetAsync($"/v1/reports/payments?{query}")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Bad_report_parameters_are_400s_with_stable_codes()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        Problem.Assert(await api.GetAsync("/v1/reports/payments?from=2026-01-01&to=2026-01-02&time_zone=Mars/Base"), 400, "parameter_invalid", "time_zone");
        Problem.Assert(await api.GetAsync("/v1/reports/payments?from=2026-01-01&to=2026-03-01&interval=hour"), 400, "report_range_too_large", "to");
        Problem.Assert(await api.GetAsync("/v1/reports/payments?to=2026-03-01"), 400, "parameter_missing", "from");
        Problem.Assert(await api.GetAsync("/v1/reports/payments?from=2026-01-01&to=2026-01-02&group_by=merchant"), 400, "parameter_invalid", "group_by");
        Problem.Assert(await api.GetAsync("/v1/reports/payments/chart?from=2026-01-01&to=2026-01-02&metric=captured_amount"), 400, "parameter_missing", "currency");
        Problem.Assert(await api.PostAsync("/v1/reports/settings", new { time_zone = "CET+1" }), 400, "parameter_invalid", "time_zone");
        Problem.Assert(await Server.Client(merchant.PublishableKey).GetAsync("/v1/reports/payments?from=2026-01-01&to=2026-01-02"), 403, "secret_key_required");
    }

    /// <summary>A report row's figures, every property but its group, as JSON text.</summary>
    private static string Figures(JsonElement row) =>
        string.Join(",", row.EnumerateObject().Where(p => p.Name != "group").Select(p => $"{p.Name}={p.Value.GetRawText()}"));

    private static IEnumerable<JsonElement> Rows(ApiResponse report, string? merchant = null) =>
        report.Json.GetProperty("data").EnumerateArray().Where(r => merchant is null || r.GetProperty("group").GetProperty("merchant").GetString() == merchant);

    [Fact]
    public async Task Admin_report_across_merchants_groups_by_merchant_in_utc_and_each_merchants_rows_equal_its_own_report()
    {
        var (a, b) = (await Server.CreateMerchantAsync(), await Server.CreateMerchantAsync());
        (await Server.Client(a.SecretKey).PostAsync("/v1/reports/settings", new { time_zone = "Asia/Kolkata" })).EnsureStatus(200);
        (await Server.Client(b.SecretKey).PostAsync("/v1/reports/settings", new { time_zone = "America/Los_Angeles" })).EnsureStatus(200);
        (await Flows.PayAsync(Server, a, 1000, "EUR")).EnsureStatus(200);
        (await Flows.PayAsync(Server, a, 2000, "USD")).EnsureStatus(200);
        (await Flows.PayAsync(Server, b, 3000, "EUR")).EnsureStatus(200);
        Problem.Assert(await Steps.PayAsync(Server, b, TestCards.GenericDecline, 500), 402, "card_declined");
        var admin = Server.Client(Server.AdminKey);
        var range = $"from={Today("UTC", -1)}&to={Today("UTC", 2)}";
        var query = $"{range}&merchant={a.Id},{b.Id}&group_by=merchant";

        var report = await PollAsync(() => admin.GetAsync($"/v1/admin/reports/payments?{query}"),
            r => r.Status == 200 && Rows(r, a.Id).Sum(x => x.GetProperty("captured").GetInt64()) == 2 && Rows(r, b.Id).Sum(x => x.GetProperty("declined").GetInt64()) == 1);

        report.EnsureStatus(200);
        Assert.Equal("UTC", report.Str("time_zone")); // one zone for all, not the merchants' settings
        Assert.Equal(["merchant"], report.Json.GetProperty("group_by").EnumerateArray().Select(g => g.GetString()));
        foreach (var merchant in new[] { a, b })
        {
            var own = (await Server.Client(merchant.SecretKey).GetAsync($"/v1/reports/payments?{range}&time_zone=UTC")).EnsureStatus(200);
            Assert.NotEmpty(Rows(own));
            Assert.Equal(Rows(own).Select(Figures), Rows(report, merchant.Id).Select(Figures));
        }

        // Amounts stay per currency: EUR of both merchants together, USD apart, never one sum.
        var total = (await admin.GetAsync($"/v1/admin/reports/payments?{range}&merchant={a.Id},{b.Id}")).EnsureStatus(200);
        Assert.Equal((4000L, 2000L), (Amount(total, "EUR", "captured"), Amount(total, "USD", "captured")));
        Assert.Equal((4L, 3L), (Sum(total, "attempted"), Sum(total, "captured")));

        // In a merchant's own zone its row equals its default report.
        var kolkata = (await admin.GetAsync($"/v1/admin/reports/payments?from={Today("Asia/Kolkata", -1)}&to={Today("Asia/Kolkata", 2)}&merchant={a.Id}&group_by=merchant&time_zone=Asia/Kolkata")).EnsureStatus(200);
        var ownDefault = (await Server.Client(a.SecretKey).GetAsync($"/v1/reports/payments?from={Today("Asia/Kolkata", -1)}&to={Today("Asia/Kolkata", 2)}")).EnsureStatus(200);
        Assert.Equal("Asia/Kolkata", ownDefault.Str("time_zone"));
        Assert.Equal(Rows(ownDefault).Select(Figures), Rows(kolkata, a.Id).Select(Figures));

        var declines = (await admin.GetAsync($"/v1/admin/reports/decline_reasons?{query}")).EnsureStatus(200);
        var decline = Assert.Single(declines.Json.GetProperty("data").EnumerateArray());
        Assert.Equal((b.Id, "generic_decline", 1L), (decline.GetProperty("group").GetProperty("merchant").GetString(), decline.GetProperty("code").GetString(), decline.GetProperty("count").GetInt64()));

        // The live mode has none of these test payments.
        Assert.Empty(Rows((await admin.GetAsync($"/v1/admin/reports/payments?{query}&livemode=true")).EnsureStatus(200)));
    }

    [Fact]
    public async Task Admin_report_refuses_merchant_keys_and_bad_parameters_with_stable_codes()
    {
        var merchant = await Server.CreateMerchantAsync();
        const string Query = "/v1/admin/reports/payments?from=2026-01-01&to=2026-01-02&group_by=merchant";
        Problem.Assert(await Server.Client(merchant.SecretKey).GetAsync(Query), 403, "admin_key_required");
        Problem.Assert(await Server.Client(merchant.SecretKey).GetAsync(Query.Replace("payments", "decline_reasons", StringComparison.Ordinal)), 403, "admin_key_required");
        Problem.Assert(await Server.Client(merchant.PublishableKey).GetAsync(Query), 403, "admin_key_required");
        Problem.Assert(await Server.Client("sk_test_not_a_key").GetAsync(Query), 401, "api_key_invalid");

        var admin = Server.Client(Server.AdminKey);
        Problem.Assert(await admin.GetAsync($"{Query}&merchant={string.Join(',', Enumerable.Range(0, 101).Select(i => $"mer_{i}"))}"), 400, "parameter_invalid", "merchant");
        Problem.Assert(await admin.GetAsync($"{Query}&livemode=yes"), 400, "parameter_invalid", "livemode");
        Problem.Assert(await admin.GetAsync($"{Query}&time_zone=Mars/Base"), 400, "parameter_invalid", "time_zone");
        Problem.Assert(await admin.GetAsync("/v1/admin/reports/payments?from=2026-01-01&to=2026-01-02&group_by=merchant,merchant_secret"), 400, "parameter_invalid", "group_by");
        Problem.Assert(await admin.GetAsync("/v1/admin/reports/payments?to=2026-01-02"), 400, "parameter_missing", "from");
        Assert.Empty(Rows((await admin.GetAsync($"{Query}&merchant=mer_unknown")).EnsureStatus(200)));
    }

    [Fact]
    public async Task An_export_runs_as_a_job_to_a_v1_csv_download_that_expires()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Steps.SucceededPaymentAsync(Server, merchant, 100 + i));
        }

        Problem.Assert(await api.PostAsync("/v1/exports", new { type = "customers", from = "2026-01-01T00:00:00Z", to = "2026-01-02T00:00:00Z" }), 400, "parameter_invalid", "type");
        Problem.Assert(await api.PostAsync("/v1/exports", new { type = "payments", from = "2026-01-01T00:00:00Z", to = "2026-01-02T00:00:00Z", columns_version = "v2" }), 400,
            "parameter_invalid", "columns_version");
        var created = (await api.PostAsync("/v1/exports", new
        {
            type = "payments",
            from = DateTimeOffset.UtcNow.AddHours(-1),
            to = DateTimeOffset.UtcNow.AddHours(1),
            filters = new { status = "succeeded" },
        })).EnsureStatus(202);
        Assert.Matches("^rpt_[0-9a-z]{29}$", created.Str("id"));
        Assert.Equal("pending", created.Str("status"));

        var done = await PollAsync(() => api.GetAsync($"/v1/exports/{created.Str("id")}"), r => r.Str("status") is "succeeded" or "failed");
        Assert.Equal(("succeeded", 100L, 3L), (done.Str("status"), done.Long("progress_percent"), done.Long("rows")));
        var download = await RawGetAsync(api, merchant.SecretKey, done.Str("download_url") ?? string.Empty);
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        var lines = (await download.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,created,updated,livemode,status,amount,currency,", lines[0], StringComparison.Ordinal);
        Assert.Equal(ids, lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains(created.Str("id")!, Steps.Ids((await api.GetAsync("/v1/exports")).EnsureStatus(200)));
        Problem.Assert(await Server.Client((await Server.CreateMerchantAsync()).SecretKey).GetAsync($"/v1/exports/{created.Str("id")}/download"), 404, "resource_missing");

        await Task.Delay(TimeSpan.FromSeconds(4.5));
        Problem.Assert(await api.GetAsync($"/v1/exports/{created.Str("id")}/download"), 410, "export_expired");
    }

    [Fact]
    public async Task A_daily_scheduled_report_runs_once_its_day_ended_announces_itself_and_queues_the_next_day_until_canceled()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var paid = await Steps.SucceededPaymentAsync(Server, merchant, 1234);
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        Problem.Assert(await api.PostAsync("/v1/exports", new { type = "payments", schedule = "daily", from = today, to = today.AddDays(1) }), 400, "parameter_invalid", "to");
        Problem.Assert(await api.PostAsync("/v1/exports", new { type = "payments", schedule = "monthly" }), 400, "parameter_invalid", "schedule");

        // Starting yesterday: yesterday's report runs at once (its day ended), today's waits for midnight UTC.
        var created = (await api.PostAsync("/v1/exports", new { type = "payments", schedule = "daily", from = today.AddDays(-1) })).EnsureStatus(202);
        Assert.Equal(("daily", today), (created.Str("schedule"), created.Json.GetProperty("run_after").GetDateTimeOffset()));
        var done = await PollAsync(() => api.GetAsync($"/v1/exports/{created.Str("id")}"), r => r.Str("status") is "succeeded" or "failed");
        Assert.Equal(("succeeded", 0L), (done.Str("status"), done.Long("rows"))); // the payment was made today

        var ready = await PollAsync(() => api.GetAsync("/v1/events?type=report.ready"), r => r.Json.GetProperty("data").GetArrayLength() > 0);
        var readyEvent = Assert.Single(ready.Json.GetProperty("data").EnumerateArray());
        Assert.Equal(created.Str("id"), readyEvent.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal($"/v1/exports/{created.Str("id")}/download", readyEvent.GetProperty("data").GetProperty("download_url").GetString());

        var next = (await api.GetAsync("/v1/exports")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray()
            .Single(e => e.GetProperty("id").GetString() != created.Str("id"));
        Assert.Equal(("pending", "daily", today, today.AddDays(1)), (next.GetProperty("status").GetString(), next.GetProperty("schedule").GetString(),
            next.GetProperty("from").GetDateTimeOffset(), next.GetProperty("to").GetDateTimeOffset()));
        await Task.Delay(500); // a few worker passes: it is not run before its day ended
        Assert.Equal("pending", (await api.GetAsync($"/v1/exports/{next.GetProperty("id").GetString()}")).Str("status"));

        var canceled = (await api.PostAsync($"/v1/exports/{next.GetProperty("id").GetString()}/cancel", new { })).EnsureStatus(200);
        Assert.Equal("canceled", canceled.Str("status"));
        Assert.Equal("canceled", (await api.PostAsync($"/v1/exports/{next.GetProperty("id").GetString()}/cancel", new { })).EnsureStatus(200).Str("status"));
        Problem.Assert(await api.PostAsync($"/v1/exports/{created.Str("id")}/cancel", new { }), 409, "export_not_cancelable");
        Problem.Assert(await Server.Client((await Server.CreateMerchantAsync()).SecretKey).PostAsync($"/v1/exports/{created.Str("id")}/cancel", new { }), 404, "resource_missing");
        Assert.Equal(2, (await api.GetAsync("/v1/exports")).Json.GetProperty("data").GetArrayLength());
        Assert.NotNull(paid);
    }

    [Fact]
    public async Task An_adyen_settlement_file_is_matched_to_payments_reconciles_its_payout_once_and_a_bad_file_changes_nothing()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var account = await SettlementSteps.AdyenAccountAsync(Server, merchant);
        var settled = await Steps.SucceededPaymentAsync(Server, merchant, 500);
        var refundId = (await api.PostAsync("/v1/refunds", new { payment = settled, amount = 200 })).EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no refund id");
        var notSettled = await Steps.SucceededPaymentAsync(Server, merchant, 700);
        var file = SettlementSteps.AdyenFile(settled, refundId);

        var imported = (await api.PostRawAsync($"/v1/settlements?provider_account={account}&payout_date=2026-03-05", file, contentType: "text/csv")).EnsureStatus(200);
        Assert.Equal((4L, 4L, 2L, 0L), (imported.Long("lines"), imported.Long("new_lines"), imported.Long("matched"), imported.Long("unmatched")));
        var payout = imported.Json.GetProperty("payouts")[0];
        Assert.Equal(("7", "reconciled", 1.84m), (payout.GetProperty("payout_id").GetString(), payout.GetProperty("status").GetString(), payout.GetProperty("paid_out").GetInt64() / 100m));

        var again = (await api.PostRawAsync($"/v1/settlements?provider_account={account}", file, contentType: "text/csv")).EnsureStatus(200);
        Assert.Equal((0L, 4L), (again.Long("new_lines"), again.Long("duplicate_lines")));
        Assert.Single(Steps.Ids((await api.GetAsync("/v1/events?type=payout.reconciled")).EnsureStatus(200)));

        var lines = (await api.GetAsync($"/v1/settlements?payment={settled}")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray().ToList();
        var sale = lines.Single(l => l.GetProperty("type").GetString() == "payment");
        Assert.Equal((500L, 12L, 488L, 7L), (sale.GetProperty("gross").GetInt64(), sale.GetProperty("fee").GetInt64(), sale.GetProperty("net").GetInt64(),
            sale.GetProperty("fees").GetProperty("interchange").GetInt64()));
        Assert.Equal(("7", "2026-03-05"), (sale.GetProperty("payout_id").GetString(), sale.GetProperty("payout_date").GetString()));
        Assert.Equal(refundId, lines.Single(l => l.GetProperty("type").GetString() == "refund").GetProperty("refund").GetString());

        var unsettled = Steps.Ids((await api.GetAsync("/v1/settlements/unsettled?days=0")).EnsureStatus(200)).ToList();
        Assert.Contains(notSettled, unsettled);
        Assert.DoesNotContain(settled, unsettled);

        var broken = file.Replace("Batch Number", "Batch", StringComparison.Ordinal).Replace("8816000000000001", "9916000000000001", StringComparison.Ordinal);
        Problem.Assert(await api.PostRawAsync($"/v1/settlements?provider_account={account}", broken, contentType: "text/csv"), 400, "settlement_file_invalid");
        var badAmount = file.Replace(",5.00,1,", ",5.00.1,1,", StringComparison.Ordinal).Replace("8816000000000001", "9916000000000001", StringComparison.Ordinal);
        Problem.Assert(await api.PostRawAsync($"/v1/settlements?provider_account={account}", badAmount, contentType: "text/csv"), 400, "settlement_file_invalid");
        Assert.Equal(4, Steps.Ids((await api.GetAsync("/v1/settlements?limit=100")).EnsureStatus(200)).Count());
        Problem.Assert(await api.PostRawAsync("/v1/settlements?provider_account=pa_nope", file, contentType: "text/csv"), 404, "resource_missing");
        Problem.Assert(await api.PostAsync("/v1/settlements/fetch", new { provider_account = account }), 422, "settlement_source_unsupported");
    }
}
