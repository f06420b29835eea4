using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// The one writer every payment flow goes through: status transitions (with their events and metrics), attempts,
/// version-checked saves, and applying what a provider said (an authorization result, a bank transfer's status).
/// Every update is written only if the stored version is still the one read; a lost race is a 409
/// <c>payment_state_conflict</c>. An answer that is not a provider's definite word leaves the payment where it is.
/// </summary>
public sealed class PaymentWriter(IPaymentStore store, SavedCards savedCards, IOptions<GatewayOptions> options, TimeProvider time, ILogger<PaymentWriter> logger)
{
    /// <summary>A payment of the caller's merchant and mode, or 404.</summary>
    public async Task<Payment> LoadAsync(CallerContext caller, string id, CancellationToken ct) =>
        await store.GetPaymentAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
        ?? throw GatewayException.NotFound("payment", id);

    /// <summary>Moves the payment along the state machine's row for <paramref name="trigger"/> (409 when there is none).</summary>
    public static void Transition(Payment payment, PaymentTrigger trigger, List<GatewayEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        Transition(payment, PaymentStateMachine.Next(payment.Status, trigger), events, now);
    }

    /// <summary>
    /// Sets a status already checked with <see cref="PaymentStateMachine.Next"/>, adds its event (a snapshot of the
    /// payment as it is now) to <paramref name="events"/> and counts the transition. No-op when the status is unchanged.
    /// </summary>
    public static void Transition(Payment payment, PaymentStatus next, List<GatewayEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(events);
        if (payment.Status == next)
        {
            return;
        }

        payment.Status = next;
        payment.Updated = now;
        GatewayTelemetry.PaymentTransitions.Add(1,
            new KeyValuePair<string, object?>("status", next.ToWire()),
            new KeyValuePair<string, object?>("provider", payment.Provider),
            new KeyValuePair<string, object?>("method", "card"),
            new KeyValuePair<string, object?>("currency", payment.Currency),
            new KeyValuePair<string, object?>("livemode", payment.Livemode));
        if (EventFactory.PaymentEventFor(next) is { } type)
        {
            events.Add(EventFactory.ForPayment(payment, type, now));
        }
    }

    /// <summary>
    /// A new attempt at <paramref name="provider"/> (and its account, when routed), with its own provider idempotency key
    /// <c>{payment_id}:{attempt_id}</c>; it becomes the payment's current attempt and names the payment's provider.
    /// Commit it before the provider is called.
    /// </summary>
    public static PaymentAttempt AddAttempt(Payment payment, string provider, string? providerAccountId, string paymentMethodId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var attemptId = Ids.New(Ids.Attempt);
        var attempt = new PaymentAttempt
        {
            Id = attemptId,
            Provider = provider,
            ProviderAccountId = providerAccountId,
            IdempotencyKey = $"{payment.Id}:{attemptId}",
            PaymentMethodId = paymentMethodId,
            Status = AttemptStatus.Started,
            Created = now,
            Updated = now,
        };
        payment.Attempts.Add(attempt);
        payment.Provider = provider;
        return attempt;
    }

    /// <summary>
    /// Inserts new objects (a new payment has no version to check). With <paramref name="answer"/>, this commit ends a
    /// card payment request whose answer is that payment (see <see cref="CardAnswer"/>).
    /// </summary>
    public Task InsertAsync(StoreChanges changes, CancellationToken ct, Payment? answer = null) => StoreAsync(changes, answer, ct);

    /// <summary>Commits <paramref name="changes"/>; a payment changed since it was read makes it a 409 and nothing is written.</summary>
    public Task CommitAsync(StoreChanges changes, CancellationToken ct) => CommitAsync(changes, null, ct);

