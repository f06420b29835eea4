using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// The Stripe client's settings for the shared Polly v8 pipeline (<see cref="ProviderResilience"/>): retry (outer)
/// around one circuit breaker for the provider around a per-attempt timeout.
/// </summary>
/// <remarks>
/// Retries are safe here because every write carries the gateway's <c>Idempotency-Key</c>, set once per logical call
/// before the pipeline runs: Stripe replays the stored answer for a repeated key instead of acting twice. A request
/// without a key is repeated only when it is a GET. Repeated: connection failures, attempt timeouts, 409 (the first
/// request with this key is still running), 429, 500, 502, 503 and 504, honouring <c>Retry-After</c>. Never repeated:
/// 400, 401, 402 (declined), 403, 404.
/// </remarks>
internal static class StripeResilience
{
    /// <summary>The statuses repeated with the same key, and those with which Stripe says it did not process the request.</summary>
    public static readonly ProviderHttpPolicy Policy = new(
        ProviderId: "stripe",
        IdempotencyHeader: "Idempotency-Key",
        IsRetryableStatus: static status => status is 409 or 429 or >= 500,
        IsNotProcessedStatus: static status => status is 401 or 403 or 429 or 502 or 503);
}
