using Microsoft.Extensions.Options;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// Builds the analytics rollups from the event log, off the payment path (docs/reporting.md). A forward pass reads the
/// events after the cursor that are older than <see cref="ReportOptions.SealLag"/>, page by page; a sweep re-reads the
/// last <see cref="ReportOptions.SweepWindow"/> for events that committed after the cursor passed them. Each page is one
/// store transaction that marks its events, so an event is counted once even when two nodes or both passes meet it.
/// The caller holds the lease <c>report_rollup</c>.
/// </summary>
public sealed class ReportRollupJob(IReportStore store, IOptions<ReportOptions> options, TimeProvider time)
{
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>When the last pass finished and up to which event time it covered (the reports' "as of").</summary>
    public DateTimeOffset? CoveredUntil { get; private set; }

    /// <summary>The lower bound of every id made at or after <paramref name="at"/> (the id's time part, truncated).</summary>
    public static string IdFloor(DateTimeOffset at) => ExportIdBounds.Floor(Ids.Event, at);

    /// <summary>One forward pass (and the sweep when due); returns how many events it counted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var sealedBefore = IdFloor(now - settings.SealLag);
        var counted = 0;
        var cursor = await store.GetReportCursorAsync(ct).ConfigureAwait(false);
        while (!ct.IsCancellationRequested)
        {
            var page = await store.ListEventsForRollupAsync(cursor, sealedBefore, settings.RollupPageSize, ct).ConfigureAwait(false);
            if (page.LastId is not { } next)
            {
                break; // the cursor stays at the last event looked at; nothing to write
            }

            // A page of events reports do not count (a run of payment.created) still moves the cursor past them.
            counted += await ApplyAsync(page.Events, next, ct).ConfigureAwait(false);
            cursor = next;
            if (page.Scanned < settings.RollupPageSize)
            {
                break;
            }
        }

        if (now - _lastSweep >= settings.SweepInterval && cursor is not null)
        {
            counted += await SweepAsync(cursor, now, ct).ConfigureAwait(false);
            _lastSweep = now;
        }

        CoveredUntil = now - settings.SealLag;
        return counted;
    }

    /// <summary>Counts events behind the cursor that were not counted yet (committed late), then forgets old marks.</summary>
    public async Task<int> SweepAsync(string cursor, DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        var from = IdFloor(now - settings.SweepWindow);
        var counted = 0;
        while (!ct.IsCancellationRequested)
        {
            var late = await store.ListUnrolledEventsAsync(from, cursor, settings.RollupPageSize, ct).ConfigureAwait(false);
            if (late.Count == 0)
            {
                break;
            }

            counted += await ApplyAsync(late, null, ct).ConfigureAwait(false);
            if (late.Count < settings.RollupPageSize)
            {
                break;
            }
        }

        await store.PruneReportMarksAsync(from, ct).ConfigureAwait(false);
        return counted;
    }

    private async Task<int> ApplyAsync(IReadOnlyList<GatewayEvent> events, string? cursor, CancellationToken ct)
    {
        var paymentIds = events.Select(ReportFacts.PaymentIdOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var context = paymentIds.Count == 0
            ? ReportPaymentContext.Empty
            : await store.LoadReportContextAsync(paymentIds, ct).ConfigureAwait(false);
        return await store.ApplyReportRollupAsync(new ReportRollupBatch
        {
            Events = events,
            StateKeys = ReportFacts.StateKeysOf(events),
            Decide = (fresh, states) => ReportFacts.Apply(fresh, states, context),
            AdvanceCursorTo = cursor,
        }, ct).ConfigureAwait(false);
    }
}
