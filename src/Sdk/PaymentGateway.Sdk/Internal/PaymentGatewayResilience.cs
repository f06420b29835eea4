using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace PaymentGateway.Sdk.Internal;

/// <summary>
/// The client's one resilience pipeline (Polly v8): a total timeout around a retry around a per-attempt timeout.
/// The same configuration serves the dependency-injection client (<c>AddResilienceHandler</c>) and the standalone
/// client (<see cref="ResilienceHandler"/>).
/// </summary>
/// <remarks>
/// <para>What is retried (see <see cref="ShouldRetryAsync"/>):</para>
/// <list type="bullet">
/// <item>only requests that are safe to repeat: GET/HEAD/OPTIONS/PUT/DELETE, and POST/PATCH only when they carry an
/// <c>Idempotency-Key</c> (the SDK always sets one, once per logical call, before the pipeline runs, so every retry
/// sends the same key and the gateway replays instead of charging twice);</item>
/// <item>connection failures (<see cref="HttpRequestException"/>) and attempt timeouts;</item>
/// <item>408, 429 and every 5xx;</item>
/// <item>409 only when the problem <c>code</c> is <c>idempotency_key_in_use</c> (the first request with this key is
/// still running: waiting and repeating returns its stored result) or <c>concurrent_update</c> (an optimistic
/// concurrency clash). Any other 409, notably <c>payment_state_conflict</c> (for example capturing a canceled
/// payment), is a business answer that repeating cannot change, so it is returned at once. An unreadable 409 body is
/// not retried either: when in doubt, do not repeat a payment call.</item>
/// </list>
/// <para>Never retried: 400, 401, 402 (card declined), 403, 404, 422 and every other 4xx.</para>
/// <para>The wait is the server's <c>Retry-After</c> (seconds or HTTP date) when present, else an exponential backoff
/// with jitter from <see cref="PaymentGatewayClientOptions.RetryDelay"/>; both are capped at
/// <see cref="PaymentGatewayClientOptions.MaxRetryDelay"/>.</para>
/// </remarks>
internal static class PaymentGatewayResilience
{
    public const string PipelineName = "payment-gateway";

    private const string IdempotencyKeyHeader = "Idempotency-Key";

    public static ResiliencePipeline<HttpResponseMessage> Build(PaymentGatewayClientOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = PipelineName, TimeProvider = timeProvider };
        Configure(builder, options, timeProvider);
        return builder.Build();
    }

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, PaymentGatewayClientOptions options, TimeProvider timeProvider)
    {
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total-timeout", Timeout = options.Timeout });

        if (options.MaxRetries > 0)
        {
            var maxDelay = options.MaxRetryDelay;
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = maxDelay,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, maxDelay, timeProvider)),
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.PerTryTimeout });
    }

    /// <summary>Decides whether an attempt's outcome is retried; see the class remarks for the table.</summary>
    public static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || !IsSafeToRepeat(request))
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        var status = (int)response.StatusCode;
        if (status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500)
        {
            return true;
        }

        if (status == (int)HttpStatusCode.Conflict)
        {
            var code = await ReadProblemCodeAsync(response, context.CancellationToken).ConfigureAwait(false);
            return code == ErrorCode.IdempotencyKeyInUse.Value || code == ErrorCode.ConcurrentUpdate.Value;
        }

        return false;
    }

    public static bool IsSafeToRepeat(HttpRequestMessage request)
    {
        var method = request.Method;
        if (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Put || method == HttpMethod.Delete)
        {
            return true;
        }

        return request.Headers.TryGetValues(IdempotencyKeyHeader, out var values) && values.Any(v => v.Length > 0);
    }

    /// <summary>The wait the server asked for with <c>Retry-After</c>, capped; null to use the backoff.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan maxDelay, TimeProvider timeProvider)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter is null)
        {
            return null;
        }

        TimeSpan? delay = retryAfter.Delta ?? (retryAfter.Date - timeProvider.GetUtcNow());
        if (delay is not { } wait)
        {
            return null;
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > maxDelay ? maxDelay : wait;
    }

    private static async ValueTask<string?> ReadProblemCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // Buffer the body so the caller (Refit) can still read it after the classifier has.
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, SdkJsonContext.Default.ProblemDocument)?.Code;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
