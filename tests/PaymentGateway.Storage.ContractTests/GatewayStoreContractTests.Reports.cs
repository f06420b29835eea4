using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- reports: rollups from the event log

    /// <summary>A clock a little ahead of the real one: every event just written is older than the seal lag (5 s) and still inside the sweep window (10 min).</summary>
    private sealed class LaterClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddSeconds(30);
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><paramref name="e"/> under another id (as if minted at another moment).</summary>
    private static GatewayEvent WithId(GatewayEvent e, string id) => new()
    {
        Id = id,
        MerchantId = e.MerchantId,
        Livemode = e.Livemode,
        Type = e.Type,
        ObjectId = e.ObjectId,
        Created = e.Created,
        DataJson = e.DataJson,
    };

    private ReportRollupJob RollupJob() => new(Store.Reports, Options.Create(new ReportOptions()), new LaterClock());

    /// <summary>A card payment whose events are written as it moves (each a snapshot at its time), with the final row.</summary>
    private sealed class Lifecycle(string merchant, string currency, long amount, CaptureMethod capture = CaptureMethod.Automatic)
    {
        public Payment Payment { get; } = NewCard(merchant, currency, amount, capture);

        public List<GatewayEvent> Events { get; } = [];

        private static Payment NewCard(string merchant, string currency, long amount, CaptureMethod capture)
        {
            var p = new Payment
            {
                Id = Ids.New(Ids.Payment),
                MerchantId = merchant,
                Livemode = false,
                Status = PaymentStatus.Processing,
                Amount = amount,
                Currency = currency,
                CaptureMethod = capture,
                Created = Utc("2026-03-28T00:00:00Z"),
                Updated = Utc("2026-03-28T00:00:00Z"),
            };
            var attempt = PaymentWriter.AddAttempt(p, "simulator", "pa_sim", "pm_1", p.Created);
            attempt.LatencyMs = 120;
            return p;
        }

        public Lifecycle Move(PaymentStatus status, string at, string? declineCode = null)
        {
            Payment.Status = status;
            if (status == PaymentStatus.Succeeded)
            {
                Payment.AmountReceived = Payment.Amount;
            }

            if (declineCode is not null)
            {
                Payment.LastPaymentError = new PaymentError { Code = "card_declined", DeclineCode = declineCode, Message = "Declined." };
            }

            Events.Add(EventFactory.ForPayment(Payment, EventFactory.PaymentEventFor(status) ?? throw new InvalidOperationException(), Utc(at)));
            return this;
        }

        private Core.Disputes.Dispute? _dispute;

        /// <summary>A dispute of <paramref name="amount"/> opened at <paramref name="at"/> (an inquiry when <paramref name="inquiry"/>).</summary>
        public Lifecycle Disputed(long amount, string at, bool inquiry = false)
        {
            _dispute = new Core.Disputes.Dispute
            {
                Id = Ids.New(Ids.Dispute, Utc(at)),
                MerchantId = Payment.MerchantId,
                Livemode = false,
                PaymentId = Payment.Id,
                Provider = "simulator",
                ProviderDisputeId = "du_" + Guid.NewGuid().ToString("N"),
                Status = inquiry ? Core.Disputes.DisputeStatus.WarningNeedsResponse : Core.Disputes.DisputeStatus.NeedsResponse,
                Stage = inquiry ? Core.Disputes.DisputeStage.Inquiry : Core.Disputes.DisputeStage.Chargeback,
                Amount = amount,
                Currency = Payment.Currency,
                Created = Utc(at),
                Updated = Utc(at),
            };
            Events.Add(EventFactory.ForDispute(_dispute, EventTypes.DisputeCreated, Utc(at)));
            return this;
        }

        /// <summary>The dispute moves to <paramref name="status"/>: <c>dispute.closed</c> when that closes it, else <c>dispute.updated</c>.</summary>
        public Lifecycle DisputeMoves(Core.Disputes.DisputeStatus status, string at)
        {
            var dispute = _dispute ?? throw new InvalidOperationException("no dispute");
            dispute.Status = status;
            Events.Add(EventFactory.ForDispute(dispute, Core.Disputes.DisputeStatusNames.IsClosed(status) ? EventTypes.DisputeClosed : EventTypes.DisputeUpdated, Utc(at)));
            return this;
        }

        public Lifecycle Refund(long amount, string at)
        {
            var refund = new Refund
            {
                Id = Ids.New(Ids.Refund),
                MerchantId = Payment.MerchantId,
                Livemode = false,
                PaymentId = Payment.Id,
                Amount = amount,
                Currency = Payment.Currency,
                Status = RefundStatus.Succeeded,
                IdempotencyKey = Ids.New("k"),
            };
            Events.Add(EventFactory.ForRefund(refund, EventTypes.RefundSucceeded, Utc(at)));
            return this;
        }
    }

    private async Task WriteAsync(params Lifecycle[] payments) =>
        await CommitAsync(c =>
        {
            foreach (var l in payments)
            {
                c.NewPayments.Add(l.Payment);
                c.Events.AddRange(l.Events);
            }
        });

    private async Task<(string Merchant, ReportRollupJob Job)> DstScenarioAsync()
    {
        var merchant = NewMerchantId();
        await WriteAsync(
            new Lifecycle(merchant, "EUR", 1000).Move(PaymentStatus.Succeeded, "2026-03-28T22:50:00Z"), // 23:50 on the 28th in Amsterdam
            new Lifecycle(merchant, "EUR", 2500, CaptureMethod.Manual)
                .Move(PaymentStatus.RequiresCapture, "2026-03-28T23:10:00Z") // 00:10 on the 29th (still CET)
                .Move(PaymentStatus.Succeeded, "2026-03-29T12:00:00Z")
                .Refund(500, "2026-03-29T13:00:00Z").Refund(300, "2026-03-29T13:05:00Z"),
            new Lifecycle(merchant, "USD", 7000).Move(PaymentStatus.Succeeded, "2026-03-29T21:59:00Z"), // 23:59 CEST on the 29th
            new Lifecycle(merchant, "EUR", 800).Move(PaymentStatus.Failed, "2026-03-29T10:00:00Z", "do_not_honor"),
            new Lifecycle(merchant, "EUR", 1200).Move(PaymentStatus.Failed, "2026-03-29T22:01:00Z", "insufficient_funds")); // 00:01 on the 30th
        var job = RollupJob();
        Assert.Equal(8, await job.RunOnceAsync(Ct));
        return (merchant, job);
    }

    private static ReportRequest Days(string from, string to, string? zone, params ReportDimension[] groupBy) =>
        new() { From = DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), To = DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), TimeZone = zone, GroupBy = groupBy };

    [StoreFact]
    public async Task Reports_sum_the_rollups_into_local_days_across_the_dst_change_with_amounts_per_currency()
    {
        var (merchant, job) = await DstScenarioAsync();
        var reports = new ReportQueries(Store.Reports, job);
        var caller = new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret);

        var report = await reports.PaymentsAsync(caller, Days("2026-03-28", "2026-03-30", "Europe/Amsterdam"), Ct);

        Assert.Equal(["2026-03-28", "2026-03-29"], report.Data.Select(r => r.Period));
        var (d28, d29) = (report.Data[0], report.Data[1]);
        Assert.Equal((1L, 1L, 0L, 1L), (d28.Attempted, d28.Authorized, d28.Declined, d28.Captured));
        Assert.Equal(Utc("2026-03-28T23:00:00Z"), d29.PeriodStart);
        Assert.Equal(Utc("2026-03-29T22:00:00Z"), d29.PeriodEnd);
        Assert.Equal((3L, 2L, 1L, 2L, 2L), (d29.Attempted, d29.Authorized, d29.Declined, d29.Captured, d29.Refunds));
        Assert.Equal(0.6667, d29.ApprovalRate);
        Assert.Equal(1.0, d29.RefundRate);
        Assert.Equal(0L, d29.Disputes);
        Assert.Equal(125, d29.Latency.P50Ms); // 120 ms each: the 100–150 ms bucket, interpolated at its middle
        Assert.Equal(3L, d29.Latency.Count);
        var eur = Assert.Single(d29.Amounts, a => a.Currency == "EUR");
        var usd = Assert.Single(d29.Amounts, a => a.Currency == "USD");
        Assert.Equal((2500L, 2500L, 800L), (eur.Authorized, eur.Captured, eur.Refunded));
        Assert.Equal((7000L, 7000L, 0L), (usd.Authorized, usd.Captured, usd.Refunded));

        // The same rollups in UTC put the 23:10 authorization on the 28th.
        var utc = await reports.PaymentsAsync(caller, Days("2026-03-28", "2026-03-30", "UTC"), Ct);
        Assert.Equal(2L, utc.Data[0].Attempted);
        Assert.Equal(3L, utc.Data[1].Attempted);

        var byCurrency = await reports.PaymentsAsync(caller, Days("2026-03-29", "2026-03-30", "Europe/Amsterdam", ReportDimension.Currency), Ct);
        Assert.Equal(["EUR", "USD"], byCurrency.Data.Select(r => r.Group["currency"]));
        Assert.Equal([2L, 1L], byCurrency.Data.Select(r => r.Attempted));
    }

    [StoreFact]
    public async Task Hours_across_the_autumn_dst_change_are_summed_in_sql_with_the_repeated_hour_as_two_periods()
    {
        var merchant = NewMerchantId();
        // Amsterdam, 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z, so the local hour 02:00 happens twice.
        await WriteAsync(
            new Lifecycle(merchant, "EUR", 1000).Move(PaymentStatus.Succeeded, "2026-10-24T23:59:00Z"), // 01:59 CEST
            new Lifecycle(merchant, "EUR", 2000).Move(PaymentStatus.Succeeded, "2026-10-25T00:30:00Z"), // 02:30 CEST
            new Lifecycle(merchant, "USD", 3000).Move(PaymentStatus.Succeeded, "2026-10-25T00:59:00Z"), // 02:59 CEST
            new Lifecycle(merchant, "EUR", 4000).Move(PaymentStatus.Succeeded, "2026-10-25T01:00:00Z"), // 02:00 CET
            new Lifecycle(merchant, "EUR", 5000).Move(PaymentStatus.Failed, "2026-10-25T01:44:00Z", "do_not_honor"), // 02:44 CET
            new Lifecycle(merchant, "EUR", 6000).Move(PaymentStatus.Succeeded, "2026-10-25T22:59:00Z"), // 23:59 CET, still the 25th
            new Lifecycle(merchant, "EUR", 7000).Move(PaymentStatus.Succeeded, "2026-10-25T23:00:00Z")); // 00:00 on the 26th
        var job = RollupJob();
        Assert.Equal(7, await job.RunOnceAsync(Ct));
        var reports = new ReportQueries(Store.Reports, job);
        var caller = new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret);

        var hours = await reports.PaymentsAsync(caller, Days("2026-10-25", "2026-10-26", "Europe/Amsterdam") with { Interval = ReportInterval.Hour }, Ct);
        Assert.Equal(["2026-10-25T01:00+02:00", "2026-10-25T02:00+02:00", "2026-10-25T02:00+01:00", "2026-10-25T23:00+01:00"], hours.Data.Select(r => r.Period));
        Assert.Equal([1L, 2L, 2L, 1L], hours.Data.Select(r => r.Attempted));
        Assert.Equal([1L, 2L, 1L, 1L], hours.Data.Select(r => r.Authorized));
        Assert.Equal((Utc("2026-10-25T00:00:00Z"), Utc("2026-10-25T01:00:00Z")), (hours.Data[1].PeriodStart, hours.Data[1].PeriodEnd));
        Assert.Equal((Utc("2026-10-25T01:00:00Z"), Utc("2026-10-25T02:00:00Z")), (hours.Data[2].PeriodStart, hours.Data[2].PeriodEnd));
        Assert.Equal([("EUR", 2000L), ("USD", 3000L)], hours.Data[1].Amounts.Select(a => (a.Currency, a.Captured)));
        Assert.Equal([("EUR", 4000L)], hours.Data[2].Amounts.Select(a => (a.Currency, a.Captured)));

        // The 25-hour day holds everything from 00:00 CEST (22:00Z on the 24th) to 00:00 CET on the 26th (23:00Z).
        var days = await reports.PaymentsAsync(caller, Days("2026-10-24", "2026-10-27", "Europe/Amsterdam"), Ct);
        Assert.Equal(["2026-10-25", "2026-10-26"], days.Data.Select(r => r.Period));
        Assert.Equal([6L, 1L], days.Data.Select(r => r.Attempted));
        Assert.Equal(TimeSpan.FromHours(25), days.Data[0].PeriodEnd - days.Data[0].PeriodStart);
        Assert.Equal([("EUR", 13000L), ("USD", 3000L)], days.Data[0].Amounts.Select(a => (a.Currency, a.Captured)));

        // In UTC the 23:59Z payment is on the 24th; in Kolkata (+05:30) the 25th is 18:30Z on the 24th to 18:30Z.
        var utc = await reports.PaymentsAsync(caller, Days("2026-10-24", "2026-10-27", "UTC"), Ct);
        Assert.Equal([1L, 6L], utc.Data.Select(r => r.Attempted));
        var kolkata = await reports.PaymentsAsync(caller, Days("2026-10-25", "2026-10-26", "Asia/Kolkata"), Ct);
        Assert.Equal(5L, Assert.Single(kolkata.Data).Attempted);

        // A month clipped to the range, and the sum of the hours, agree with the days: each payment in one period once.
        var months = await reports.PaymentsAsync(caller, Days("2026-09-15", "2026-11-15", "Europe/Amsterdam") with { Interval = ReportInterval.Month }, Ct);
        var october = Assert.Single(months.Data);
        Assert.Equal(("2026-10", 7L), (october.Period, october.Attempted));
        Assert.Equal((Utc("2026-09-30T22:00:00Z"), Utc("2026-10-31T23:00:00Z")), (october.PeriodStart, october.PeriodEnd));
        var allHours = await reports.PaymentsAsync(caller, Days("2026-10-24", "2026-10-27", "Europe/Amsterdam") with { Interval = ReportInterval.Hour }, Ct);
        Assert.Equal(5, allHours.Data.Count);
        Assert.Equal(7L, allHours.Data.Sum(r => r.Attempted));
    }

    [StoreFact]
    public async Task Dispute_outcomes_are_counted_once_per_dispute_per_currency_in_the_period_of_the_decision()
    {
        var merchant = NewMerchantId();
        const string Paid = "2026-05-01T10:00:00Z", Opened = "2026-05-02T10:00:00Z";
        await WriteAsync(
            new Lifecycle(merchant, "EUR", 1000).Move(PaymentStatus.Succeeded, Paid).Disputed(1000, Opened)
                .DisputeMoves(Core.Disputes.DisputeStatus.UnderReview, "2026-05-03T10:00:00Z")
                .DisputeMoves(Core.Disputes.DisputeStatus.Won, "2026-05-05T10:00:00Z"),
            new Lifecycle(merchant, "EUR", 2000).Move(PaymentStatus.Succeeded, Paid).Disputed(2000, Opened)
                .DisputeMoves(Core.Disputes.DisputeStatus.Lost, "2026-05-05T11:00:00Z"),
            new Lifecycle(merchant, "USD", 3000).Move(PaymentStatus.Succeeded, Paid).Disputed(3000, Opened)
                .DisputeMoves(Core.Disputes.DisputeStatus.Accepted, "2026-05-06T10:00:00Z"),
            // Partly disputed, won, then lost after pre-arbitration; a repeated "lost" changes nothing.
            new Lifecycle(merchant, "EUR", 4000).Move(PaymentStatus.Succeeded, Paid).Disputed(1500, Opened)
                .DisputeMoves(Core.Disputes.DisputeStatus.Won, "2026-05-05T12:00:00Z")
                .DisputeMoves(Core.Disputes.DisputeStatus.PreArbitrationNeedsResponse, "2026-05-07T10:00:00Z")
                .DisputeMoves(Core.Disputes.DisputeStatus.Lost, "2026-05-08T10:00:00Z")
                .DisputeMoves(Core.Disputes.DisputeStatus.Lost, "2026-05-09T10:00:00Z"),
            // An inquiry that closed without a chargeback is no outcome.
            new Lifecycle(merchant, "EUR", 500).Move(PaymentStatus.Succeeded, Paid).Disputed(500, Opened, inquiry: true)
                .DisputeMoves(Core.Disputes.DisputeStatus.WarningClosed, "2026-05-06T11:00:00Z"));
        var job = RollupJob();
        await job.RunOnceAsync(Ct);
        Assert.Equal(0, await job.RunOnceAsync(Ct));
        var reports = new ReportQueries(Store.Reports, job);
        var caller = new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret);

        var days = (await reports.PaymentsAsync(caller, Days("2026-05-01", "2026-05-10", "UTC"), Ct)).Data.ToDictionary(r => r.Period);
        Assert.Equal(["2026-05-01", "2026-05-02", "2026-05-05", "2026-05-06", "2026-05-08"], days.Keys);
        Assert.Equal((5L, 0L), (days["2026-05-01"].Captured, days["2026-05-01"].Disputes));
        Assert.Equal((5L, null), (days["2026-05-02"].Disputes, days["2026-05-02"].DisputeRate)); // nothing captured that day

        var may5 = days["2026-05-05"];
        Assert.Equal((2L, 1L, 0L, 0.6667), (may5.DisputesWon, may5.DisputesLost, may5.DisputesAccepted, may5.DisputeWinRate));
        var may5Eur = Assert.Single(may5.Amounts);
        Assert.Equal(("EUR", 2500L, 2000L, 0L), (may5Eur.Currency, may5Eur.DisputesWon, may5Eur.DisputesLost, may5Eur.DisputesAccepted));

        var may6 = days["2026-05-06"];
        Assert.Equal((0L, 0L, 1L, null), (may6.DisputesWon, may6.DisputesLost, may6.DisputesAccepted, may6.DisputeWinRate));
        Assert.Equal([("USD", 3000L)], may6.Amounts.Select(a => (a.Currency, a.DisputesAccepted)));

        // The re-decided dispute moves from won to lost on the day of the new decision.
        var may8 = days["2026-05-08"];
        Assert.Equal((-1L, 1L), (may8.DisputesWon, may8.DisputesLost));
        Assert.Equal([("EUR", -1500L, 1500L)], may8.Amounts.Select(a => (a.Currency, a.DisputesWon, a.DisputesLost)));

        // Over the whole range each dispute counts once, at its final outcome; amounts stay per currency.
        var month = Assert.Single((await reports.PaymentsAsync(caller, Days("2026-05-01", "2026-06-01", "UTC") with { Interval = ReportInterval.Month }, Ct)).Data);
        Assert.Equal((5L, 1.0, 1L, 2L, 1L, 0.3333), (month.Disputes, month.DisputeRate, month.DisputesWon, month.DisputesLost, month.DisputesAccepted, month.DisputeWinRate));
        Assert.Equal([("EUR", 5000L, 1000L, 3500L, 0L), ("USD", 3000L, 0L, 0L, 3000L)],
            month.Amounts.Select(a => (a.Currency, a.Disputed, a.DisputesWon, a.DisputesLost, a.DisputesAccepted)));
    }

    [StoreFact]
    public async Task Decline_reasons_are_ranked_within_the_local_range()
    {
        var (merchant, job) = await DstScenarioAsync();
        var reports = new ReportQueries(Store.Reports, job);
        var caller = new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret);

        var inRange = await reports.DeclineReasonsAsync(caller, Days("2026-03-28", "2026-03-30", "Europe/Amsterdam"), Ct);
        var wider = await reports.DeclineReasonsAsync(caller, Days("2026-03-28", "2026-03-31", "Europe/Amsterdam"), Ct);

        Assert.Equal(("do_not_honor", 1L, 1.0), (Assert.Single(inRange.Data).Code, inRange.Data[0].Count, inRange.Data[0].Share));
        Assert.Equal(2L, wider.Total);
        Assert.Equal(["do_not_honor", "insufficient_funds"], wider.Data.Select(d => d.Code));
    }

    [StoreFact]
    public async Task Rolled_up_events_are_not_counted_again_by_a_second_pass_or_a_replayed_page()
    {
        var (merchant, job) = await DstScenarioAsync();
        Assert.Equal(0, await job.RunOnceAsync(Ct));
        var events = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 100 }, Ct);
        var replayed = await Store.Reports.ApplyReportRollupAsync(new ReportRollupBatch
        {
            Events = [.. events.OrderBy(e => e.Id, StringComparer.Ordinal)],
            StateKeys = ReportFacts.StateKeysOf(events),
            Decide = (fresh, states) => ReportFacts.Apply(fresh, states, ReportPaymentContext.Empty),
        }, Ct);
        Assert.Equal(0, replayed);

        var report = await new ReportQueries(Store.Reports, job).PaymentsAsync(new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret),
            Days("2026-03-28", "2026-03-31", "Europe/Amsterdam", ReportDimension.Provider), Ct);
        Assert.Equal(5L, report.Data.Sum(r => r.Attempted));
    }

    [StoreFact]
    public async Task The_forward_pass_reads_only_the_events_reports_count_and_its_cursor_moves_past_the_others()
    {
        var merchant = NewMerchantId();
        var counted = new Lifecycle(merchant, "EUR", 2500).Move(PaymentStatus.Succeeded, "2026-03-12T09:00:00Z");
        var now = DateTimeOffset.UtcNow;
        GatewayEvent Uncounted(string type, int ms) => Event(merchant, counted.Payment.Id, type, created: now, id: Ids.New(Ids.Event, now.AddMilliseconds(ms)));
        var created = Uncounted(EventTypes.PaymentCreated, -30);
        var processing = Uncounted(EventTypes.PaymentProcessing, -20);
        var snapshot = counted.Events.Single();
        var succeeded = WithId(snapshot, Ids.New(Ids.Event, now.AddMilliseconds(-10)));
        var refundCreated = Uncounted(EventTypes.RefundCreated, 0);
        await CommitAsync(c =>
        {
            c.NewPayments.Add(counted.Payment);
            c.Events.AddRange([created, processing, succeeded, refundCreated]);
        });

        var page = await Store.Reports.ListEventsForRollupAsync(null, ReportRollupJob.IdFloor(now.AddMinutes(1)), 100, Ct);
        Assert.Equal(4, page.Scanned);
        Assert.Equal(refundCreated.Id, page.LastId);
        var only = Assert.Single(page.Events);
        Assert.Equal((succeeded.Id, succeeded.DataJson), (only.Id, only.DataJson));

        var job = RollupJob();
        Assert.Equal(1, await job.RunOnceAsync(Ct));
        Assert.Equal(refundCreated.Id, await Store.Reports.GetReportCursorAsync(Ct)); // past the last event, counted or not

        // Only the counted event was marked: the sweep finds nothing to add, and the uncounted events were never marked.
        Assert.Equal(0, await job.SweepAsync(refundCreated.Id, new LaterClock().GetUtcNow(), Ct));
        Assert.Equal(2, await Store.Reports.ApplyReportRollupAsync(new ReportRollupBatch
        {
            Events = [created, succeeded, refundCreated],
            StateKeys = [],
            Decide = (_, _) => new ReportDelta(),
        }, Ct));

        // A later page of uncounted events alone still moves the cursor.
        var later = Uncounted(EventTypes.PaymentCreated, 10);
        await CommitAsync(c => c.Events.Add(later));
        Assert.Equal(0, await job.RunOnceAsync(Ct));
        Assert.Equal(later.Id, await Store.Reports.GetReportCursorAsync(Ct));

        var report = await new ReportQueries(Store.Reports, job).PaymentsAsync(new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret),
            Days("2026-03-12", "2026-03-13", "UTC"), Ct);
        Assert.Equal((1L, 1L), (Assert.Single(report.Data).Attempted, report.Data[0].Captured));
    }

    [StoreFact]
    public async Task The_sweep_counts_an_event_that_committed_after_the_cursor_passed_its_id_exactly_once()
    {
        var merchant = NewMerchantId();
        var first = new Lifecycle(merchant, "EUR", 1000).Move(PaymentStatus.Succeeded, "2026-03-10T10:00:00Z");
        await WriteAsync(first);
        var job = RollupJob();
        Assert.Equal(1, await job.RunOnceAsync(Ct));
        var cursor = await Store.Reports.GetReportCursorAsync(Ct);
        Assert.NotNull(cursor);

        // A transaction that made its event a minute ago commits only now: its id is behind the cursor.
        var late = new Lifecycle(merchant, "EUR", 4000);
        late.Payment.Status = PaymentStatus.Succeeded;
        late.Payment.AmountReceived = 4000;
        var snapshot = EventFactory.ForPayment(late.Payment, EventTypes.PaymentSucceeded, Utc("2026-03-10T10:05:00Z"));
        var lateEvent = WithId(snapshot, Ids.New(Ids.Event, DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.True(string.CompareOrdinal(lateEvent.Id, cursor) < 0);
        await CommitAsync(c => { c.NewPayments.Add(late.Payment); c.Events.Add(lateEvent); });

        Assert.Equal(0, await job.RunOnceAsync(Ct)); // the forward pass does not look back
        var now = new LaterClock().GetUtcNow();
        Assert.Equal(1, await job.SweepAsync(cursor, now, Ct));
        Assert.Equal(0, await job.SweepAsync(cursor, now, Ct));

        var report = await new ReportQueries(Store.Reports, job).PaymentsAsync(new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret),
            Days("2026-03-10", "2026-03-11", "UTC"), Ct);
        var row = Assert.Single(report.Data);
        Assert.Equal((2L, 5000L), (row.Captured, Assert.Single(row.Amounts).Captured));
    }

    /// <summary>A row's figures without its group, to compare a merchant's row of the report across merchants with its own report's.</summary>
    private static string Figures(PaymentsReportRowResource r, string? currency = null) =>
        $"{r.Period} {currency} {r.Attempted}/{r.Authorized}/{r.Declined}/{r.Captured}/{r.Refunds} "
        + string.Join(" ", r.Amounts.Select(a => $"{a.Currency}:{a.Authorized}/{a.Captured}/{a.Refunded}"));

    [StoreFact]
    public async Task The_report_across_merchants_groups_by_merchant_in_one_time_zone_and_each_row_equals_that_merchants_own_report()
    {
        var (a, b, c) = (NewMerchantId(), NewMerchantId(), NewMerchantId());
        await Store.Reports.SetReportTimeZoneAsync(a, "Europe/Amsterdam", Ct);
        await Store.Reports.SetReportTimeZoneAsync(b, "America/New_York", Ct);
        await WriteAsync(
            new Lifecycle(a, "EUR", 1000).Move(PaymentStatus.Succeeded, "2026-03-28T23:30:00Z"), // the 29th in Amsterdam, the 28th in UTC
            new Lifecycle(a, "USD", 2000).Move(PaymentStatus.Succeeded, "2026-03-29T10:00:00Z"),
            new Lifecycle(a, "EUR", 500).Move(PaymentStatus.Failed, "2026-03-29T11:00:00Z", "do_not_honor"),
            new Lifecycle(b, "EUR", 3000).Move(PaymentStatus.Succeeded, "2026-03-29T02:00:00Z"), // the 28th in New York
            new Lifecycle(b, "JPY", 4000).Move(PaymentStatus.Succeeded, "2026-03-29T12:00:00Z").Refund(1000, "2026-03-29T13:00:00Z"),
            new Lifecycle(b, "EUR", 700).Move(PaymentStatus.Failed, "2026-03-29T14:00:00Z", "insufficient_funds"),
            new Lifecycle(c, "EUR", 9999).Move(PaymentStatus.Succeeded, "2026-03-29T10:00:00Z"));
        var job = RollupJob();
        await job.RunOnceAsync(Ct);
        var reports = new ReportQueries(Store.Reports, job);
        var range = Days("2026-03-28", "2026-03-30", null, ReportDimension.Merchant, ReportDimension.Currency) with { Merchants = [a, b] };

        var platform = await reports.PaymentsAcrossMerchantsAsync(null, range, Ct);

        Assert.Equal("UTC", platform.TimeZone); // one zone for every merchant, not their settings
        Assert.Equal(["merchant", "currency"], platform.GroupBy);
        Assert.Equal([a, b], platform.Data.Select(r => r.Group["merchant"]).Distinct().Order(StringComparer.Ordinal));
        foreach (var merchant in new[] { a, b })
        {
            var own = await reports.PaymentsAsync(new CallerContext(merchant, false, Core.Merchants.ApiKeyKind.Secret), Days("2026-03-28", "2026-03-30", "UTC", ReportDimension.Currency), Ct);
            Assert.Equal(own.Data.Select(r => Figures(r, r.Group["currency"])),
                platform.Data.Where(r => r.Group["merchant"] == merchant).Select(r => Figures(r, r.Group["currency"])));
        }

        var bJpy = Assert.Single(platform.Data, r => r.Group["merchant"] == b && r.Group["currency"] == "JPY");
        Assert.Equal(("2026-03-29", 4000L, 1000L), (bJpy.Period, Assert.Single(bJpy.Amounts).Captured, bJpy.Amounts[0].Refunded));

        // Ungrouped: counts add up across merchants, amounts stay per currency.
        var total = await reports.PaymentsAcrossMerchantsAsync(null, Days("2026-03-28", "2026-03-30", null) with { Merchants = [a, b] }, Ct);
        Assert.Equal(["2026-03-28", "2026-03-29"], total.Data.Select(r => r.Period));
        Assert.Equal((1L, 5L, 2L), (total.Data[0].Attempted, total.Data[1].Attempted, total.Data[1].Declined));
        Assert.Equal([("EUR", 3000L), ("JPY", 4000L), ("USD", 2000L)], total.Data[1].Amounts.Select(x => (x.Currency, x.Captured)));

        // In a merchant's own zone, its row equals its default report (which follows its setting).
        var amsterdam = await reports.PaymentsAcrossMerchantsAsync(null, Days("2026-03-28", "2026-03-30", "Europe/Amsterdam", ReportDimension.Merchant) with { Merchants = [a] }, Ct);
        var ownDefault = await reports.PaymentsAsync(new CallerContext(a, false, Core.Merchants.ApiKeyKind.Secret), Days("2026-03-28", "2026-03-30", null), Ct);
        Assert.Equal("Europe/Amsterdam", ownDefault.TimeZone);
        Assert.Equal(ownDefault.Data.Select(r => Figures(r)), amsterdam.Data.Select(r => Figures(r)));
        Assert.Equal(["2026-03-29"], amsterdam.Data.Select(r => r.Period));

        // The caller's scope limits the merchants, whatever the filter asks for; the test mode's rows are not the live mode's.
        var scoped = await reports.PaymentsAcrossMerchantsAsync(new HashSet<string> { a, c }, Days("2026-03-28", "2026-03-30", null, ReportDimension.Merchant), Ct);
        Assert.Equal([a, c], scoped.Data.Select(r => r.Group["merchant"]).Distinct().Order(StringComparer.Ordinal));
        var narrowed = await reports.PaymentsAcrossMerchantsAsync(new HashSet<string> { a }, range, Ct);
        Assert.Equal([a], narrowed.Data.Select(r => r.Group["merchant"]).Distinct());
        Assert.Empty((await reports.PaymentsAcrossMerchantsAsync(new HashSet<string>(), range, Ct)).Data);
        Assert.Empty((await reports.PaymentsAcrossMerchantsAsync(null, range with { Livemode = true }, Ct)).Data);

        // Every merchant (the admin key, no filter): these merchants' rows are among them, unchanged.
        var all = await reports.PaymentsAcrossMerchantsAsync(null, range with { Merchants = null }, Ct);
        Assert.Equal(platform.Data.Select(r => Figures(r, r.Group["merchant"] + r.Group["currency"])),
            all.Data.Where(r => r.Group["merchant"] == a || r.Group["merchant"] == b).Select(r => Figures(r, r.Group["merchant"] + r.Group["currency"])));

        var declines = await reports.DeclineReasonsAcrossMerchantsAsync(null, Days("2026-03-28", "2026-03-30", null, ReportDimension.Merchant) with { Merchants = [a, b] }, Ct);
        Assert.Equal(2L, declines.Total);
        Assert.Equal([(a, "do_not_honor", 1L), (b, "insufficient_funds", 1L)],
            declines.Data.Select(d => (d.Group["merchant"], d.Code, d.Count)).OrderBy(d => d.Item1, StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task The_report_time_zone_is_a_merchant_setting()
    {
        var merchant = NewMerchantId();
        Assert.Null(await Store.Reports.GetReportTimeZoneAsync(merchant, Ct));
        await Store.Reports.SetReportTimeZoneAsync(merchant, "Asia/Kolkata", Ct);
        await Store.Reports.SetReportTimeZoneAsync(merchant, "Europe/Amsterdam", Ct);
        Assert.Equal("Europe/Amsterdam", await Store.Reports.GetReportTimeZoneAsync(merchant, Ct));
        Assert.Null(await Store.Reports.GetReportTimeZoneAsync(NewMerchantId(), Ct));
    }
}
