using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- exports

    private static ExportJob NewExport(string merchant, string type = "payments", DateTimeOffset? created = null) =>
        ExportService.Validate(new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret),
            new CreateExportRequest { Type = type, From = T0.AddDays(-1), To = T0.AddDays(1) }, null, null, created ?? T0);

    [StoreFact]
    public async Task An_export_is_claimed_by_one_worker_until_its_lease_runs_out_and_only_the_holder_writes_it()
    {
        var merchant = NewMerchantId();
        var job = NewExport(merchant);
        await Store.Exports.CreateExportAsync(job, Ct);

        var claimed = await Store.Exports.ClaimExportAsync("node-a", T0, T0.AddMinutes(2), Ct);
        Assert.Equal(job.Id, claimed?.Id);
        Assert.Null(await Store.Exports.ClaimExportAsync("node-b", T0.AddMinutes(1), T0.AddMinutes(3), Ct));

        claimed!.Status = ExportStatus.Running;
        claimed.Rows = 42;
        Assert.False(await Store.Exports.UpdateExportAsync(claimed, "node-b", T0.AddMinutes(2), Ct));
        Assert.True(await Store.Exports.UpdateExportAsync(claimed, "node-a", T0.AddMinutes(2), Ct));
        Assert.Equal(42, (await Store.Exports.GetExportAsync(merchant, false, job.Id, Ct))?.Rows);

        // node-a died: after its lease another node takes the job over, and node-a can no longer write it.
        var takenOver = await Store.Exports.ClaimExportAsync("node-b", T0.AddMinutes(3), T0.AddMinutes(5), Ct);
        Assert.Equal(job.Id, takenOver?.Id);
        Assert.False(await Store.Exports.UpdateExportAsync(claimed, "node-a", T0.AddMinutes(5), Ct));
        Assert.Null(await Store.Exports.GetExportAsync(NewMerchantId(), false, job.Id, Ct));
    }

    [StoreFact]
    public async Task Succeeded_exports_expire_once_their_download_time_ended()
    {
        var merchant = NewMerchantId();
        var job = NewExport(merchant);
        await Store.Exports.CreateExportAsync(job, Ct);
        var claimed = await Store.Exports.ClaimExportAsync("node-a", T0, T0.AddMinutes(2), Ct) ?? throw new InvalidOperationException();
        claimed.Status = ExportStatus.Succeeded;
        claimed.FileName = "abc.csv";
        claimed.ExpiresAt = T0.AddHours(24);
        Assert.True(await Store.Exports.UpdateExportAsync(claimed, "node-a", T0, Ct));

        Assert.Empty(await Store.Exports.ExpireExportsAsync(T0.AddHours(23), 10, Ct));
        var expired = Assert.Single(await Store.Exports.ExpireExportsAsync(T0.AddHours(24), 10, Ct));
        Assert.Equal("abc.csv", expired.FileName);
        Assert.Equal(ExportStatus.Expired, (await Store.Exports.GetExportAsync(merchant, false, job.Id, Ct))?.Status);
        Assert.Null(await Store.Exports.ClaimExportAsync("node-b", T0.AddDays(2), T0.AddDays(3), Ct));
    }

    [StoreFact]
    public async Task An_export_run_writes_every_row_in_range_and_filter_as_v1_csv_with_progress()
    {
        var merchant = NewMerchantId();
        var inRange = Enumerable.Range(0, 2503).Select(i =>
        {
            var at = T0.AddSeconds(i);
            return new Payment
            {
                Id = Ids.New(Ids.Payment, at),
                MerchantId = merchant,
                Livemode = false,
                Status = i % 5 == 0 ? PaymentStatus.Failed : PaymentStatus.Succeeded,
                Amount = 100 + i,
                Currency = "EUR",
                Description = i == 7 ? "=cmd|' /C calc'!A0" : $"order, \"{i}\"",
                Created = at,
                Updated = at,
            };
        }).ToList();
        var outside = Payment(merchant, created: T0.AddDays(2), status: PaymentStatus.Succeeded);
        var otherMerchant = Payment(NewMerchantId(), created: T0, status: PaymentStatus.Succeeded);
        await CommitAsync(c => c.NewPayments.AddRange([.. inRange, outside, otherMerchant]));
        var job = NewExport(merchant);
        job.Filters["status"] = "succeeded";
        await Store.Exports.CreateExportAsync(job, Ct);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "pg-export-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var runner = new ExportRunner(Store.Exports, Store.Payments, Options.Create(new ReportOptions()), Options.Create(new GatewayOptions { DataDirectory = dataDirectory }),
                TimeProvider.System);
            Assert.True(await runner.RunOnceAsync(Ct));
            Assert.False(await runner.RunOnceAsync(Ct));

            var done = await Store.Exports.GetExportAsync(merchant, false, job.Id, Ct) ?? throw new InvalidOperationException();
            Assert.Equal(ExportStatus.Succeeded, done.Status);
            Assert.Equal((2002L, 2002L, 100), (done.Rows, done.TotalRows ?? 0, done.ProgressPercent));
            var file = Path.Combine(dataDirectory, "exports", done.FileName ?? string.Empty);
            using var reader = new CsvHelper.CsvReader(new StreamReader(file), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(reader.Read() && reader.ReadHeader());
            Assert.Equal(ExportColumns.Payments, reader.HeaderRecord);
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetField("id") ?? string.Empty);
                Assert.Equal("succeeded", reader.GetField("status"));
                if (ids[^1] == inRange[7].Id)
                {
                    Assert.Equal("'=cmd|' /C calc'!A0", reader.GetField("description"));
                }
            }

            Assert.Equal(inRange.Where(p => p.Status == PaymentStatus.Succeeded).Select(p => p.Id).Order(StringComparer.Ordinal), ids);
            Assert.Contains(ids, id => id == inRange[7].Id);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static ExportJob NewScheduled(string merchant, DateTimeOffset from) =>
        ExportService.Validate(new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret),
            new CreateExportRequest { Type = "payments", Schedule = ExportService.Daily, From = from }, null, null, T0);

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [StoreFact]
    public async Task A_scheduled_export_waits_for_the_end_of_its_period_and_only_an_unclaimed_pending_export_can_be_canceled()
    {
        var merchant = NewMerchantId();
        var today = ExportService.PeriodStart(ExportService.Daily, T0);
        var yesterday = NewScheduled(merchant, today.AddDays(-1));
        var current = NewScheduled(merchant, today);
        await Store.Exports.CreateExportAsync(yesterday, Ct);
        await Store.Exports.CreateExportAsync(current, Ct);

        Assert.Equal(yesterday.Id, (await Store.Exports.ClaimExportAsync("node-a", T0, T0.AddMinutes(2), Ct))?.Id);
        Assert.Null(await Store.Exports.ClaimExportAsync("node-a", T0.AddMinutes(1), T0.AddMinutes(3), Ct)); // today's waits for midnight

        yesterday.Status = ExportStatus.Canceled;
        Assert.False(await Store.Exports.CancelExportAsync(yesterday, Ct)); // claimed: a worker has it
        var foreign = NewScheduled(NewMerchantId(), today);
        foreign = new ExportJob
        {
            Id = current.Id,
            MerchantId = foreign.MerchantId,
            Livemode = false,
            Type = current.Type,
            ColumnsVersion = current.ColumnsVersion,
            Status = ExportStatus.Canceled,
            From = current.From,
            To = current.To,
        };
        Assert.False(await Store.Exports.CancelExportAsync(foreign, Ct)); // another merchant's id
        current.Status = ExportStatus.Canceled;
        Assert.True(await Store.Exports.CancelExportAsync(current, Ct));
        Assert.Equal(ExportStatus.Canceled, (await Store.Exports.GetExportAsync(merchant, false, current.Id, Ct))?.Status);
        Assert.False(await Store.Exports.CancelExportAsync(current, Ct));
        Assert.Equal(yesterday.Id, (await Store.Exports.ClaimExportAsync("node-b", today.AddDays(2), today.AddDays(3), Ct))?.Id); // its lease ran out
        Assert.Null(await Store.Exports.ClaimExportAsync("node-b", today.AddDays(2), today.AddDays(3), Ct)); // the canceled one is never run
    }

    [StoreFact]
    public async Task A_finished_scheduled_export_queues_the_next_period_once_and_announces_itself_with_report_ready()
    {
        var merchant = NewMerchantId();
        var today = ExportService.PeriodStart(ExportService.Daily, T0);
        var job = NewScheduled(merchant, today.AddDays(-1));
        await Store.Exports.CreateExportAsync(job, Ct);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "scheduled-export-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var runner = new ExportRunner(Store.Exports, Store.Payments, Options.Create(new ReportOptions()), Options.Create(new GatewayOptions { DataDirectory = dataDirectory }),
                new StoppedClock(T0));
            Assert.True(await runner.RunOnceAsync(Ct));
            Assert.False(await runner.RunOnceAsync(Ct)); // the next period has not ended

            var done = await Store.Exports.GetExportAsync(merchant, false, job.Id, Ct) ?? throw new InvalidOperationException();
            Assert.Equal(ExportStatus.Succeeded, done.Status);
            var expected = ExportService.NextScheduled(done, T0);
            var next = await Store.Exports.GetExportAsync(merchant, false, expected.Id, Ct) ?? throw new InvalidOperationException("no next period");
            Assert.Equal((ExportStatus.Pending, today, today.AddDays(1), "daily"), (next.Status, next.From, next.To, next.Schedule));
            Assert.Equal(2, (await Store.Exports.ListExportsAsync(merchant, false, new ListQuery { Limit = 10 }, Ct)).Count);

            var ready = Assert.Single(await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { ObjectId = job.Id }, Ct));
            Assert.Equal(Core.Events.EventTypes.ReportReady, ready.Type);
            Assert.Contains($"/v1/exports/{job.Id}/download", ready.DataJson, StringComparison.Ordinal);

            // Once the next day ended, it runs and queues the day after.
            var later = new ExportRunner(Store.Exports, Store.Payments, Options.Create(new ReportOptions()), Options.Create(new GatewayOptions { DataDirectory = dataDirectory }),
                new StoppedClock(today.AddDays(1).AddMinutes(1)));
            Assert.True(await later.RunOnceAsync(Ct));
            Assert.Equal(ExportStatus.Succeeded, (await Store.Exports.GetExportAsync(merchant, false, next.Id, Ct))?.Status);
            Assert.Equal(3, (await Store.Exports.ListExportsAsync(merchant, false, new ListQuery { Limit = 10 }, Ct)).Count);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    // ---------------------------------------------------------------- settlements

    private static SettlementLine Line(string merchant, string account, string key, string? payment, string payout, SettlementLineStatus status = SettlementLineStatus.Matched) => new()
    {
        Id = Ids.New(Ids.SettlementLine),
        MerchantId = merchant,
        Livemode = false,
        ProviderAccountId = account,
        Provider = "adyen",
        LineKey = key,
        Type = SettlementLineType.Payment,
        ProviderType = "Settled",
        Status = status,
        PaymentId = payment,
        Currency = "EUR",
        Gross = 1000,
        Fee = 12,
        Net = 988,
        Fees = new Dictionary<string, long> { ["interchange"] = 7, ["markup"] = 5 },
        PayoutId = payout,
        PayoutDate = new DateOnly(2025, 3, 20),
        Created = T0,
    };

    [StoreFact]
    public async Task Settlement_lines_are_unique_per_account_and_key_and_an_import_is_all_or_nothing()
    {
        var merchant = NewMerchantId();
        var paid = Payment(merchant, status: PaymentStatus.Succeeded);
        await CommitAsync(c => c.NewPayments.Add(paid));
        var changes = new SettlementImportChanges();
        changes.NewLines.Add(Line(merchant, "pa_1", "b1|Settled|psp1", paid.Id, "b1"));
        changes.NewPayouts.Add(new SettlementPayout { Id = Ids.New(Ids.SettlementPayout), MerchantId = merchant, Livemode = false, ProviderAccountId = "pa_1", Provider = "adyen", PayoutId = "b1", Created = T0 });
        await Store.Settlements.CommitSettlementImportAsync(changes, Ct);

        Assert.Equal(["b1|Settled|psp1"], await Store.Settlements.FindExistingSettlementLineKeysAsync("pa_1", ["b1|Settled|psp1", "b1|Fee|x"], Ct));
        Assert.Empty(await Store.Settlements.FindExistingSettlementLineKeysAsync("pa_2", ["b1|Settled|psp1"], Ct));

        var again = new SettlementImportChanges();
        again.NewLines.Add(Line(merchant, "pa_1", "b1|Fee|x", null, "b1", SettlementLineStatus.NotApplicable));
        again.NewLines.Add(Line(merchant, "pa_1", "b1|Settled|psp1", paid.Id, "b1"));
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.Settlements.CommitSettlementImportAsync(again, Ct)));
        Assert.Single(await Store.Settlements.ListSettlementLinesOfPayoutAsync("pa_1", "b1", Ct));

        var byPayment = Assert.Single(await Store.Settlements.ListSettlementLinesAsync(merchant, false, new SettlementLineListQuery { Limit = 10, PaymentId = paid.Id }, Ct));
        Assert.Equal((1000L, 12L, 988L, 7L), (byPayment.Gross, byPayment.Fee, byPayment.Net, byPayment.Fees["interchange"]));
        Assert.Equal(new DateOnly(2025, 3, 20), byPayment.PayoutDate);
    }

    [StoreFact]
    public async Task Payout_updates_are_version_checked_and_carry_their_event()
    {
        var merchant = NewMerchantId();
        var first = new SettlementImportChanges();
        var payout = new SettlementPayout { Id = Ids.New(Ids.SettlementPayout), MerchantId = merchant, Livemode = false, ProviderAccountId = "pa_1", Provider = "adyen", PayoutId = "b9", Created = T0 };
        first.NewPayouts.Add(payout);
        await Store.Settlements.CommitSettlementImportAsync(first, Ct);

        var stored = await Store.Settlements.GetSettlementPayoutAsync("pa_1", "b9", Ct) ?? throw new InvalidOperationException();
        var stale = await Store.Settlements.GetSettlementPayoutAsync("pa_1", "b9", Ct) ?? throw new InvalidOperationException();
        stored.Status = "reconciled";
        var update = new SettlementImportChanges();
        update.UpdatedPayouts.Add(stored);
        update.Events.Add(Event(merchant, stored.Id, Core.Events.EventTypes.PayoutReconciled));
        await Store.Settlements.CommitSettlementImportAsync(update, Ct);
        stale.Status = "open";
        var lost = new SettlementImportChanges();
        lost.UpdatedPayouts.Add(stale);
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.Settlements.CommitSettlementImportAsync(lost, Ct)));

        Assert.Equal("reconciled", (await Store.Settlements.GetSettlementPayoutAsync("pa_1", "b9", Ct))?.Status);
        Assert.Single(await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 10, Type = Core.Events.EventTypes.PayoutReconciled }, Ct));
        Assert.Single(await Store.Settlements.ListSettlementPayoutsAsync(merchant, false, new ListQuery { Limit = 10 }, Ct));
    }

    [StoreFact]
    public async Task Captured_payments_without_a_settlement_line_are_listed_as_unsettled()
    {
        var merchant = NewMerchantId();
        Payment Captured(DateTimeOffset at)
        {
            var p = Payment(merchant, created: at, status: PaymentStatus.Succeeded, updated: at);
            p.Provider = "adyen";
            return p;
        }

        var settled = Captured(T0.AddDays(-10));
        var unsettled = Captured(T0.AddDays(-9));
        var recent = Captured(T0.AddDays(-1));
        var pending = Payment(merchant, created: T0.AddDays(-9), status: PaymentStatus.RequiresCapture, updated: T0.AddDays(-9));
        await CommitAsync(c => c.NewPayments.AddRange([settled, unsettled, recent, pending]));
        var changes = new SettlementImportChanges();
        changes.NewLines.Add(Line(merchant, "pa_1", "k1", settled.Id, "b1"));
        await Store.Settlements.CommitSettlementImportAsync(changes, Ct);

        var found = await Store.Settlements.ListUnsettledPaymentsAsync(merchant, false, T0.AddDays(-100), T0.AddDays(-7), 10, Ct);

        Assert.Equal([unsettled.Id], IdsOf(found));
    }
}
