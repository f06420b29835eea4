using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Sends a card payment's committed attempt to its provider and applies the answer, failing over along the routing
/// plan when a candidate certainly did not take it; and finishes the authorization when the customer returns from a
/// 3-D Secure challenge. An answer that is not the provider's definite word leaves the payment in <c>processing</c>
/// for the reconciler, with the same provider idempotency key.
/// </summary>
public sealed class CardAuthorization(
    IPaymentStore store, PaymentWriter writer, ProviderRegistry providers, ProviderRouting routing, CardVault vault, CvcStore cvcs, SavedCards savedCards,
    IOptions<GatewayOptions> options, TimeProvider time)
{
    private string? PublicBaseUrl => options.Value.PublicBaseUrl;

    /// <summary>
    /// Authorizes <paramref name="attempt"/> (already committed with its idempotency key). A decline is a 402 carrying
    /// the failed payment; a provider that did not take the request (and no candidate left) is a 503, nothing charged.
    /// </summary>
    public Task<PaymentResource> AuthorizeAsync(Payment payment, PaymentAttempt attempt, StoredPaymentMethod method, RoutingPlan? plan, CancellationToken ct) =>
        AuthorizeAsync(payment, attempt, method, plan, null, ct);

    /// <summary>One candidate; the CVC (taken once from the short-lived store) is carried to the next on failover.</summary>
    private async Task<PaymentResource> AuthorizeAsync(Payment payment, PaymentAttempt attempt, StoredPaymentMethod method, RoutingPlan? plan, Secret? carriedCvc,
        CancellationToken ct)
    {
        // Off session the customer is absent: no CVC is sent (none is stored), whatever the short-lived store holds.
        var cvc = payment.OffSession ? null : carriedCvc ?? cvcs.Take(method.Id);
        ProviderPaymentResult result;
        try
        {
            var account = plan?.Accounts.FirstOrDefault(a => a.Id == attempt.ProviderAccountId) is { } record ? routing.Open(record) : null;
            var number = vault.Decrypt(method.Id, method.EncryptedNumber
                ?? throw new InvalidOperationException($"Payment method {method.Id} has no stored card."));
            var card = method.Card ?? throw new InvalidOperationException($"Payment method {method.Id} is not a card.");
            var providerCard = new ProviderCard
            {
                Number = new Secret(number),
                ExpMonth = card.ExpMonth,
                ExpYear = card.ExpYear,
                Cvc = cvc,
                HolderName = method.HolderName,
                Brand = card.Brand,
            };
            var stored = savedCards.For(payment, method, attempt);
            var returnUrl = ProviderReturns.ReturnUrl(PublicBaseUrl, payment.Id, attempt) ?? payment.ReturnUrl;
            var started = time.GetTimestamp();
            try
            {
                result = payment.Mode == PaymentModes.Setup
                    ? await routing.CallAsync(account, attempt.Provider, "verify", payment.Id, token => providers.GetFlow<IVerifyFlow>(attempt.Provider).VerifyAsync(new VerifyRequest
                    {
                        Account = account,
                        PaymentId = payment.Id,
                        AttemptId = attempt.Id,
                        IdempotencyKey = attempt.IdempotencyKey,
                        Currency = Currency.Get(payment.Currency),
                        Card = providerCard,
                        ReturnUrl = returnUrl,
                        Description = payment.Description,
                        StoredCredential = stored,
                        TestMode = !payment.Livemode,
                    }, token), CancellationToken.None).ConfigureAwait(false)
                    : await routing.CallAsync(account, attempt.Provider, "authorize", payment.Id, token => providers.GetFlow<IAuthorizeFlow>(attempt.Provider).AuthorizeAsync(new AuthorizeRequest
                    {
                        Account = account,
                        PaymentId = payment.Id,
                        AttemptId = attempt.Id,
                        IdempotencyKey = attempt.IdempotencyKey,
                        Amount = new Money(payment.Amount, Currency.Get(payment.Currency)),
                        Capture = payment.CaptureMethod == CaptureMethod.Automatic,
                        Card = providerCard,
                        ReturnUrl = returnUrl,
                        Description = payment.Description,
                        TestMode = !payment.Livemode,
                        StoredCredential = stored,
                    }, token), CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                // The provider's answer time for reports (timeouts included); the 3-D Secure completion does not replace it.
                attempt.LatencyMs ??= (int)Math.Min(int.MaxValue, time.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (ProviderOutcomeUnknownException)
        {
            // Never retry with a new key: the payment stays processing and the reconciler asks the provider later.
            await writer.RecordUnknownOutcomeAsync(payment, attempt, ct, endsRequest: true).ConfigureAwait(false);
            return payment.ToResource();
        }
        catch (ProviderUnavailableException) when (plan?.After(attempt.ProviderAccountId) is { } next)
        {
            // Not taken by this candidate (connection refused, circuit open, documented not-processed 5xx): nothing
            // was charged there, so the next candidate gets a new attempt with its own idempotency key.
            var nextAttempt = await writer.FailOverAsync(payment, attempt, next, method.Id, ct).ConfigureAwait(false);
            return await AuthorizeAsync(payment, nextAttempt, method, plan, cvc, ct).ConfigureAwait(false);
        }
        catch (ProviderUnavailableException)
        {
            // The provider did not take the request: nothing was charged, the payment can be confirmed again.
            var now = time.GetUtcNow();
            var changes = new StoreChanges();
            attempt.Status = AttemptStatus.Failed;
            attempt.Updated = now;
            PaymentWriter.Transition(payment, PaymentTrigger.ProviderUnavailable, changes.Events, now);
            await writer.SaveAsync(payment, changes, ct).ConfigureAwait(false);
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                "The payment provider is unavailable; nothing was charged. Try again later.");
        }

        result = ProviderReturns.WithActionPage(result, PublicBaseUrl, payment.Id, attempt);
        await writer.ApplyProviderResultAsync(payment, attempt, result, ct, endsRequest: true).ConfigureAwait(false);
        return CardAnswer.Decline(payment) is { } decline ? throw decline : payment.ToResource();
    }

    /// <summary>
    /// The customer came back to the gateway's return endpoint of <paramref name="accountId"/> for
    /// <paramref name="attemptId"/> of <paramref name="paymentId"/> (<see cref="ProviderReturns.ReturnUrl"/>). The return
    /// belongs to the payment only when that attempt is the payment's current one, it went to that account, and no
    /// provider identifier in <paramref name="details"/> names another payment; otherwise it is a 404 and nothing is
    /// sent to the provider. A payment no longer waiting for the customer is returned as it is (a reloaded return page).
    /// </summary>
    public async Task<Payment> CompleteProviderReturnAsync(string accountId, string paymentId, string attemptId, IReadOnlyDictionary<string, string> details,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(details);
        var payment = await store.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false);
        if (payment?.CurrentAttempt is not { } attempt || attempt.Id != attemptId || attempt.ProviderAccountId != accountId
            || (payment.Status == PaymentStatus.RequiresAction && ProviderReturns.NamesAnotherPayment(details, attempt.ProviderReference)))
        {
            throw GatewayException.NotFound("payment", paymentId);
        }

        return await CompleteAuthenticationAsync(payment, details, ct).ConfigureAwait(false);
    }

    /// <summary>The customer came back from a provider's redirect (3-D Secure). Finishes the authorization.</summary>
    public async Task<Payment> CompleteAuthenticationAsync(string paymentId, IReadOnlyDictionary<string, string> details, CancellationToken ct)
    {
        var payment = await store.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("payment", paymentId);
        return await CompleteAuthenticationAsync(payment, details, ct).ConfigureAwait(false);
    }

    private async Task<Payment> CompleteAuthenticationAsync(Payment payment, IReadOnlyDictionary<string, string> details, CancellationToken ct)
    {
        // Another writer (a provider's notification, the reconciler) may save the payment between our read and our save:
        // read again, a few times, rather than answer the returning customer with a 409.
        PaymentAttempt attempt;
        for (var read = 1; ; read++)
        {
            if (payment.Status != PaymentStatus.RequiresAction || payment.CurrentAttempt is not { } current)
            {
                return payment;
            }

            attempt = current;
            var changes = new StoreChanges();
            var now = time.GetUtcNow();
            PaymentWriter.Transition(payment, PaymentTrigger.CompleteAction, changes.Events, now);
            payment.NextAction = null;

            // The payment is processing while the provider is asked: mark the attempt in flight again, from now, so the
            // reconciler leaves it to this request (PaymentReconciliation's in-flight grace) instead of syncing it
            // meanwhile and applying the provider's "no such payment" before the provider's answer arrives.
            attempt.Status = AttemptStatus.Started;
            attempt.Updated = now;
            changes.UpdatedPayments.Add(payment);
            try
            {
                await writer.CommitAsync(changes, ct).ConfigureAwait(false);
                break;
            }
            catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict && read < PaymentWriter.MaxReads)
            {
                payment = await store.GetPaymentByIdAsync(payment.Id, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("payment", payment.Id);
            }
        }

        var flow = providers.GetFlow<IAuthenticationFlow>(attempt.Provider);
        ProviderPaymentResult result;
        try
        {
            var account = await routing.OpenAsync(payment, ct).ConfigureAwait(false);
            result = await routing.CallAsync(account, attempt.Provider, "authenticate", payment.Id, token => flow.CompleteAuthenticationAsync(new CompleteAuthenticationRequest
            {
                Account = account,
                PaymentId = payment.Id,
                ProviderReference = attempt.ProviderReference ?? string.Empty,
                Details = details,
                Capture = payment.CaptureMethod == CaptureMethod.Automatic,
                Amount = new Money(payment.Amount, Currency.Get(payment.Currency)),
                TestMode = !payment.Livemode,
                StoredCredential = StoredCredentialPolicy.ForCompletion(payment),
            }, token), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            return await writer.RecordUnknownOutcomeRereadingAsync(payment, attempt, ct).ConfigureAwait(false);
        }

        if (attempt.ProviderReference is { } known && result.ProviderReference is { } answered && answered != known)
        {
            // The provider's answer is about another payment (a return that was not this payment's): not its word on
            // this one. The payment stays processing and the reconciler reads its own reference.
            return await writer.RecordUnknownOutcomeRereadingAsync(payment, attempt, ct).ConfigureAwait(false);
        }

        result = ProviderReturns.WithActionPage(result, PublicBaseUrl, payment.Id, attempt);
        return await writer.ApplyProviderResultRereadingAsync(payment, attempt, result, ct).ConfigureAwait(false);
    }
}