    private async Task CommitAsync(StoreChanges changes, Payment? answer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        try
        {
            await StoreAsync(changes, answer, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException e)
        {
            throw GatewayException.StateConflict($"Payment {e.ObjectId} was changed by a concurrent request; retrieve it and try again.");
        }
    }

    /// <summary>
    /// The one path to the store. A keyed request's deferred idempotency claim rides in its first commit, and when the
    /// commit ends the request (<paramref name="answer"/>) the response the transport will send rides in it too
    /// (<see cref="IdempotencyScope"/>), so the key costs no commit of its own.
    /// </summary>
    private async Task StoreAsync(StoreChanges changes, Payment? answer, CancellationToken ct)
    {
        var scope = IdempotencyScope.Current;
        var idempotency = scope?.ForCommit(answer is null ? null : renderer => CardAnswer.Render(renderer, answer, changes.Events));
        changes.Idempotency = idempotency;
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        scope?.Committed(idempotency);
    }

    /// <summary>
    /// Saves the payment with <paramref name="changes"/> after a provider answered: this write lands even if the caller
    /// went away. <paramref name="endsRequest"/>: the request answers with this payment (<see cref="CardAnswer"/>).
    /// <paramref name="now"/>: the time the changes were made at (their events carry it), else the clock's.
    /// </summary>
    public async Task SaveAsync(Payment payment, StoreChanges changes, CancellationToken ct, bool endsRequest = false, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(changes);
        payment.Updated = now ?? time.GetUtcNow();
        changes.UpdatedPayments.Add(payment);
        _ = ct;
        await CommitAsync(changes, endsRequest ? payment : null, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The provider gave no definite answer: the attempt is unknown and the payment stays as it is for the reconciler.</summary>
    public async Task RecordUnknownOutcomeAsync(Payment payment, PaymentAttempt attempt, CancellationToken ct, bool endsRequest = false)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(attempt);
        PaymentLog.ProviderUnknown(logger, attempt.Provider, payment.Id);
        attempt.Status = AttemptStatus.Unknown;
        attempt.Updated = time.GetUtcNow();
        await SaveAsync(payment, new StoreChanges(), ct, endsRequest).ConfigureAwait(false);
    }

    /// <summary>
    /// How many times a writer that lost a version race reads the payment again before it gives up. Each lost race
    /// means another writer saved the payment, so the loop ends; the bound only leaves room for a burst (with 3, one of
    /// four concurrent deliveries of one provider webhook answered 409 on a loaded CI machine).
    /// </summary>
    public const int MaxReads = 8;

    /// <summary>
    /// <see cref="ApplyProviderResultAsync"/> for a payment another writer may have saved since it was read (a provider's
    /// notification, the reconciler recording an unknown outcome): on a lost race the payment is read again and, while
    /// it still waits on <paramref name="attempt"/>, the provider's word is applied to that copy. Returns the payment as saved.
    /// </summary>
    public Task<Payment> ApplyProviderResultRereadingAsync(Payment payment, PaymentAttempt attempt, ProviderPaymentResult result, CancellationToken ct) =>
        RereadingAsync(payment, attempt, (p, a) => ApplyProviderResultAsync(p, a, result, ct), ct);

    /// <summary><see cref="RecordUnknownOutcomeAsync"/>, reading again on a lost race like <see cref="ApplyProviderResultRereadingAsync"/>.</summary>
    public Task<Payment> RecordUnknownOutcomeRereadingAsync(Payment payment, PaymentAttempt attempt, CancellationToken ct) =>
        RereadingAsync(payment, attempt, (p, a) => RecordUnknownOutcomeAsync(p, a, ct), ct);

    private async Task<Payment> RereadingAsync(Payment payment, PaymentAttempt attempt, Func<Payment, PaymentAttempt, Task> save, CancellationToken ct)
    {
        for (var read = 1; ; read++)
        {
            try
            {
                await save(payment, attempt).ConfigureAwait(false);
                return payment;
            }
            catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict && read < MaxReads)
            {
                var stored = await store.GetPaymentByIdAsync(payment.Id, ct).ConfigureAwait(false);
                if (stored is null || stored.Status is not (PaymentStatus.Processing or PaymentStatus.RequiresAction)
                    || stored.CurrentAttempt is not { } current || current.Id != attempt.Id)
                {
                    // The other writer settled it (or moved on to another attempt): its word stands.
                    return stored ?? payment;
                }

                (payment, attempt) = (stored, current);
            }
        }
    }

    /// <summary>
    /// The candidate behind <paramref name="failed"/> certainly did not take the request: that attempt failed, and a new
    /// one (with its own idempotency key) goes to <paramref name="next"/>, saved before it is sent.
    /// </summary>
    public async Task<PaymentAttempt> FailOverAsync(Payment payment, PaymentAttempt failed, ProviderAccountRecord next, string paymentMethodId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(next);
        var now = time.GetUtcNow();
        failed.Status = AttemptStatus.Failed;
        failed.Updated = now;
        PaymentLog.FailOver(logger, failed.ProviderAccountId ?? failed.Provider, next.Id, payment.Id);
        var attempt = AddAttempt(payment, next.ProviderId, next.Id, paymentMethodId, now);
        await SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
        return attempt;
    }

    /// <summary>
    /// Applies a provider's answer about a card attempt: authorized, captured, requires action (redirect) or declined.
    /// Pending, or anything the adapter could not map, is never success: the payment stays in processing.
    /// <paramref name="endsRequest"/>: the request answers with this payment (<see cref="CardAnswer"/>).
    /// </summary>
    public async Task ApplyProviderResultAsync(Payment payment, PaymentAttempt attempt, ProviderPaymentResult result, CancellationToken ct, bool endsRequest = false)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(result);
        // A setup payment holds nothing: a verification the provider calls "authorized" is done (docs/saved-cards.md).
        var outcome = result.Outcome == ProviderOutcome.Authorized && payment.Mode == PaymentModes.Setup ? ProviderOutcome.Succeeded : result.Outcome;
        // A pending answer that carries the provider's stored-card references (Adyen's Authorised under automatic
        // capture: the card is authorized and tokenized, only the capture is still to come) saves the card too.
        if (outcome is ProviderOutcome.Authorized or ProviderOutcome.Succeeded || (outcome == ProviderOutcome.Pending && result.RecurringReferences is { Count: > 0 }))
        {
            // Saved first, so a crash before the payment's commit leaves it processing and the reconciler records it again.
            await savedCards.RecordAsync(payment, attempt, result, ct).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        attempt.Updated = now;
        attempt.ProviderReference = result.ProviderReference ?? attempt.ProviderReference;
        payment.ProviderReference = attempt.ProviderReference;
        switch (outcome)
        {
            case ProviderOutcome.Authorized:
                attempt.Status = AttemptStatus.Authorized;
                payment.AmountCapturable = payment.Amount;
                payment.NextAction = null;
                Transition(payment, PaymentTrigger.ProviderAuthorized, changes.Events, now);
                break;
            case ProviderOutcome.Succeeded:
                attempt.Status = AttemptStatus.Captured;
                payment.AmountCapturable = 0;
                payment.AmountReceived = payment.Amount;
                payment.NextAction = null;
                Transition(payment, PaymentTrigger.ProviderCaptured, changes.Events, now);
                break;
            case ProviderOutcome.RequiresAction:
                attempt.Status = AttemptStatus.RequiresAction;
                payment.NextAction = new NextAction
                {
                    Type = "redirect_to_url",
                    RedirectToUrl = new RedirectToUrl { Url = result.RedirectUrl ?? string.Empty, ReturnUrl = payment.ReturnUrl },
                    ProviderAction = result.Action is { Type: ProviderNextActionType.ProviderSdk } or { Method: not "GET" } ? result.Action : null,
                };
                Transition(payment, PaymentTrigger.ProviderRequiresAction, changes.Events, now);
                break;
            case ProviderOutcome.Declined when result.DeclineCode == DeclineCodes.AuthenticationRequired
                                               && PaymentStateMachine.CanApply(payment.Status, PaymentTrigger.ProviderRequiresAuthentication):
                // The issuer wants the cardholder back: the payment waits for an on-session confirmation; never retried here.
                attempt.Status = AttemptStatus.Declined;
                attempt.DeclineCode = DeclineCodes.AuthenticationRequired;
                payment.NextAction = null;
                payment.LastPaymentError = new PaymentError
                {
                    Code = ErrorCodes.CardAuthenticationRequired,
                    DeclineCode = DeclineCodes.AuthenticationRequired,
                    Message = result.Message ?? "The card issuer requires the customer to authenticate this payment.",
                };
                Transition(payment, PaymentTrigger.ProviderRequiresAuthentication, changes.Events, now);
                changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentAuthenticationRequired, now));
                break;
            case ProviderOutcome.Declined:
                attempt.Status = AttemptStatus.Declined;
                attempt.DeclineCode = result.DeclineCode ?? DeclineCodes.GenericDecline;
                payment.NextAction = null;
                payment.LastPaymentError = new PaymentError
                {
                    Code = ErrorCodes.CardDeclined,
                    DeclineCode = attempt.DeclineCode,
                    Message = result.Message ?? "The card was declined.",
                };
                Transition(payment, PaymentTrigger.ProviderDeclined, changes.Events, now);
                break;
            default:
                attempt.Status = AttemptStatus.Unknown;
                break;
        }

