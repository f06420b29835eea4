using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

// Bank transfers collected by a provider (Mollie's banktransfer method, docs/bank-transfers.md "Through Mollie"): a
// routing rule naming bank_transfer sends the payment to a provider account whose adapter implements
// IBankTransferProvider; the customer gets the provider's account, reference and expiry; the provider's webhook or the
// reconciler's sync settles it. Statement imports never touch these payments (no reference row, and the matcher skips them).
public sealed partial class PaymentService
{
    /// <summary>
    /// Opens the transfer at a provider when a routing rule names <c>bank_transfer</c>; null when none does (the
    /// gateway's own transfer then applies). The payment and its first attempt (with the provider idempotency key) are
    /// committed before the provider is called; a candidate that certainly opened nothing is failed over to the next.
    /// </summary>
    private async Task<PaymentResource?> TryCreateProviderBankTransferAsync(CallerContext caller, CreatePaymentRequest request, string id, Currency currency,
        CancellationToken ct)
    {
        if (routing is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var payment = new Payment
        {
            Id = id,
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            Status = PaymentStatus.RequiresPaymentMethod,
            Amount = request.Amount!.Value,
            Currency = currency.Code,
            CaptureMethod = CaptureMethod.Automatic,
            Customer = request.Customer,
            Description = request.Description,
            Metadata = request.Metadata ?? [],
            ReturnUrl = request.ReturnUrl,
            PaymentMethodType = BankTransferType,
            Created = now,
            Updated = now,
        };
        var plan = await routing.Rules.PlanAsync(payment, null, null, ct).ConfigureAwait(false);
        if (plan is null)
        {
            return null;
        }

        payment.Routing = plan.Decision;
        payment.Provider = plan.Accounts[0].ProviderId;
        var attempt = NewTransferAttempt(payment, plan.Accounts[0], now);
        var changes = new StoreChanges();
        changes.NewPayments.Add(payment);
        changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentCreated, now));
        await paymentStore.CommitAsync(changes, ct).ConfigureAwait(false);
        return await OpenProviderTransferAsync(payment, attempt, plan, ct).ConfigureAwait(false);
    }

    private static PaymentAttempt NewTransferAttempt(Payment payment, ProviderAccountRecord account, DateTimeOffset now)
    {
        var attemptId = Ids.New(Ids.Attempt);
        var attempt = new PaymentAttempt
        {
            Id = attemptId,
            Provider = account.ProviderId,
            ProviderAccountId = account.Id,
            IdempotencyKey = $"{payment.Id}:{attemptId}",
            PaymentMethodId = string.Empty, // a transfer has no stored payment method
            Status = AttemptStatus.Started,
            Created = now,
            Updated = now,
        };
        payment.Attempts.Add(attempt);
        payment.Provider = account.ProviderId;
        return attempt;
    }

    private async Task<PaymentResource> OpenProviderTransferAsync(Payment payment, PaymentAttempt attempt, RoutingPlan? plan, CancellationToken ct)
    {
        ProviderBankTransfer transfer;
        try
        {
            transfer = await CreateAtProviderAsync(payment, attempt, ct).ConfigureAwait(false);
        }
        catch (ProviderOutcomeUnknownException)
        {
            // The provider may have opened it: never a new key. The reconciler repeats the create with this attempt's
            // key (the provider answers the same transfer) or the provider's webhook brings it.
            LogProviderUnknown(logger, attempt.Provider, payment.Id);
            attempt.Status = AttemptStatus.Unknown;
            attempt.Updated = time.GetUtcNow();
            await SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                $"The provider did not confirm the transfer for payment {payment.Id}; the gateway asks it again. Retrieve the payment later for the instructions.")
            {
                Resource = payment.ToResource(),
            };
        }
        catch (ProviderUnavailableException) when (NextCandidate(plan, attempt) is { } next)
        {
            var now = time.GetUtcNow();
            attempt.Status = AttemptStatus.Failed;
            attempt.Updated = now;
            LogFailover(logger, attempt.ProviderAccountId ?? attempt.Provider, next.Id, payment.Id);
            var nextAttempt = NewTransferAttempt(payment, next, now);
            await SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
            return await OpenProviderTransferAsync(payment, nextAttempt, plan, ct).ConfigureAwait(false);
        }
        catch (ProviderUnavailableException)
        {
            // Nobody opened anything: the payment stays requires_payment_method (cancel it, or create another).
            attempt.Status = AttemptStatus.Failed;
            attempt.Updated = time.GetUtcNow();
            await SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                "The payment provider could not open the bank transfer; nothing was opened. Try again later.");
        }

        try
        {
            await ApplyProviderTransferAsync(payment, attempt, transfer, ct).ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict)
        {
            // The provider's webhook (or the reconciler) applied the same transfer first: answer with what is stored.
            return (await paymentStore.GetPaymentByIdAsync(payment.Id, ct).ConfigureAwait(false) ?? payment).ToResource();
        }

        return payment.ToResource();
    }

    private async Task<ProviderBankTransfer> CreateAtProviderAsync(Payment payment, PaymentAttempt attempt, CancellationToken ct)
    {
        var flow = providers.GetFlow<IBankTransferProvider>(attempt.Provider);
        var account = await OpenAccountAsync(payment, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Payment {payment.Id} has no provider account.");
        return await ProviderTiming.TimeAsync(attempt.Provider, "create_bank_transfer", () => CallAsync(account, token => flow.CreateBankTransferAsync(new CreateBankTransferRequest
        {
            Account = account,
            PaymentId = payment.Id,
            AttemptId = attempt.Id,
            IdempotencyKey = attempt.IdempotencyKey,
            Amount = new Money(payment.Amount, Currency.Get(payment.Currency)),
            Description = payment.Description,
            ReturnUrl = payment.ReturnUrl,
            TestMode = !payment.Livemode,
        }, token), CancellationToken.None), payment.Id).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies what the provider said about the transfer, in one version-checked commit with its events: an open
    /// transfer with instructions moves a payment still waiting for them to <c>requires_action</c>; then <c>paid</c>
    /// succeeds it, <c>expired</c>/<c>canceled</c> cancel it, <c>failed</c> fails it. Returns true when it changed.
    /// </summary>
    private async Task<bool> ApplyProviderTransferAsync(Payment payment, PaymentAttempt attempt, ProviderBankTransfer transfer, CancellationToken ct)
    {
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
            Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.AwaitBankTransfer), changes, now);
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
            switch (transfer.Status)
            {
                case ProviderTransferStatus.Paid:
                    payment.AmountReceived = payment.Amount;
                    payment.NextAction = null;
                    attempt.Status = AttemptStatus.Captured;
                    Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.BankTransferReceived), changes, now);
                    changed = true;
                    break;
                case ProviderTransferStatus.Expired or ProviderTransferStatus.Canceled:
                    payment.NextAction = null;
                    payment.CanceledAt = now;
                    payment.CancellationReason = transfer.Status == ProviderTransferStatus.Expired ? "expired" : null;
                    attempt.Status = AttemptStatus.Declined;
                    Transition(payment, PaymentStateMachine.Next(payment.Status,
                        transfer.Status == ProviderTransferStatus.Expired ? PaymentTrigger.BankTransferExpired : PaymentTrigger.Cancel), changes, now);
                    changed = true;
                    break;
                case ProviderTransferStatus.Failed:
                    payment.NextAction = null;
                    attempt.Status = AttemptStatus.Declined;
                    payment.LastPaymentError = new PaymentError
                    {
                        Code = ErrorCodes.BankTransferFailed,
                        Message = $"The provider reports the bank transfer failed ({transfer.RawStatus ?? "failed"}).",
                    };
                    Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.ProviderDeclined), changes, now);
                    changed = true;
                    break;
            }
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

    /// <summary>
    /// Before a provider transfer is canceled here, it is canceled at the provider (Mollie: <c>DELETE /v2/payments/{id}</c>),
    /// so the customer can no longer pay into it. A provider that refuses (the money may have arrived) makes the cancel
    /// a 409 and changes nothing; one that does not answer makes it a 503. Other payments: nothing to do.
    /// </summary>
    private async Task CancelProviderTransferAsync(Payment payment, CancellationToken ct)
    {
        if (!IsProviderBankTransfer(payment) || payment.Status != PaymentStatus.RequiresAction || payment.ProviderReference is not { } reference
            || payment.CurrentAttempt is not { } attempt)
        {
            return;
        }

        var flow = providers.GetFlow<IVoidFlow>(attempt.Provider);
        var account = await OpenAccountAsync(payment, ct).ConfigureAwait(false);
        var result = await CallProviderAsync(attempt.Provider, "cancel_bank_transfer", () => CallAsync(account, token => flow.VoidAsync(new VoidRequest
        {
            Account = account,
            PaymentId = payment.Id,
            ProviderReference = reference,
            IdempotencyKey = $"{payment.Id}:cancel",
            TestMode = !payment.Livemode,
        }, token), ct), payment.Id).ConfigureAwait(false);
        if (result.Outcome != ProviderOutcome.Succeeded)
        {
            throw GatewayException.StateConflict(
                $"The provider did not cancel the bank transfer ({result.RawStatus ?? result.Outcome.ToString()}); it may have been paid. Retrieve the payment.");
        }
    }

    /// <summary>True for a bank-transfer payment that was routed to a provider (not the gateway's own collection account).</summary>
    internal static bool IsProviderBankTransfer(Payment payment) =>
        payment.PaymentMethodType == BankTransferType && (payment.Routing is not null || payment.BankTransfer?.ProviderAccountId is not null);

    /// <summary>
    /// A verified provider notification about a provider bank transfer: settles it with the status the provider
    /// reported (or, when the notification carries none, reads the transfer). Null when the notification is not about
    /// such a payment. The payment must belong to the account's merchant and mode and its latest attempt to that
    /// account; a payment no longer waiting, a replay, or a concurrent change (another delivery, the reconciler) is a no-op.
    /// </summary>
    private async Task<bool?> ApplyProviderBankTransferNotificationAsync(ProviderAccountRecord account, ProviderNotification notification, CancellationToken ct)
    {
        if (notification.Kind == ProviderNotificationKind.Refund || notification.MerchantReference is not { } paymentId
            || await paymentStore.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false) is not { } payment || !IsProviderBankTransfer(payment))
        {
            return null;
        }

        // A concurrent write (another delivery, the reconciler's sync) makes this one lose its version check: read the
        // payment again and decide again, so a real status change is never dropped and is applied exactly once.
        for (var round = 1; ; round++)
        {
            try
            {
                return await ApplyProviderBankTransferNotificationOnceAsync(account, notification, payment, ct).ConfigureAwait(false);
            }
            catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict && round < 3)
            {
                if (await paymentStore.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false) is not { } reloaded)
                {
                    return false;
                }

                payment = reloaded;
            }
        }
    }

    private async Task<bool> ApplyProviderBankTransferNotificationOnceAsync(ProviderAccountRecord account, ProviderNotification notification, Payment payment,
        CancellationToken ct)
    {
        if (payment.MerchantId != account.MerchantId || payment.Livemode != account.Livemode
            || payment.Status is not (PaymentStatus.RequiresPaymentMethod or PaymentStatus.RequiresAction)
            || payment.CurrentAttempt is not { } attempt || attempt.ProviderAccountId != account.Id
            || notification.ProviderReference is not { } reference
            || (attempt.ProviderReference is { } known && reference != known))
        {
            return false;
        }

        var transfer = notification.BankTransferStatus is { } status && payment.Status == PaymentStatus.RequiresAction
            ? new ProviderBankTransfer { ProviderReference = reference, Status = status }
            : await ReadProviderTransferAsync(payment, attempt, reference, ct).ConfigureAwait(false);
        return await ApplyProviderTransferAsync(payment, attempt, transfer, ct).ConfigureAwait(false);
    }

    private async Task<ProviderBankTransfer> ReadProviderTransferAsync(Payment payment, PaymentAttempt attempt, string reference, CancellationToken ct)
    {
        var flow = providers.GetFlow<IBankTransferProvider>(attempt.Provider);
        var account = await OpenAccountAsync(payment, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Payment {payment.Id} has no provider account.");
        return await ProviderTiming.TimeAsync(attempt.Provider, "get_bank_transfer", () => CallAsync(account, token => flow.GetBankTransferAsync(new BankTransferStatusRequest
        {
            Account = account,
            PaymentId = payment.Id,
            ProviderReference = reference,
        }, token), ct), payment.Id).ConfigureAwait(false);
    }

    /// <summary>
    /// The reconciler's status sync for a provider bank transfer: a transfer whose create outcome is unknown is asked
    /// for again with the same idempotency key (the provider answers the transfer it opened, or opens it now: never a
    /// second one); an open one is read back, with exponential backoff while it stays open (sooner once past its
    /// expiry). Returns the payment as it is afterwards.
    /// </summary>
    public async Task<Payment> SyncProviderBankTransferAsync(Payment payment, CancellationToken ct)
    {
        if (!IsProviderBankTransfer(payment) || payment.CurrentAttempt is not { } attempt)
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
                    ? await ReadProviderTransferAsync(payment, attempt, known, ct).ConfigureAwait(false)
                    : await CreateAtProviderAsync(payment, attempt, ct).ConfigureAwait(false);
            }
            else if (payment.Status == PaymentStatus.RequiresAction && attempt.ProviderReference is { } reference)
            {
                transfer = await ReadProviderTransferAsync(payment, attempt, reference, ct).ConfigureAwait(false);
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

        if (await ApplyProviderTransferAsync(payment, attempt, transfer, ct).ConfigureAwait(false))
        {
            return payment;
        }

        // Still open: ask again after min(MinAge · 2^(n-1), BackoffCap) with jitter, but not later than the provider's
        // expiry (its answer then is usually "expired"); the version check makes a concurrent reconciler's write lose,
        // so the schedule advances once per answer.
        attempt.SyncChecks++;
        var next = now + ReconcileBackoff(attempt.SyncChecks, settings);
        attempt.NextSyncAt = payment.BankTransfer is { } details && details.ExpiresAt > now && details.ExpiresAt < next ? details.ExpiresAt : next;
        await SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
        return payment;
    }
}
