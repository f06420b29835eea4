using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Sdk.AspNetCore;

/// <summary>One webhook request: read the raw body, verify, deserialize, run the handler, answer.</summary>
internal static partial class WebhookReceiver
{
    private const string LoggerCategory = "PaymentGateway.Sdk.AspNetCore.Webhooks";

    public static async Task ReceiveAsync(HttpContext context, Func<Event, HttpContext, CancellationToken, Task> handler)
    {
        var source = context.RequestServices.GetRequiredService<WebhookVerifierSource>();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
        var options = source.Options;
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var webhookId = request.Headers[WebhookVerifier.IdHeader].ToString();

        var body = await ReadBodyAsync(context, options.MaxBodySize, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            LogTooLarge(logger, webhookId, options.MaxBodySize);
            await AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, "The webhook body is larger than the receiver accepts.", cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        Event evt;
        try
        {
            evt = source.Verifier.VerifyEvent(
                body,
                webhookId,
                request.Headers[WebhookVerifier.TimestampHeader].ToString(),
                request.Headers[WebhookVerifier.SignatureHeader].ToString());
        }
        catch (WebhookVerificationException e)
        {
            LogRejected(logger, webhookId, e.Message);
            await AnswerAsync(context, StatusCodes.Status400BadRequest, e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Let the handler read the raw body again if it wants to.
        request.Body = new MemoryStream(body, writable: false);

        try
        {
            await handler(evt, context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The gateway gave up on this attempt (timeout) or the connection closed; it will retry.
            return;
        }
        catch (Exception e)
        {
            LogHandlerFailed(logger, e, evt.Id, evt.Type.Value);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await AnswerAsync(context, StatusCodes.Status500InternalServerError, "The webhook handler failed; the gateway will retry.", CancellationToken.None)
                    .ConfigureAwait(false);
            }

            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode == StatusCodes.Status200OK)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    /// <summary>The whole body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature
            && (sizeFeature.MaxRequestBodySize is null || sizeFeature.MaxRequestBodySize > limit))
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static Task AnswerAsync(HttpContext context, int status, string message, CancellationToken cancellationToken)
    {
        // The gateway keeps the first 256 characters of the answer in its delivery log: say why, never anything secret.
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, cancellationToken);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Rejected a PaymentGateway webhook (webhook-id {WebhookId}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string webhookId, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Rejected a PaymentGateway webhook (webhook-id {WebhookId}): the body exceeds {MaxBodySize} bytes")]
    private static partial void LogTooLarge(ILogger logger, string webhookId, long maxBodySize);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "The PaymentGateway webhook handler failed for event {EventId} ({EventType}); answered 500 so the gateway retries")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string eventId, string eventType);
}
