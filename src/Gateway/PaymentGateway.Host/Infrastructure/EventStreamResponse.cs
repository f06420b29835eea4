using System.Net.ServerSentEvents;
using Microsoft.AspNetCore.Http.Features;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// A text/event-stream answer (server-sent events) that stays open until the client leaves: the headers go out at
/// once, not with the first item, so the client knows the stream is open before anything happens.
/// </summary>
public static class EventStreamResponse
{
    public static async Task WriteAsync(HttpContext http, IAsyncEnumerable<SseItem<string>> items, CancellationToken ct)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            await SseFormatter.WriteAsync(items, http.Response.Body, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
    }
}
