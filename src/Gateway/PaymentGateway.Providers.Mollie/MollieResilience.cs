using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace PaymentGateway.Providers.Mollie;

/// <summary>
/// The Mollie client's Polly v8 pipeline: retry (outer) around one circuit breaker for the provider around a
/// per-attempt timeout.
/// </summary>
/// <remarks>
/// Retries are safe here because every write (POST, DELETE) carries the gateway's <c>Idempotency-Key</c>, set once per
/// logical call before the pipeline runs: Mollie replays the stored answer for a repeated key instead of acting twice.
/// A request without a key is repeated only when it is a GET. Repeated: connection failures, attempt timeouts, 429,
/// 500, 502, 503 and 504, honouring <c>Retry-After</c>. Never repeated: other 4xx (Mollie reports a failed card payment
/// as a payment with <c>status: failed</c>, not as an error).
/// </remarks>
internal static class MollieResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, MollieProviderOptions options)
    {
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "mollie-retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "mollie-circuit-breaker",
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
        });

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "mollie-attempt-timeout", Timeout = options.AttemptTimeout });
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || !(request.Method == HttpMethod.Get || request.Headers.Contains("Idempotency-Key")))
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var status = (int)(outcome.Result?.StatusCode ?? HttpStatusCode.OK);
        return status is 429 or >= 500;
    }
}

/// <summary>
/// Remembers, across the attempts of one logical call, whether any attempt may have reached Mollie's processing: the
/// difference between "not processed, safe to fail over" and "outcome unknown, reconcile".
/// </summary>
internal sealed class MollieAttemptLedger
{
    public static readonly HttpRequestOptionsKey<MollieAttemptLedger> Key = new("PaymentGateway.Mollie.AttemptLedger");

    private int _mayHaveProcessed;

    public bool MayHaveProcessed => Volatile.Read(ref _mayHaveProcessed) == 1;

    public void MarkMayHaveProcessed() => Volatile.Write(ref _mayHaveProcessed, 1);

    /// <summary>Statuses with which Mollie did not process the request (bad key, forbidden, rate limited, bad gateway, unavailable).</summary>
    public static bool NotProcessed(int statusCode) => statusCode is 401 or 403 or 429 or 502 or 503;
}

/// <summary>Runs inside the retry loop (once per attempt) and records attempts that may have been processed.</summary>
internal sealed class MollieAttemptLedgerHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(MollieAttemptLedger.Key, out var ledger);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!MollieAttemptLedger.NotProcessed((int)response.StatusCode))
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
            // A timeout or a connection cut after the request started: Mollie may have acted on it.
            ledger?.MarkMayHaveProcessed();
            throw;
        }
    }
}
