using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Events").RequireKey(KeyRequirement.Secret);

        group.MapGet("/{id}", async (string id, HttpContext http, IEventStore store, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var e = await store.GetEventAsync(caller.MerchantId, caller.Livemode, id, ct) ?? throw GatewayException.NotFound("event", id);
                return TypedResults.Json(e.ToResource(), ApiJson.Context.EventResource);
            })
            .WithName("GetEvent").WithSummary("Retrieve an event with the object as of the event.").Produces<EventResource>().WithStandardProblems(404);

        group.MapGet("/", async (HttpContext http, IEventStore store, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var query = ListQueries.Parse(http.Request, Ids.Event);
                var type = http.Request.Query["type"].ToString();
                var objectId = http.Request.Query["object_id"].ToString();
                var eventQuery = new EventListQuery
                {
                    Limit = query.Limit,
                    StartingAfter = query.StartingAfter,
                    EndingBefore = query.EndingBefore,
                    CreatedGte = query.CreatedGte,
                    CreatedLt = query.CreatedLt,
                    Type = type.Length == 0 ? null : type,
                    ObjectId = objectId.Length == 0 ? null : objectId,
                };
                var rows = await store.ListEventsAsync(caller.MerchantId, caller.Livemode, Paging.Probe(eventQuery), ct);
                return TypedResults.Json(Paging.ToList(rows, eventQuery, e => e.ToResource()), ApiJson.Context.ListResourceEventResource);
            })
            .WithListQuery()
            .WithQueryParameter("type", Microsoft.OpenApi.JsonSchemaType.String, "Only events of this type (payment.succeeded).")
            .WithQueryParameter("object_id", Microsoft.OpenApi.JsonSchemaType.String, "Only events about this object.")
            .WithName("ListEvents").WithSummary("List events, newest first; filter by type and object_id.")
            .Produces<ListResource<EventResource>>().WithStandardProblems();

        return group;
    }
}
