using Microsoft.Extensions.Options;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// The reconciler's questions to providers (the background job decides which payments are due): a card payment left in
/// <c>processing</c> is synced with its attempt's idempotency key; a provider bank transfer is asked again or read back.
/// A provider that keeps answering "pending" is asked again on <see cref="ReconcileSchedule"/>; a card payment never
/// confirmed within <c>GiveUpAfter</c> fails.
/// </summary>
public sealed class PaymentReconciliation(
    ProviderRegistry providers, ProviderRouting routing, PaymentWriter writer, ProviderBankTransferPayments transfers, IOptions<GatewayOptions> options,
    TimeProvider time)
{
    /// <summary>Asks the provider about a payment stuck in processing and applies the answer. Returns the payment as it is afterwards.</summary>
    public async Task<Payment> ReconcileAsync(Payment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.Status != PaymentStatus.Processing || payment.CurrentAttempt is not { } attempt)
        {
            return payment;
        }

        var settings = options.Value.Reconciler;

        // A started attempt may still be in flight on this or another node: only an unknown outcome, or a start old
        // enough that its request must have died (crash), is the reconciler's to finish. The start is the attempt's last
        // update: its creation, or the customer's return from 3-D Secure that asks the provider again.
        if (attempt.Status == AttemptStatus.Started && time.GetUtcNow() - attempt.Updated < settings.InFlightGrace)
        {
            return payment;
        }

        if (ReconcileSchedule.IsBackingOff(payment, time.GetUtcNow(), settings))
        {
            return payment;
        }

        var flow = providers.GetFlow<ISyncFlow>(attempt.Provider);
        ProviderPaymentResult result;
        try
        {
            var account = await routing.OpenAsync(payment, ct).ConfigureAwait(false);
            result = await routing.CallAsync(account, attempt.Provider, "sync", payment.Id, token => flow.SyncAsync(new SyncRequest
            {
                Account = account,
                PaymentId = payment.Id,
                IdempotencyKey = attempt.IdempotencyKey,
                ProviderReference = attempt.ProviderReference,
                TestMode = !payment.Livemode,
            }, token), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            result = new ProviderPaymentResult { Outcome = ProviderOutcome.Pending };
        }

        var now = time.GetUtcNow();
        if (result.Outcome == ProviderOutcome.Pending)
        {
            var changes = new StoreChanges();
            if (now - attempt.Created > settings.GiveUpAfter)
            {
                attempt.Status = AttemptStatus.Failed;
                payment.LastPaymentError = new PaymentError
                {
                    Code = ErrorCodes.CardDeclined,
                    DeclineCode = DeclineCodes.ProcessingError,
                    Message = "The provider never confirmed the outcome of this payment.",
                };
                PaymentWriter.Transition(payment, PaymentTrigger.ReconcileFailed, changes.Events, now);
            }
            else
            {
                // Exponential backoff with jitter before asking again, persisted on the attempt (the payment's JSON).
                attempt.SyncChecks++;
                attempt.NextSyncAt = now + ReconcileSchedule.Backoff(attempt.SyncChecks, settings);
            }

            // The version check makes a concurrent reconciler's write lose, so the schedule advances once per answer.
            await writer.SaveAsync(payment, changes, ct).ConfigureAwait(false);
            return payment;
        }

        await writer.ApplyProviderResultAsync(payment, attempt, result, ct).ConfigureAwait(false);
        return payment;
    }

    /// <summary>
    /// The status sync for a provider bank transfer: a transfer whose create outcome is unknown is asked for again
    /// with the same idempotency key (the provider answers the transfer it opened, or opens it now: never a second
    /// one); an open one is read back, with exponential backoff while it stays open (sooner once past its expiry).
    /// Returns the payment as it is afterwards.
    /// </summary>
    public async Task<Payment> SyncProviderBankTransferAsync(Payment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (!ProviderBankTransferPayments.IsProviderBankTransfer(payment) || payment.CurrentAttempt is not { } attempt)
        {
            return payment;
        }

        var settings = options.Value.Reconciler;
        var now = time.GetUtcNow();
        if (attempt.NextSyncAt is { } due && now < due)
        {
            return payment;
        }

        ProviderBankTransfer transfer;
        try
        {
            if (payment.Status == PaymentStatus.RequiresPaymentMethod)
            {
                if (attempt.Status is not (AttemptStatus.Started or AttemptStatus.Unknown)
                    || (attempt.Status == AttemptStatus.Started && now - attempt.Created < settings.InFlightGrace))
                {
                    return payment;
                }

                transfer = attempt.ProviderReference is { } known
                    ? await transfers.ReadAsync(payment, attempt, known, ct).ConfigureAwait(false)
                    : await transfers.CreateAtProviderAsync(payment, attempt, ct).ConfigureAwait(false);
            }
            else if (payment.Status == PaymentStatus.RequiresAction && attempt.ProviderReference is { } reference)
            {
                transfer = await transfers.ReadAsync(payment, attempt, reference, ct).ConfigureAwait(false);
            }
            else
            {
                return payment;
            }
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            transfer = new ProviderBankTransfer { ProviderReference = attempt.ProviderReference ?? string.Empty, Status = ProviderTransferStatus.Open };
        }

        if (await writer.ApplyProviderTransferAsync(payment, attempt, transfer, ct).ConfigureAwait(false))
        {
            return payment;
        }

        // Still open: ask again after min(MinAge · 2^(n-1), BackoffCap) with jitter, but not later than the provider's
        // expiry (its answer then is usually "expired"); the version check makes a concurrent reconciler's write lose,
        // so the schedule advances once per answer.
        attempt.SyncChecks++;
        var next = now + ReconcileSchedule.Backoff(attempt.SyncChecks, settings);
        attempt.NextSyncAt = payment.BankTransfer is { } details && details.ExpiresAt > now && details.ExpiresAt < next ? details.ExpiresAt : next;
        await writer.SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
        return payment;
    }
}
