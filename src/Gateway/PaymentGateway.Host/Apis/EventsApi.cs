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

        group.MapGet("/{id}", async (string id, HttpContext http, EventService events, CancellationToken ct) =>
                TypedResults.Json(await events.GetAsync(http.Caller(), id, ct), ApiJson.Context.EventResource))
            .WithName("GetEvent").WithSummary("Retrieve an event with the object as of the event.").Produces<EventResource>().WithStandardProblems(404);

        group.MapGet("/", async (HttpContext http, EventService events, CancellationToken ct) =>
                TypedResults.Json(await events.ListAsync(http.Caller(), Query(http.Request), ct), ApiJson.Context.ListResourceEventResource))
            .WithListQuery()
            .WithQueryParameter("type", Microsoft.OpenApi.JsonSchemaType.String, "Only events of this type (payment.succeeded).")
            .WithQueryParameter("object_id", Microsoft.OpenApi.JsonSchemaType.String, "Only events about this object.")
            .WithName("ListEvents").WithSummary("List events, newest first; filter by type and object_id.")
            .Produces<ListResource<EventResource>>().WithStandardProblems();

        return group;
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
