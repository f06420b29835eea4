using PaymentGateway.Core.Routing;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

// Routing and failover: which provider account a payment's attempts go to.
public sealed partial class PaymentService
{
    /// <summary>Whether this merchant's payments in this mode are routed by rules (else: the simulator in test mode, 422 in live mode).</summary>
    private async Task<bool> IsRoutedAsync(CallerContext caller, string? requestedProvider, CancellationToken ct)
    {
        if (routing is null || !await routing.Rules.HasRulesAsync(caller.MerchantId, caller.Livemode, ct).ConfigureAwait(false))
        {
            return false;
        }

        if (requestedProvider is not null && !providers.IsRegistered(requestedProvider))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Provider '{(requestedProvider.Length > 32 ? requestedProvider[..32] : requestedProvider)}' is not configured.", "provider");
        }

        return true;
    }

    /// <summary>Routes the payment (when the merchant has rules) and records the decision on it.</summary>
    private async Task<RoutingPlan?> PlanAsync(Payment payment, StoredPaymentMethod method, string? requestedProvider, CancellationToken ct)
    {
        if (routing is null || (payment.Provider is not null && payment.Routing is null))
        {
            return null;
        }

        var plan = await routing.Rules.PlanAsync(payment, method, requestedProvider, ct).ConfigureAwait(false);
        if (plan is not null)
        {
            payment.Routing = plan.Decision;
            payment.Provider = plan.Accounts[0].ProviderId;
        }
        else if (payment.Provider is null)
        {
            // Created while the merchant had rules, confirmed after they were all deleted: back to the defaults.
            payment.Provider = providers.Choose(payment.Livemode, requestedProvider, payment.Currency);
        }

        return plan;
    }

    /// <summary>The candidate after the one this attempt went to, if any (candidates are tried in plan order).</summary>
    private static ProviderAccountRecord? NextCandidate(RoutingPlan? plan, PaymentAttempt attempt)
    {
        if (plan is null || attempt.ProviderAccountId is null)
        {
            return null;
        }

        var index = plan.Accounts.ToList().FindIndex(a => a.Id == attempt.ProviderAccountId);
        return index >= 0 && index + 1 < plan.Accounts.Count ? plan.Accounts[index + 1] : null;
    }

    private PaymentAttempt FailOver(Payment payment, PaymentAttempt failed, StoredPaymentMethod method, ProviderAccountRecord next)
    {
        var now = time.GetUtcNow();
        failed.Status = AttemptStatus.Failed;
        failed.Updated = now;
        LogFailover(logger, failed.ProviderAccountId ?? failed.Provider, next.Id, payment.Id);
        var attemptId = Ids.New(Ids.Attempt);
        var attempt = new PaymentAttempt
        {
            Id = attemptId,
            Provider = next.ProviderId,
            ProviderAccountId = next.Id,
            IdempotencyKey = $"{payment.Id}:{attemptId}",
            PaymentMethodId = method.Id,
            Status = AttemptStatus.Started,
            Created = now,
            Updated = now,
        };
        payment.Attempts.Add(attempt);
        payment.Provider = next.ProviderId;
        return attempt;
    }

    /// <summary>The account that authorized the payment (its latest attempt), with decrypted credentials; null when not routed.</summary>
    private async Task<ProviderAccount?> OpenAccountAsync(Payment payment, CancellationToken ct) =>
        routing is null ? null : await routing.OpenAsync(payment.CurrentAttempt?.ProviderAccountId, ct).ConfigureAwait(false);

    private Task<T> CallAsync<T>(ProviderAccount? account, Func<CancellationToken, Task<T>> call, CancellationToken ct) =>
        routing is null ? call(ct) : routing.CallAsync(account, call, ct);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "Provider account {Failed} did not take payment {PaymentId}; failing over to {Next}.")]
    private static partial void LogFailover(Microsoft.Extensions.Logging.ILogger logger, string failed, string next, string paymentId);
}

