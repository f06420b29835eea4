using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>
/// The Checkout.com client's settings for the shared Polly v8 pipeline (<see cref="ProviderResilience"/>): retry
/// (outer) around one circuit breaker for the provider around a per-attempt timeout.
/// </summary>
/// <remarks>
/// Retries are safe here because every write carries the gateway's <c>Cko-Idempotency-Key</c>, set once per logical
/// call before the pipeline runs: Checkout.com answers a repeated key with the first request's result instead of acting
/// twice. A request without a key is repeated only when it is a GET. Repeated: connection failures, attempt timeouts,
/// 409 (a request with this key is still in flight), 429, 500, 502, 503 and 504, honouring <c>Retry-After</c>. Never
/// repeated: other 4xx (Checkout.com answers a declined card with 201 and <c>status: Declined</c>).
/// </remarks>
internal static class CheckoutComResilience
{
    /// <summary>The statuses repeated with the same key, and those with which CheckoutCom says it did not process the request.</summary>
    public static readonly ProviderHttpPolicy Policy = new(
        ProviderId: "checkoutcom",
        IdempotencyHeader: CheckoutComProvider.IdempotencyHeader,
        IsRetryableStatus: static status => status is 409 or 429 or >= 500,
        IsNotProcessedStatus: static status => status is 401 or 429 or 502 or 503);
}
