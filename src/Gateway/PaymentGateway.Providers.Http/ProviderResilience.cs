using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace PaymentGateway.Providers.Http;

/// <summary>
/// A provider client's Polly v8 pipeline: retry (outer) around one circuit breaker for the provider around a
/// per-attempt timeout. Retries are safe because every write carries the gateway's idempotency key, set once per
/// logical call before the pipeline runs, and the provider replays its stored answer for a repeated key. A request
/// without a key is repeated only when it is a GET. Repeated: connection failures, attempt timeouts and the policy's
/// retryable statuses, honouring <c>Retry-After</c>.
/// </summary>
public static class ProviderResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ProviderHttpOptions options, ProviderHttpPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = $"{policy.ProviderId}-retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, policy)),
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = $"{policy.ProviderId}-circuit-breaker",
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
        });

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = $"{policy.ProviderId}-attempt-timeout", Timeout = options.AttemptTimeout });
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ProviderHttpPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || !(request.Method == HttpMethod.Get || request.Headers.Contains(policy.IdempotencyHeader)))
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        return policy.IsRetryableStatus((int)(outcome.Result?.StatusCode ?? HttpStatusCode.OK));
    }
}

/// <summary>
/// Remembers, across the attempts of one logical call, whether any attempt may have reached the provider's processing:
/// the difference between "not processed, safe to fail over" and "outcome unknown, reconcile".
/// </summary>
public sealed class ProviderAttemptLedger
{
    public static readonly HttpRequestOptionsKey<ProviderAttemptLedger> Key = new("PaymentGateway.Providers.AttemptLedger");

    private int _mayHaveProcessed;

    public bool MayHaveProcessed => Volatile.Read(ref _mayHaveProcessed) == 1;

    public void MarkMayHaveProcessed() => Volatile.Write(ref _mayHaveProcessed, 1);
}

/// <summary>Runs inside the retry loop (once per attempt) and records attempts that may have been processed.</summary>
public sealed class ProviderAttemptLedgerHandler(ProviderHttpPolicy policy) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.TryGetValue(ProviderAttemptLedger.Key, out var ledger);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!policy.IsNotProcessedStatus((int)response.StatusCode))
            {
                ledger?.MarkMayHaveProcessed();
            }

            return response;
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            // The connection was never established: nothing was sent.
            throw;
        }
        catch
        {
            // A timeout or a connection cut after the request started: the provider may have acted on it.
            ledger?.MarkMayHaveProcessed();
            throw;
        }
    }
}
