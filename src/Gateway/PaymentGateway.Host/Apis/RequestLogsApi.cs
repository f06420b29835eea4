using System.Net.ServerSentEvents;
using System.Text.Json;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

public static class RequestLogsApi
{
    public static RouteGroupBuilder MapRequestLogsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/request_logs").WithTags("Request logs").RequireKey(KeyRequirement.Secret);

        group.MapGet("/stream", async (HttpContext http, RequestLogFeed feed, CancellationToken ct) =>
            {
                var caller = http.Caller();
                // Subscribed before the headers go out: a client that starts requests once the stream is open sees them all.
                using var subscription = feed.Follow(caller.MerchantId, caller.Livemode);
                await EventStreamResponse.WriteAsync(http, Items(subscription.ReadAllAsync(ct)), ct).ConfigureAwait(false);
            })
            .WithName("StreamRequestLogs")
            .WithSummary("Stream request logs")
            .WithDescription("Follows this merchant's API requests in the key's mode as they finish, on the node that serves the stream: opens a text/event-stream (server-sent events) whose items are named `request`, carry the request id as their id and a request_log object as JSON data (method, path without the query string, status, duration, transport rest or grpc). Nothing is stored: only requests that finish while the stream is open are sent, and a reader too slow to keep up loses the oldest lines beyond 1,000. Behind a load balancer, each node streams its own requests. `pgw logs tail` reads it. It ends when the client disconnects.")
            .Produces<RequestLogResource>(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithStandardProblems();

        return group;
    }

    private static async IAsyncEnumerable<SseItem<string>> Items(IAsyncEnumerable<RequestLogResource> entries)
    {
        await foreach (var e in entries.ConfigureAwait(false))
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(e, ApiJson.Context.RequestLogResource), "request") { EventId = e.Id };
        }
    }
}
