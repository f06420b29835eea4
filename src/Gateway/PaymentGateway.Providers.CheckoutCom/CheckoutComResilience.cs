using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>
/// The Checkout.com client's Polly v8 pipeline: retry (outer) around one circuit breaker for the provider around a
/// per-attempt timeout.
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
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, CheckoutComProviderOptions options)
    {
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "checkoutcom-retry",
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
            Name = "checkoutcom-circuit-breaker",
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
        });

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "checkoutcom-attempt-timeout", Timeout = options.AttemptTimeout });
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || !(request.Method == HttpMethod.Get || request.Headers.Contains(CheckoutComProvider.IdempotencyHeader)))
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var status = (int)(outcome.Result?.StatusCode ?? HttpStatusCode.OK);
        return status is 409 or 429 or >= 500;
    }
}

/// <summary>
/// Remembers, across the attempts of one logical call, whether any attempt may have reached Checkout.com's processing: the
/// difference between "not processed, safe to fail over" and "outcome unknown, reconcile".
/// </summary>
internal sealed class CheckoutComAttemptLedger
{
    public static readonly HttpRequestOptionsKey<CheckoutComAttemptLedger> Key = new("PaymentGateway.CheckoutCom.AttemptLedger");

    private int _mayHaveProcessed;

    public bool MayHaveProcessed => Volatile.Read(ref _mayHaveProcessed) == 1;

    public void MarkMayHaveProcessed() => Volatile.Write(ref _mayHaveProcessed, 1);

    /// <summary>Statuses with which Checkout.com did not process the request (unauthorized, rate limited, bad gateway, unavailable).</summary>
    public static bool NotProcessed(int statusCode) => statusCode is 401 or 429 or 502 or 503;
}

/// <summary>Runs inside the retry loop (once per attempt) and records attempts that may have been processed.</summary>
internal sealed class CheckoutComAttemptLedgerHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(CheckoutComAttemptLedger.Key, out var ledger);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!CheckoutComAttemptLedger.NotProcessed((int)response.StatusCode))
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
            // A timeout or a connection cut after the request started: Checkout.com may have acted on it.
            ledger?.MarkMayHaveProcessed();
            throw;
        }
    }
}