        // Saved as of the same instant as its event's snapshot, so the answer is that snapshot (serialized once, CardAnswer).
        await SaveAsync(payment, changes, ct, endsRequest, now).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies what the provider said about a bank transfer it collects, in one version-checked commit with its events:
    /// an open transfer with instructions moves a payment still waiting for them to <c>requires_action</c>; then
    /// <c>paid</c> succeeds it, <c>expired</c>/<c>canceled</c> cancel it, <c>failed</c> fails it. True when it changed.
    /// </summary>
    public async Task<bool> ApplyProviderTransferAsync(Payment payment, PaymentAttempt attempt, ProviderBankTransfer transfer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(transfer);
        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        var changed = false;
        attempt.ProviderReference ??= transfer.ProviderReference;
        payment.ProviderReference ??= transfer.ProviderReference;
        if (payment.Status == PaymentStatus.RequiresPaymentMethod && transfer.Instructions is { } instructions)
        {
            payment.BankTransfer = new BankTransferDetails
            {
                Reference = instructions.Reference,
                ExpiresAt = transfer.ExpiresAt ?? now + options.Value.BankTransfers.Expiry,
                Iban = instructions.Iban,
                Bic = instructions.Bic,
                AccountHolderName = instructions.BankName,
                BankName = instructions.BankName,
                ProviderAccountId = attempt.ProviderAccountId,
            };
            payment.NextAction = new NextAction { Type = BankTransferResourceMapper.InstructionsActionType };
            attempt.Status = AttemptStatus.RequiresAction;
            Transition(payment, PaymentTrigger.AwaitBankTransfer, changes.Events, now);
            changed = true;
        }
        else if (payment.Status == PaymentStatus.RequiresPaymentMethod && attempt.Status == AttemptStatus.Started)
        {
            // Answered, but without an account to show: ask again later (the reconciler reads it back).
            attempt.Status = AttemptStatus.Unknown;
            changed = true;
        }

        if (payment.Status == PaymentStatus.RequiresAction)
        {
            changed |= ApplyTransferStatus(payment, attempt, transfer, changes, now);
        }

        if (changed)
        {
            attempt.Updated = now;
            attempt.SyncChecks = 0;
            attempt.NextSyncAt = null;
            await SaveAsync(payment, changes, ct).ConfigureAwait(false);
        }

        return changed;
    }

