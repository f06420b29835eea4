using System.Globalization;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>One gateway with a fast rollup job and export worker for the SDK's report tests.</summary>
public sealed class SdkReportsFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
    {
        ["PaymentGateway:Reports:RollupInterval"] = "00:00:00.200",
        ["PaymentGateway:Reports:SealLag"] = "00:00:00.300",
        ["PaymentGateway:Reports:ExportInterval"] = "00:00:00.100",
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// Reports, exports and settlements through the SDK against one real gateway (fast rollup job): the typed report carries
/// the same figures as the REST JSON, an export runs to a CSV the SDK downloads, settlements list and refuse a bad file
/// with a typed error, and the gRPC transport says these need REST.
/// </summary>
public sealed class SdkReportsTests(SdkReportsFixture fixture) : IClassFixture<SdkReportsFixture>
{
    private GatewayServer Server => fixture.Server;

    private PaymentGatewayClient NewClient(TestMerchant merchant, PaymentGatewayTransport transport = PaymentGatewayTransport.Rest) => new(new PaymentGatewayClientOptions
    {
        BaseAddress = transport == PaymentGatewayTransport.Grpc ? Server.GrpcAddress ?? Server.BaseAddress : Server.BaseAddress, // nothing reaches it over gRPC
        ApiKey = merchant.SecretKey,
        Transport = transport,
        MaxRetries = 2,
    });

    /// <summary>A card payment through the SDK (simulator, succeeds at once); its id.</summary>
    private static async Task<string> PayAsync(PaymentGatewayClient client, TestMerchant merchant, long amount)
    {
        var method = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" } },
            new RequestOptions { ApiKey = merchant.PublishableKey });
        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = amount, Currency = "EUR", PaymentMethod = method.Id, Confirm = true });
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        return payment.Id;
    }

    private static DateOnly Today(string zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(150);
        }
    }

    [Fact]
    public async Task The_payments_report_through_the_sdk_has_the_figures_of_the_rest_json()
    {
        var merchant = await Server.CreateMerchantAsync("SDK reports merchant");
        using var client = NewClient(merchant);
        Assert.Equal("Europe/Amsterdam", (await client.Reports.UpdateSettingsAsync("Europe/Amsterdam")).TimeZone);
        Assert.Equal("Europe/Amsterdam", (await client.Reports.GetSettingsAsync()).TimeZone);
        var paid = await PayAsync(client, merchant, 1200);
        await PayAsync(client, merchant, 800);
        await client.Refunds.CreateAsync(new CreateRefundRequest { Payment = paid, Amount = 200 });
        var today = Today("Europe/Amsterdam");
        var query = new ReportQuery { From = today.AddDays(-1), To = today.AddDays(2), GroupBy = ["currency", "card_brand"] };

        var report = await PollAsync(() => client.Reports.GetPaymentsAsync(query), r => r.Data.Sum(d => d.Captured) == 2 && r.Data.Sum(d => d.Refunds) == 1);

        Assert.Equal(("Europe/Amsterdam", "day"), (report.TimeZone, report.Interval));
        Assert.Equal(["currency", "card_brand"], report.GroupBy);
        var row = Assert.Single(report.Data);
        Assert.Equal(("EUR", "visa"), (row.Group["currency"], row.Group["card_brand"]));
        Assert.Equal((2L, 2L, 0L, 2L, 1L, 1.0, 0.5), (row.Attempted, row.Authorized, row.Declined, row.Captured, row.Refunds, row.ApprovalRate, row.RefundRate));
        var eur = Assert.Single(row.Amounts);
        Assert.Equal(("EUR", 2000L, 2000L, 200L, 0L), (eur.Currency, eur.Authorized, eur.Captured, eur.Refunded, eur.DisputesWon));
        Assert.True(row.Latency.Count >= 2);

        // The same query over plain REST: the SDK's typed figures are the JSON's.
        var from = query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = query.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var json = (await Server.Client(merchant.SecretKey).GetAsync($"/v1/reports/payments?from={from}&to={to}&group_by=currency,card_brand")).EnsureStatus(200);
        var jsonRow = json.Json.GetProperty("data")[0];
        Assert.Equal(jsonRow.GetProperty("period").GetString(), row.Period);
        Assert.Equal(jsonRow.GetProperty("period_start").GetDateTimeOffset(), row.PeriodStart);
        Assert.Equal(jsonRow.GetProperty("captured").GetInt64(), row.Captured);
        Assert.Equal(jsonRow.GetProperty("three_ds_challenged").GetInt64(), row.ThreeDsChallenged);
        Assert.Equal(jsonRow.GetProperty("latency").GetProperty("p50_ms").GetDouble(), row.Latency.P50Ms);
        Assert.Equal(jsonRow.GetProperty("amounts")[0].GetProperty("refunded").GetInt64(), eur.Refunded);

        var declines = await client.Reports.GetDeclineReasonsAsync(query with { GroupBy = null });
        Assert.Equal((0L, 0), (declines.Total, declines.Data.Count));

        var bad = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Reports.GetPaymentsAsync(query with { TimeZone = "Mars/Base" }));
        Assert.Equal((400, ErrorCode.ParameterInvalid, "time_zone"), (bad.Status, bad.Code, bad.Param));
        var tooLong = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Reports.GetPaymentsAsync(query with { To = query.From.AddDays(40), Interval = "hour" }));
        Assert.Equal(("report_range_too_large", "to"), (tooLong.Code?.Value, tooLong.Param));
    }

    [Fact]
    public async Task An_export_runs_to_a_csv_the_sdk_downloads_and_settlements_are_listed_with_typed_errors()
    {
        var merchant = await Server.CreateMerchantAsync("SDK exports merchant");
        using var client = NewClient(merchant);
        var first = await PayAsync(client, merchant, 1500);
        var second = await PayAsync(client, merchant, 2500);

        var export = await client.Exports.CreateAsync(new CreateExportRequest
        {
            Type = "payments",
            From = DateTimeOffset.UtcNow.AddHours(-1),
            To = DateTimeOffset.UtcNow.AddHours(1),
            Filters = new Dictionary<string, string> { ["status"] = "succeeded" },
        });
        Assert.StartsWith("rpt_", export.Id, StringComparison.Ordinal);
        Assert.Equal(("pending", "v1"), (export.Status, export.ColumnsVersion));
        var done = await PollAsync(() => client.Exports.GetAsync(export.Id), e => e.Status == "succeeded");
        Assert.Equal(("succeeded", 2L, 100), (done.Status, done.Rows, done.ProgressPercent));
        Assert.Contains(done.Id, (await client.Exports.ListAsync(new ListReportObjectsRequest { Limit = 10 })).Data.Select(e => e.Id));

        string csv;
        await using (var stream = await client.Exports.DownloadAsync(export.Id))
        using (var reader = new StreamReader(stream))
        {
            csv = await reader.ReadToEndAsync();
        }

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,created,updated,livemode,status,amount,currency,", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(first + ",", StringComparison.Ordinal) && l.Contains(",succeeded,1500,EUR,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(second + ",", StringComparison.Ordinal));

        var notCancelable = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Exports.CancelAsync(export.Id));
        Assert.Equal((409, "export_not_cancelable"), (notCancelable.Status, notCancelable.Code?.Value));
        var missing = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Exports.GetAsync("rpt_missing"));
        Assert.Equal(404, missing.Status);

        // An Adyen settlement file imported through the SDK: matched, its payout reconciled, the same file again adds nothing.
        var account = (await Server.Client(Server.AdminKey).PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new
        {
            provider = "adyen",
            livemode = false,
            credentials = new Dictionary<string, string> { ["api_key"] = "AQEsettlementtestkey", ["hmac_key"] = "00112233445566778899AABBCCDDEEFF" },
            settings = new Dictionary<string, string> { ["merchant_account"] = "TestMerchant" },
        })).EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no provider account id");
        var refundId = (await client.Refunds.CreateAsync(new CreateRefundRequest { Payment = first, Amount = 200 })).Id;
        const string Header = "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),Gross Credit (GC),Exchange Rate,Net Currency,Net Debit (NC),Net Credit (NC),Commission (NC),Markup (NC),Scheme Fees (NC),Interchange (NC),Payment Method Variant,Modification Merchant Reference,Batch Number";
        var file = System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n",
            Header,
            $"TestCompany,TestMerchant,8816000000000001,{first},visa,2026-03-02 11:26:49,CET,Settled,8816000000000002,EUR,,15.00,1,EUR,,14.88,,0.04,0.01,0.07,visaclassic,,7",
            $"TestCompany,TestMerchant,8816000000000001,{first},visa,2026-03-03 09:10:00,CET,Refunded,8816000000000003,EUR,2.00,,1,EUR,2.05,,,0.05,,,visaclassic,{refundId},7",
            "TestCompany,TestMerchant,,,,2026-03-04 04:55:40,CET,Fee,Transaction Fees February 2026,EUR,,,,EUR,0.99,,,,,,,,7",
            "TestCompany,TestMerchant,,,,2026-03-04 05:00:00,CET,MerchantPayout,TX7,EUR,,,,EUR,11.84,,,,,,,,7") + "\r\n");

        using (var upload = new MemoryStream(file))
        {
            var imported = await client.Settlements.ImportAsync(account, upload, payoutDate: new DateOnly(2026, 3, 5));
            Assert.Equal((account, 4, 4, 2, 0), (imported.ProviderAccount, imported.Lines, imported.NewLines, imported.Matched, imported.Unmatched));
            Assert.Equal(("7", "reconciled"), (Assert.Single(imported.Payouts).PayoutId, imported.Payouts[0].Status));
        }

        using (var again = new MemoryStream(file))
        {
            var repeated = await client.Settlements.ImportAsync(account, again);
            Assert.Equal((0, 4), (repeated.NewLines, repeated.DuplicateLines));
        }

        var sale = Assert.Single((await client.Settlements.ListLinesAsync(new ListSettlementLinesRequest { Payment = first })).Data, l => l.Type == "payment");
        Assert.Equal((1500L, 12L, 1488L, 7L, "7", "2026-03-05"), (sale.Gross, sale.Fee, sale.Net, sale.Fees["interchange"], sale.PayoutId, sale.PayoutDate));
        var payout = Assert.Single((await client.Settlements.ListPayoutsAsync()).Data);
        Assert.Equal(("7", "reconciled", 4, 0), (payout.PayoutId, payout.Status, payout.LineCount, payout.UnmatchedCount));
        var unsettled = (await client.Settlements.ListUnsettledAsync(days: 0, limit: 10)).Data.Select(p => p.Id).ToList();
        Assert.Contains(second, unsettled);
        Assert.DoesNotContain(first, unsettled);

        using var garbage = new MemoryStream("this is not a settlement file"u8.ToArray());
        var refused = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Settlements.ImportAsync(account, garbage));
        Assert.Equal((400, "settlement_file_invalid"), (refused.Status, refused.Code?.Value));
        Assert.Equal(4, (await client.Settlements.ListLinesAsync(new ListSettlementLinesRequest { Limit = 100 })).Data.Count);
        var badStatus = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Settlements.ListLinesAsync(new ListSettlementLinesRequest { Status = "lost" }));
        Assert.Equal((400, "status"), (badStatus.Status, badStatus.Param));
    }

    [Fact]
    public async Task Over_grpc_reports_exports_and_settlements_say_they_need_rest_before_sending_anything()
    {
        var merchant = await Server.CreateMerchantAsync("SDK reports gRPC merchant");
        using var client = NewClient(merchant, PaymentGatewayTransport.Grpc);
        var today = Today("UTC");
        var report = await Assert.ThrowsAsync<NotSupportedException>(() => client.Reports.GetPaymentsAsync(new ReportQuery { From = today, To = today.AddDays(1) }));
        Assert.Contains("Reports.GetPaymentsAsync needs the REST transport", report.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.Exports.CreateAsync(new CreateExportRequest { Type = "payments" }));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.Settlements.ListPayoutsAsync());
        var across = await Assert.ThrowsAsync<NotSupportedException>(() => client.Reports.GetPaymentsAcrossMerchantsAsync(
            new AcrossMerchantsReportQuery { Report = new ReportQuery { From = today, To = today.AddDays(1) } }));
        Assert.Contains("Reports.GetPaymentsAcrossMerchantsAsync needs the REST transport", across.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_across_merchants_through_the_sdk_takes_the_admin_key_and_has_each_merchants_own_figures()
    {
        var (a, b) = (await Server.CreateMerchantAsync("SDK across A"), await Server.CreateMerchantAsync("SDK across B"));
        using var clientA = NewClient(a);
        using var clientB = NewClient(b);
        await clientA.Reports.UpdateSettingsAsync("Asia/Tokyo");
        await PayAsync(clientA, a, 1100);
        await PayAsync(clientB, b, 2200);
        await PayAsync(clientB, b, 300);
        var today = Today("UTC");
        var own = new ReportQuery { From = today.AddDays(-1), To = today.AddDays(2), TimeZone = "UTC" };
        var query = new AcrossMerchantsReportQuery { Report = own with { TimeZone = null, GroupBy = ["merchant"] }, Merchants = [a.Id, b.Id], Livemode = false };
        var admin = new RequestOptions { ApiKey = Server.AdminKey };

        var report = await PollAsync(() => clientA.Reports.GetPaymentsAcrossMerchantsAsync(query, admin), r => r.Data.Sum(d => d.Captured) == 3);

        Assert.Equal("UTC", report.TimeZone);
        Assert.Equal(["merchant"], report.GroupBy);
        foreach (var (merchant, client) in new[] { (a, clientA), (b, clientB) })
        {
            var mine = await client.Reports.GetPaymentsAsync(own);
            var rows = report.Data.Where(r => r.Group["merchant"] == merchant.Id).ToList();
            Assert.Equal(mine.Data.Select(r => (r.Period, r.Attempted, r.Captured)), rows.Select(r => (r.Period, r.Attempted, r.Captured)));
            Assert.Equal(mine.Data.SelectMany(r => r.Amounts).Select(x => (x.Currency, x.Captured)), rows.SelectMany(r => r.Amounts).Select(x => (x.Currency, x.Captured)));
        }

        Assert.Equal(2500L, report.Data.Where(r => r.Group["merchant"] == b.Id).SelectMany(r => r.Amounts).Sum(x => x.Captured));
        Assert.Equal(0L, (await clientA.Reports.GetDeclineReasonsAcrossMerchantsAsync(query, admin)).Total);

        // A merchant's secret key is refused with a typed error.
        var refused = await Assert.ThrowsAsync<PaymentGatewayException>(() => clientA.Reports.GetPaymentsAcrossMerchantsAsync(query));
        Assert.Equal((403, ErrorCode.AdminKeyRequired), (refused.Status, refused.Code));
        var bad = await Assert.ThrowsAsync<PaymentGatewayException>(() => clientA.Reports.GetPaymentsAcrossMerchantsAsync(query with { Report = own with { GroupBy = ["merchant_secret"] } }, admin));
        Assert.Equal((400, ErrorCode.ParameterInvalid, "group_by"), (bad.Status, bad.Code, bad.Param));
    }
}
