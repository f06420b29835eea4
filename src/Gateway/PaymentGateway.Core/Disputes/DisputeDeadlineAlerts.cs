using System.Globalization;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// <c>dispute.evidence_due_soon</c>: for every dispute still awaiting the merchant's answer, once per configured
/// threshold (<see cref="DisputeOptions.EvidenceDueSoon"/>) when the deadline comes within it, and never after the
/// deadline. "Once" holds across nodes: the threshold is recorded on the dispute in the same version-checked commit as
/// the event, so two nodes that both see it due write one event (the loser re-reads and finds it recorded). A
/// deadline the provider moves is a new deadline and is announced again.
/// </summary>
public sealed class DisputeDeadlineAlerts(IDisputeStore store, DisputeWriter writer, IOptions<DisputeOptions> options)
{
    /// <summary>One pass; returns how many events it wrote.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var thresholds = options.Value.DueSoonThresholds();
        if (thresholds.Count == 0)
        {
            return 0;
        }

        var written = 0;
        var now = writer.Time.GetUtcNow();
        foreach (var candidate in await store.ListDisputesDueBeforeAsync(now + thresholds[0], 200, ct).ConfigureAwait(false))
        {
            written += await DisputeWriter.RetryAsync(async token =>
            {
                var dispute = await store.GetDisputeByIdAsync(candidate.Id, token).ConfigureAwait(false);
                if (dispute is null || !dispute.Status.AwaitsResponse() || dispute.EvidenceDueBy is not { } due || now >= due)
                {
                    return 0;
                }

                var changes = new DisputeChanges();
                foreach (var threshold in thresholds.Where(t => now >= due - t))
                {
                    var mark = string.Create(CultureInfo.InvariantCulture, $"{(long)threshold.TotalSeconds}:{due.ToUnixTimeMilliseconds()}");
                    if (!dispute.AlertsSent.Contains(mark))
                    {
                        dispute.AlertsSent.Add(mark);
                        changes.Events.Add(EventFactory.ForDispute(dispute, EventTypes.DisputeEvidenceDueSoon, now));
                    }
                }

                if (changes.Events.Count == 0)
                {
                    return 0;
                }

                changes.UpdatedDisputes.Add(dispute);
                await writer.CommitAsync(changes, token).ConfigureAwait(false);
                return changes.Events.Count;
            }, ct).ConfigureAwait(false);
        }

        return written;
    }
}