    private static bool ApplyTransferStatus(Payment payment, PaymentAttempt attempt, ProviderBankTransfer transfer, StoreChanges changes, DateTimeOffset now)
    {
        switch (transfer.Status)
        {
            case ProviderTransferStatus.Paid:
                payment.AmountReceived = payment.Amount;
                payment.NextAction = null;
                attempt.Status = AttemptStatus.Captured;
                Transition(payment, PaymentTrigger.BankTransferReceived, changes.Events, now);
                return true;
            case ProviderTransferStatus.Expired or ProviderTransferStatus.Canceled:
                payment.NextAction = null;
                payment.CanceledAt = now;
                payment.CancellationReason = transfer.Status == ProviderTransferStatus.Expired ? "expired" : null;
                attempt.Status = AttemptStatus.Declined;
                Transition(payment, transfer.Status == ProviderTransferStatus.Expired ? PaymentTrigger.BankTransferExpired : PaymentTrigger.Cancel, changes.Events, now);
                return true;
            case ProviderTransferStatus.Failed:
                payment.NextAction = null;
                attempt.Status = AttemptStatus.Declined;
                payment.LastPaymentError = new PaymentError
                {
                    Code = ErrorCodes.BankTransferFailed,
                    Message = $"The provider reports the bank transfer failed ({transfer.RawStatus ?? "failed"}).",
                };
                Transition(payment, PaymentTrigger.ProviderDeclined, changes.Events, now);
                return true;
            default:
                return false;
        }
    }
}
