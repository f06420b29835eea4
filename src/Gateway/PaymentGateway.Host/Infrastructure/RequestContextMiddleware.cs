using System.Diagnostics;
using System.Globalization;
using PaymentGateway.Core;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Outermost middleware: gives every request a <c>Request-Id</c>, reports the gateway's own time in
/// <c>Server-Timing</c>, buffers POST bodies under the size limit (so they can be hashed for idempotency), and turns
/// every exception into a problem response. Nothing that reaches the client is a bare 500 for bad input.
/// </summary>
public sealed partial class RequestContextMiddleware(
    RequestDelegate next, ILogger<RequestContextMiddleware> logger, Microsoft.Extensions.Options.IOptions<GatewayOptions> options, RequestLogFeed requestLog)
{
    public const string RequestIdHeader = "Request-Id";

    /// <summary>A new request id (<c>req_…</c>): one per request, in the header, the problem body and the logs.</summary>
    public static string NewRequestId() => RequestLogScope.NewRequestId();

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = NewRequestId();
        context.Items[RequestIdHeader] = requestId;
        context.TraceIdentifier = requestId;

        // Every line logged while the request runs carries its id (scope_request_id in the JSON logs).
        using var scope = logger.BeginScope(new RequestLogScope(requestId));
        var providerTime = ProviderTiming.Begin();
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[RequestIdHeader] = requestId;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var provider = providerTime.Elapsed.TotalMilliseconds;
            headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture,
                $"gateway;dur={Math.Max(0, elapsed - provider):0.###}, provider;dur={provider:0.###}, total;dur={elapsed:0.###}");
            return Task.CompletedTask;
        });

        try
        {
            RejectNulInQuery(context.Request);
            if ((HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method) || HttpMethods.IsPatch(context.Request.Method))
                && !StreamedUploads.Matches(context.Request))
            {
                await BufferBodyAsync(context).ConfigureAwait(false);
            }

            await next(context).ConfigureAwait(false);
        }
        catch (GatewayException e) when (!context.Response.HasStarted)
        {
            await Problems.WriteAsync(context, e).ConfigureAwait(false);
        }
        catch (Core.Storage.ConcurrencyConflictException) when (!context.Response.HasStarted)
        {
            // A write lost an optimistic-concurrency race and nothing was written: safe to retry.
            await Problems.WriteAsync(context, new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate,
                "The object was changed by a concurrent request; nothing was written. Retry the request.")).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var tooLarge = e.StatusCode == StatusCodes.Status413PayloadTooLarge;
            await Problems.WriteAsync(context, tooLarge
                ? new GatewayException(ErrorKind.PayloadTooLarge, ErrorCodes.RequestTooLarge, "The request body is too large.")
                : GatewayException.Invalid(ErrorCodes.InvalidJson, "The request could not be read.")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogUnhandled(logger, e, requestId, context.Request.Method, context.Request.Path.Value ?? string.Empty);
            context.Response.Clear();
            await Problems.WriteAsync(context, new GatewayException(ErrorKind.Internal, ErrorCodes.InternalError,
                $"Something went wrong on our side. Quote request id {requestId} when asking for help.")).ConfigureAwait(false);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogRequest(context, elapsed);
            PublishRequest(context, requestId, elapsed);
        }
    }

    /// <summary>
    /// Hands the finished request to the live request log (<c>GET /v1/request_logs/stream</c>) when someone follows it:
    /// only requests made with a merchant's key (the log is per merchant), and not the log's own stream.
    /// </summary>
    private void PublishRequest(HttpContext context, string requestId, TimeSpan elapsed)
    {
        if (!requestLog.HasFollowers
            || context.Features.Get<ApiPrincipal>()?.Caller is not { } caller
            || context.Request.Path.StartsWithSegments(RequestLogStreamPath))
        {
            return;
        }

        requestLog.Publish(caller.MerchantId, new Core.Api.RequestLogResource
        {
            Id = requestId,
            Livemode = caller.Livemode,
            Created = DateTimeOffset.UtcNow,
            Transport = "rest",
            Method = context.Request.Method,
            Path = context.Request.Path.Value ?? string.Empty,
            Status = context.Response.StatusCode,
            GrpcStatus = null,
            DurationMs = Math.Round(elapsed.TotalMilliseconds, 3),
        });
    }

    /// <summary>The live request log's own stream, which is not logged into itself.</summary>
    public const string RequestLogStreamPath = "/v1/request_logs/stream";

    /// <summary>
    /// The one line per request: method, path (never the query), status, duration; the request id is in the scope.
    /// Probes and scrapes (<c>/health</c>, <c>/metrics</c>) at Debug, so they do not drown the log.
    /// </summary>
    private void LogRequest(HttpContext context, TimeSpan elapsed)
    {
        var path = context.Request.Path;
        var level = path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") ? LogLevel.Debug : LogLevel.Information;
        if (logger.IsEnabled(level))
        {
            LogRequestFinished(logger, level, context.Request.Method, path.Value ?? string.Empty, context.Response.StatusCode, Math.Round(elapsed.TotalMilliseconds, 3));
        }
    }

    [LoggerMessage(EventId = 1, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs} ms")]
    private static partial void LogRequestFinished(ILogger logger, LogLevel level, string method, string path, int statusCode, double elapsedMs);

    /// <summary>
    /// A query value (or name) holding U+0000 is refused before any handler sees it: no parameter of this API means it,
    /// and PostgreSQL cannot compare text with it. (Kestrel itself refuses it in the path.)
    /// </summary>
    private static void RejectNulInQuery(HttpRequest request)
    {
        if (!request.QueryString.HasValue || !request.QueryString.Value.Contains("%00", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var (name, values) in request.Query)
        {
            if (name.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                var param = name.Replace("\0", string.Empty, StringComparison.Ordinal);
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"The query parameter '{param}' contains the character U+0000.", param);
            }
        }
    }

    private async Task BufferBodyAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new GatewayException(ErrorKind.PayloadTooLarge, ErrorCodes.RequestTooLarge, $"The request body is larger than {limit} bytes.");
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new GatewayException(ErrorKind.PayloadTooLarge, ErrorCodes.RequestTooLarge, $"The request body is larger than {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        context.Features.Set(new BufferedBodyFeature(bytes));
        context.Request.Body = new MemoryStream(bytes, writable: false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error for request {RequestId} {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId, string method, string path);
}

/// <summary>The request body, read once under the size limit.</summary>
public sealed record BufferedBodyFeature(byte[] Body);

public static class HttpContextExtensions
{
    public static string? GetRequestId(this HttpContext context) => context.Items[RequestContextMiddleware.RequestIdHeader] as string;
}