// Inbound provider webhooks: a verified notification moves a payment that is waiting on the provider.
public sealed partial class PaymentService
{
    /// <summary>
    /// Applies a verified provider notification to the payment it names, when that payment belongs to the account's
    /// merchant, went to that account, and is still waiting on the provider (processing or requires_action). Returns
    /// true when the payment changed. A concurrent change (the reconciler, the customer's return) wins; the
    /// notification is then a no-op, so the resulting event is written exactly once.
    /// </summary>
    public async Task<bool> ApplyProviderNotificationAsync(ProviderAccountRecord account, ProviderNotification notification, CancellationToken ct)
    {
        if (await ApplyProviderBankTransferNotificationAsync(account, notification, ct).ConfigureAwait(false) is { } transferSettled)
        {
            return transferSettled;
        }

        if (notification.Kind is ProviderNotificationKind.Capture or ProviderNotificationKind.Cancellation
            && await ApplyModificationNotificationAsync(account, notification, ct).ConfigureAwait(false) is { } settled)
        {
            return settled;
        }

        if (notification.Kind is not (ProviderNotificationKind.Authorization or ProviderNotificationKind.Capture)
            || notification.Outcome is not (ProviderOutcome.Authorized or ProviderOutcome.Succeeded or ProviderOutcome.Declined)
            || notification.MerchantReference is not { } paymentId)
        {
            return false;
        }

        var payment = await paymentStore.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false);
        if (payment is null || payment.MerchantId != account.MerchantId || payment.Livemode != account.Livemode
            || payment.Status is not (PaymentStatus.Processing or PaymentStatus.RequiresAction)
            || payment.CurrentAttempt is not { } attempt || attempt.ProviderAccountId != account.Id
            || (notification.ProviderReference is { } reference && attempt.ProviderReference is { } known && reference != known)
            || (notification.Outcome == ProviderOutcome.Authorized && payment.CaptureMethod == CaptureMethod.Automatic))
        {
            // An authorization of an automatically captured payment is not its end (Adyen, Checkout.com capture
            // asynchronously): the capture's notification or a sync settles it.
            return false;
        }

        try
        {
            await ApplyResultAsync(payment, attempt, new ProviderPaymentResult
            {
                Outcome = notification.Outcome,
                ProviderReference = notification.ProviderReference,
                DeclineCode = notification.DeclineCode,
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict)
        {
            return false;
        }
    }

    /// <summary>
    /// A capture or cancel notification for a payment the gateway already moved when the provider accepted the
    /// modification (Adyen answers captures and cancels <c>received</c>; the result arrives by webhook): success
    /// confirms it (no change, no event); failure cannot undo a terminal state in the state machine, so it is recorded
    /// on the payment as <c>last_payment_error</c> (once: a replay or a concurrent delivery finds it already there or
    /// loses the version check). Null when the notification is not about such a payment (the authorization path applies).
    /// </summary>
    private async Task<bool?> ApplyModificationNotificationAsync(ProviderAccountRecord account, ProviderNotification notification, CancellationToken ct)
    {
        var settledStatus = notification.Kind == ProviderNotificationKind.Capture ? PaymentStatus.Succeeded : PaymentStatus.Canceled;
        if (notification.MerchantReference is not { } paymentId
            || await paymentStore.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false) is not { } payment
            || payment.MerchantId != account.MerchantId || payment.Livemode != account.Livemode
            || payment.Status != settledStatus
            || payment.CurrentAttempt is not { } attempt || attempt.ProviderAccountId != account.Id
            || (notification.ProviderReference is { } reference && attempt.ProviderReference is { } known && reference != known))
        {
            return null;
        }

        if (notification.Outcome != ProviderOutcome.Declined)
        {
            return false;
        }

        var what = notification.Kind == ProviderNotificationKind.Capture ? "capture" : "cancellation";
        var message = $"The provider reported that the {what} failed ({notification.RawEventType ?? "failed"}).";
        if (payment.LastPaymentError?.Message == message)
        {
            return false;
        }

        payment.LastPaymentError = new PaymentError
        {
            Code = ErrorCodes.ProviderUnavailable,
            DeclineCode = notification.DeclineCode ?? DeclineCodes.ProcessingError,
            Message = message,
        };
        try
        {
            await SaveAsync(payment, new Storage.StoreChanges(), ct).ConfigureAwait(false);
            return true;
        }
        catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict)
        {
            return false;
        }
    }
}
