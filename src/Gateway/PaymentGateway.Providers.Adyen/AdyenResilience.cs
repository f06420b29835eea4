using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// The Adyen client's settings for the shared Polly v8 pipeline (<see cref="ProviderResilience"/>): retry (outer)
/// around one circuit breaker for the provider around a per-attempt timeout.
/// </summary>
/// <remarks>
/// Retries are safe here because every write carries the gateway's <c>Idempotency-Key</c>, set once per logical call
/// before the pipeline runs: Adyen replays the stored answer for a repeated key instead of acting twice. A request
/// without a key is repeated only when it is a GET. Repeated: connection failures, attempt timeouts, 429, 500, 502,
/// 503 and 504, honouring <c>Retry-After</c>. Never repeated: 4xx (Adyen answers a refusal with 200 and a resultCode).
/// </remarks>
internal static class AdyenResilience
{
    /// <summary>The statuses repeated with the same key, and those with which Adyen says it did not process the request.</summary>
    public static readonly ProviderHttpPolicy Policy = new(
        ProviderId: "adyen",
        IdempotencyHeader: "Idempotency-Key",
        IsRetryableStatus: static status => status is 429 or >= 500,
        IsNotProcessedStatus: static status => status is 401 or 403 or 429 or 502 or 503);
}
