using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Events").RequireKey(KeyRequirement.Secret);

        // Registered before "/{id}" so "stream" is never read as an event id.
        group.MapGet("/stream", async (HttpContext http, EventStream stream, IOptions<GatewayOptions> options, CancellationToken ct) =>
            {
                var types = EventStream.ParseTypes(http.Request.Query["types"].ToString());
                await EventStreamResponse.WriteAsync(http, Items(stream.FollowAsync(http.Caller(), types, options.Value.EventStreamPollInterval, ct)), ct)
                    .ConfigureAwait(false);
            })
            .WithQueryParameter("types", Microsoft.OpenApi.JsonSchemaType.String, "Only these event types, comma-separated (payment.succeeded,refund.created); every type when absent.")
            .WithName("StreamEvents")
            .WithSummary("Stream events")
            .WithDescription("Follows the event log as it grows: opens a text/event-stream (server-sent events) that sends each event created from now on, oldest first, once: the SSE event name is the event type, the id the event id and the data the event as JSON, as a webhook would carry it. The stream reads the shared store, so it sees events from every node. `pgw listen` reads it. It ends when the client disconnects.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithStandardProblems();

        group.MapGet("/{id}", async (string id, HttpContext http, EventService events, CancellationToken ct) =>
                TypedResults.Json(await events.GetAsync(http.Caller(), id, ct), ApiJson.Context.EventResource))
            .WithName("GetEvent").WithSummary("Retrieve event").WithDescription("Retrieve an event with the object as of the event.").Produces<EventResource>().WithStandardProblems(404);

        group.MapGet("/", async (HttpContext http, EventService events, CancellationToken ct) =>
                TypedResults.Json(await events.ListAsync(http.Caller(), Query(http.Request), ct), ApiJson.Context.ListResourceEventResource))
            .WithListQuery()
            .WithQueryParameter("type", Microsoft.OpenApi.JsonSchemaType.String, "Only events of this type (payment.succeeded).")
            .WithQueryParameter("object_id", Microsoft.OpenApi.JsonSchemaType.String, "Only events about this object.")
            .WithName("ListEvents").WithSummary("List events").WithDescription("List events, newest first; filter by type and object_id.")
            .Produces<ListResource<EventResource>>().WithStandardProblems();

        return group;
    }

    private static async IAsyncEnumerable<SseItem<string>> Items(IAsyncEnumerable<EventResource> events)
    {
        await foreach (var e in events.ConfigureAwait(false))
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(e, ApiJson.Context.EventResource), e.Type) { EventId = e.Id };
        }
    }

    internal static EventListQuery Query(HttpRequest request)
    {
        var page = ListQueries.Parse(request, Ids.Event);
        var type = request.Query["type"].ToString();
        var objectId = request.Query["object_id"].ToString();
        return new EventListQuery
        {
            Limit = page.Limit,
            StartingAfter = page.StartingAfter,
            EndingBefore = page.EndingBefore,
            CreatedGte = page.CreatedGte,
            CreatedLt = page.CreatedLt,
            Type = type.Length == 0 ? null : type,
            ObjectId = objectId.Length == 0 ? null : objectId,
        };
    }
}
