using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// The one writer every dispute flow goes through. It adds facts, projects the dispute's state from all of them
/// (<see cref="DisputeFold"/>), moves the payment's <c>amount_disputed</c> by what the dispute now holds
/// (<see cref="DisputeHold"/>), writes the events the change deserves, and commits dispute, payment and events in one
/// version-checked transaction (<see cref="IDisputeStore.CommitDisputesAsync"/>). Callers run their read-decide-commit
/// step inside <see cref="RetryAsync{T}"/>, so a concurrent refund or notification makes them read again and decide
/// again: events are written exactly once, for the change that committed.
/// </summary>
public sealed class DisputeWriter(IDisputeStore store, TimeProvider time)
{
    /// <summary>A dispute keeps at most this many facts; a provider that keeps inventing new ones is ignored past it.</summary>
    public const int MaxFacts = 500;

    private const int MaxConflictRetries = 50;

    public TimeProvider Time => time;

    /// <summary>
    /// Runs <paramref name="attempt"/> (read, decide, commit) again while its commit loses a version check, with a short
    /// jittered pause; after <see cref="MaxConflictRetries"/> rounds the caller gets 409 <c>concurrent_update</c>.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var round = 0; ; round++)
        {
            try
            {
                return await attempt(ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (round < MaxConflictRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 3 + Math.Min(round, 20))), ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate,
                    "Too many concurrent changes to this dispute or its payment; retry the request with the same Idempotency-Key.");
            }
        }
    }

    /// <summary>A new dispute on <paramref name="payment"/>, before any fact; <see cref="Project"/> gives it its state.</summary>
    public static Dispute New(Payment payment, string provider, string? providerAccountId, string providerDisputeId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new Dispute
        {
            Id = Ids.New(Ids.Dispute),
            MerchantId = payment.MerchantId,
            Livemode = payment.Livemode,
            PaymentId = payment.Id,
            Provider = provider,
            ProviderAccountId = providerAccountId,
            ProviderDisputeId = providerDisputeId,
            ProviderPaymentReference = payment.ProviderReference,
            Amount = payment.Amount,
            Currency = payment.Currency,
            Created = now,
            Updated = now,
        };
    }

    /// <summary>
    /// Adds the facts of <paramref name="fresh"/> that <paramref name="dispute"/> does not have yet and projects its new
    /// state into <paramref name="changes"/>: the dispute (new or updated), the payment when what the dispute holds
    /// changed (or the dispute is new), and the events. False when nothing changed (every fact was known).
    /// </summary>
    public bool Project(Dispute dispute, Payment payment, IEnumerable<DisputeFact> fresh, bool isNew, DisputeChanges changes, string? eventType = null)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(fresh);
        ArgumentNullException.ThrowIfNull(changes);
        var known = dispute.Facts.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var added = fresh.Where(f => known.Add(f.Id)).Take(Math.Max(0, MaxFacts - dispute.Facts.Count)).ToList();
        if (added.Count == 0 && !isNew && eventType is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var before = (dispute.Status, dispute.Amount, dispute.EvidenceDueBy, dispute.Reason);
        dispute.Facts.AddRange(added);
        if (DisputeFold.Evaluate(dispute.Facts) is { } state)
        {
            dispute.Status = state.Status;
            dispute.Stage = state.Stage;
            dispute.Amount = state.Amount ?? dispute.Amount;
            dispute.Currency = state.Currency ?? dispute.Currency;
            dispute.Reason = state.Reason ?? dispute.Reason;
            dispute.ProviderReasonCode = state.ReasonCode ?? dispute.ProviderReasonCode;
            dispute.EvidenceDueBy = state.EvidenceDueBy;
            dispute.AmountWithdrawn = state.AmountWithdrawn;
            dispute.AmountReinstated = state.AmountReinstated;
            dispute.Funds = [.. state.Funds];
            dispute.ClosedAt = state.ClosedAt;
        }

        // A dispute in another currency than the payment holds the whole payment: its amount cannot be compared.
        var amount = string.Equals(dispute.Currency, payment.Currency, StringComparison.OrdinalIgnoreCase) ? dispute.Amount : payment.AmountReceived;
        var held = DisputeHold.Capped(DisputeHold.Desired(dispute.Status, dispute.Stage, amount), dispute.AmountHeld,
            payment.AmountReceived, payment.AmountRefunded, payment.AmountDisputed);
        if (isNew || held != dispute.AmountHeld)
        {
            payment.AmountDisputed = checked(payment.AmountDisputed + held - dispute.AmountHeld);
            dispute.AmountHeld = held;
            if (isNew)
            {
                payment.Disputes = [.. payment.Disputes ?? [], dispute.Id];
            }

            payment.Updated = now;
            changes.UpdatedPayments.Add(payment);
        }

        dispute.Updated = now;
        (isNew ? changes.NewDisputes : changes.UpdatedDisputes).Add(dispute);
        if (isNew)
        {
            changes.Events.Add(EventFactory.ForDispute(dispute, EventTypes.DisputeCreated, now));
        }

        foreach (var fact in added.Where(f => f.Funds is not null))
        {
            changes.Events.Add(EventFactory.ForDispute(dispute,
                fact.Funds == DisputeFundsKind.Withdrawn ? EventTypes.DisputeFundsWithdrawn : EventTypes.DisputeFundsReinstated, now));
        }

        var statusChanged = isNew ? dispute.Status != DisputeStateMachine.OpenStatus(dispute.Stage) || dispute.Status.IsClosed() : dispute.Status != before.Status;
        if (statusChanged && dispute.Status.IsClosed())
        {
            changes.Events.Add(EventFactory.ForDispute(dispute, EventTypes.DisputeClosed, now));
        }
        else if (!isNew && (statusChanged || dispute.Amount != before.Amount || dispute.EvidenceDueBy != before.EvidenceDueBy || dispute.Reason != before.Reason))
        {
            changes.Events.Add(EventFactory.ForDispute(dispute, EventTypes.DisputeUpdated, now));
        }
        else if (eventType is not null)
        {
            changes.Events.Add(EventFactory.ForDispute(dispute, eventType, now));
        }

        return true;
    }

    /// <summary>Commits; a dispute or payment changed since it was read throws <see cref="ConcurrencyConflictException"/> (run inside <see cref="RetryAsync{T}"/>).</summary>
    public Task CommitAsync(DisputeChanges changes, CancellationToken ct) => store.CommitDisputesAsync(changes, ct);
}
