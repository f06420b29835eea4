using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace PaymentGateway.Providers.Http;

/// <summary>
/// A provider client's Polly v8 pipeline: retry (outer) around a per-attempt timeout. Retries are safe because every
/// write carries the gateway's idempotency key, set once per logical call before the pipeline runs, and the provider
/// replays its stored answer for a repeated key. A request without a key is repeated only when it is a GET. Repeated:
/// connection failures, attempt timeouts and the transport's retryable statuses, honouring <c>Retry-After</c>. No
/// circuit breaker: the gateway's is per provider account, around the whole call.
/// </summary>
public static class ProviderResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ProviderHttpOptions options, ProviderHttpTransport transport)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = $"{transport.ProviderId}-retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, transport)),
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = $"{transport.ProviderId}-attempt-timeout", Timeout = options.AttemptTimeout });
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ProviderHttpTransport transport)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transport);
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || !(request.Method == HttpMethod.Get || request.Headers.Contains(transport.IdempotencyHeader)))
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        return transport.IsRetryableStatus((int)(outcome.Result?.StatusCode ?? HttpStatusCode.OK));
    }
}
