using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Bank transfers collected by a provider (Mollie's banktransfer method, docs/bank-transfers.md "Through Mollie"): a
/// routing rule naming <c>bank_transfer</c> sends the payment to a provider account whose adapter implements
/// <see cref="IBankTransferProvider"/>; the customer gets the provider's account, reference and expiry; the provider's
/// webhook (<see cref="ProviderNotifications"/>) or the reconciler's sync (<see cref="PaymentReconciliation"/>) settles
/// it. Statement imports never touch these payments (no reference row, and the matcher skips them).
/// </summary>
public sealed class ProviderBankTransferPayments(
    IPaymentStore store, PaymentWriter writer, PaymentRouter router, ProviderRouting routing, ProviderRegistry providers, TimeProvider time)
{
    /// <summary>True for a bank-transfer payment that was routed to a provider (not the gateway's own collection account).</summary>
    public static bool IsProviderBankTransfer(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return payment.PaymentMethodType == PaymentMethodTypes.BankTransfer && (payment.Routing is not null || payment.BankTransfer?.ProviderAccountId is not null);
    }

    /// <summary>
    /// Opens the transfer at a provider when a routing rule names <c>bank_transfer</c>; null when none does (the
    /// gateway's own transfer then applies). The payment and its first attempt (with the provider idempotency key) are
    /// committed before the provider is called; a candidate that certainly opened nothing is failed over to the next.
    /// </summary>
    public async Task<PaymentResource?> TryCreateAsync(CallerContext caller, string id, ValidatedPaymentRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var payment = Payment.Create(id, caller, request, now);
        var plan = await router.PlanAsync(payment, null, null, ct).ConfigureAwait(false);
        if (plan is null)
        {
            return null;
        }

        payment.Routing = plan.Decision;
        var attempt = NewAttempt(payment, plan.Accounts[0], now);
        var changes = new StoreChanges();
        changes.NewPayments.Add(payment);
        changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentCreated, now));
        await writer.InsertAsync(changes, ct).ConfigureAwait(false);
        return await OpenAsync(payment, attempt, plan, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Before a provider transfer is canceled here, it is canceled at the provider (Mollie: <c>DELETE /v2/payments/{id}</c>),
    /// so the customer can no longer pay into it. A provider that refuses (the money may have arrived) makes the cancel
    /// a 409 and changes nothing; one that does not answer makes it a 503. Other payments: nothing to do.
    /// </summary>
    public async Task CancelAtProviderAsync(Payment payment, CancellationToken ct)
    {
        if (!IsProviderBankTransfer(payment) || payment.Status != PaymentStatus.RequiresAction || payment.ProviderReference is not { } reference
            || payment.CurrentAttempt is not { } attempt)
        {
            return;
        }

        var flow = providers.GetFlow<IVoidFlow>(attempt.Provider);
        var account = await routing.OpenAsync(payment, ct).ConfigureAwait(false);
        var result = await routing.ModifyAsync(account, attempt.Provider, "cancel_bank_transfer", payment.Id, token => flow.VoidAsync(new VoidRequest
        {
            Account = account,
            PaymentId = payment.Id,
            ProviderReference = reference,
            IdempotencyKey = $"{payment.Id}:cancel",
            TestMode = !payment.Livemode,
        }, token), ct).ConfigureAwait(false);
        if (result.Outcome != ProviderOutcome.Succeeded)
        {
            throw GatewayException.StateConflict(
                $"The provider did not cancel the bank transfer ({result.RawStatus ?? result.Outcome.ToString()}); it may have been paid. Retrieve the payment.");
        }
    }

    /// <summary>Asks the provider to open the transfer for <paramref name="attempt"/>, with its idempotency key (repeating it answers the same transfer).</summary>
    internal async Task<ProviderBankTransfer> CreateAtProviderAsync(Payment payment, PaymentAttempt attempt, CancellationToken ct)
    {
        var flow = providers.GetFlow<IBankTransferProvider>(attempt.Provider);
        var account = await AccountOfAsync(payment, ct).ConfigureAwait(false);
        return await routing.CallAsync(account, attempt.Provider, "create_bank_transfer", payment.Id, token => flow.CreateBankTransferAsync(new CreateBankTransferRequest
        {
            Account = account,
            PaymentId = payment.Id,
            AttemptId = attempt.Id,
            IdempotencyKey = attempt.IdempotencyKey,
            Amount = new Money(payment.Amount, Currency.Get(payment.Currency)),
            Description = payment.Description,
            ReturnUrl = payment.ReturnUrl,
            TestMode = !payment.Livemode,
        }, token), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Reads the transfer's status back from the provider.</summary>
    internal async Task<ProviderBankTransfer> ReadAsync(Payment payment, PaymentAttempt attempt, string reference, CancellationToken ct)
    {
        var flow = providers.GetFlow<IBankTransferProvider>(attempt.Provider);
        var account = await AccountOfAsync(payment, ct).ConfigureAwait(false);
        return await routing.CallAsync(account, attempt.Provider, "get_bank_transfer", payment.Id, token => flow.GetBankTransferAsync(new BankTransferStatusRequest
        {
            Account = account,
            PaymentId = payment.Id,
            ProviderReference = reference,
        }, token), ct).ConfigureAwait(false);
    }

    /// <summary>The provider account the transfer went to (a provider transfer always has one).</summary>
    private async Task<ProviderAccount> AccountOfAsync(Payment payment, CancellationToken ct) =>
        await routing.OpenAsync(payment, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"Payment {payment.Id} has no provider account.");

    private static PaymentAttempt NewAttempt(Payment payment, ProviderAccountRecord account, DateTimeOffset now) =>
        PaymentWriter.AddAttempt(payment, account.ProviderId, account.Id, string.Empty, now); // a transfer has no stored payment method

    private async Task<PaymentResource> OpenAsync(Payment payment, PaymentAttempt attempt, RoutingPlan plan, CancellationToken ct)
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
            await writer.RecordUnknownOutcomeAsync(payment, attempt, ct).ConfigureAwait(false);
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                $"The provider did not confirm the transfer for payment {payment.Id}; the gateway asks it again. Retrieve the payment later for the instructions.")
            {
                Resource = payment.ToResource(),
            };
        }
        catch (ProviderUnavailableException) when (plan.After(attempt.ProviderAccountId) is { } next)
        {
            var nextAttempt = await writer.FailOverAsync(payment, attempt, next, string.Empty, ct).ConfigureAwait(false);
            return await OpenAsync(payment, nextAttempt, plan, ct).ConfigureAwait(false);
        }
        catch (ProviderUnavailableException)
        {
            // Nobody opened anything: the payment stays requires_payment_method (cancel it, or create another).
            attempt.Status = AttemptStatus.Failed;
            attempt.Updated = time.GetUtcNow();
            await writer.SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                "The payment provider could not open the bank transfer; nothing was opened. Try again later.");
        }

        try
        {
            await writer.ApplyProviderTransferAsync(payment, attempt, transfer, ct).ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict)
        {
            // The provider's webhook (or the reconciler) applied the same transfer first: answer with what is stored.
            return (await store.GetPaymentByIdAsync(payment.Id, ct).ConfigureAwait(false) ?? payment).ToResource();
        }

        return payment.ToResource();
    }
}
