using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>Webhook endpoints, their delivery log, and redelivery of events.</summary>
public static class WebhookEndpointsApi
{
    public static IEndpointRouteBuilder MapWebhookEndpointsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhook_endpoints").WithTags("Webhooks").RequireKey(KeyRequirement.Secret);

        group.MapPost("/", async (HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateWebhookEndpointRequest, allowEmpty: false);
                return TypedResults.Json(await webhooks.CreateAsync(http.Caller(), http.AuditSource(), request, http.Features.Get<IdempotencyFeature>()?.RecoverySeed, ct),
                    ApiJson.Context.WebhookEndpointResource);
            })
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("CreateWebhookEndpoint")
            .WithSummary("Create webhook endpoint").WithDescription("Register a webhook endpoint (url, enabled_events). The signing secret (whsec_…) is in this response only.")
            .WithJsonBody<CreateWebhookEndpointRequest>().Produces<WebhookEndpointResource>().WithStandardProblems();

        group.MapGet("/", async (HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
                TypedResults.Json(await webhooks.ListAsync(http.Caller(), ListQueries.Parse(http.Request, Ids.WebhookEndpoint), ct),
                    ApiJson.Context.ListResourceWebhookEndpointResource))
            .WithListQuery()
            .WithName("ListWebhookEndpoints").WithSummary("List webhook endpoints").WithDescription("List webhook endpoints, newest first.")
            .Produces<ListResource<WebhookEndpointResource>>().WithStandardProblems();

        group.MapGet("/{id}", async (string id, HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
                TypedResults.Json(await webhooks.GetAsync(http.Caller(), id, ct), ApiJson.Context.WebhookEndpointResource))
            .WithName("GetWebhookEndpoint").WithSummary("Retrieve webhook endpoint").WithDescription("Retrieve a webhook endpoint (without its secret).")
            .Produces<WebhookEndpointResource>().WithStandardProblems(404);

        group.MapPost("/{id}", async (string id, HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.UpdateWebhookEndpointRequest, allowEmpty: true);
                return TypedResults.Json(await webhooks.UpdateAsync(http.Caller(), http.AuditSource(), id, request, ct), ApiJson.Context.WebhookEndpointResource);
            })
            .WithName("UpdateWebhookEndpoint").WithSummary("Update webhook endpoint").WithDescription("Change url, enabled_events or description; disabled: true|false disables or enables it.")
            .WithJsonBody<UpdateWebhookEndpointRequest>(required: false).Produces<WebhookEndpointResource>().WithStandardProblems(404, 409);

        group.MapDelete("/{id}", async (string id, HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
                TypedResults.Json(await webhooks.DeleteAsync(http.Caller(), http.AuditSource(), id, ct), ApiJson.Context.DeletedResource))
            .WithName("DeleteWebhookEndpoint").WithSummary("Delete webhook endpoint").WithDescription("Delete a webhook endpoint; its pending deliveries are canceled.")
            .Produces<DeletedResource>().WithStandardProblems(404);

        group.MapPost("/{id}/rotate_secret", async (string id, HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.RotateWebhookSecretRequest, allowEmpty: true);
                return TypedResults.Json(await webhooks.RotateSecretAsync(http.Caller(), http.AuditSource(), id, request, ct), ApiJson.Context.WebhookEndpointResource);
            })
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("RotateWebhookSecret")
            .WithSummary("Rotate webhook secret").WithDescription("New signing secret (in this response only); the previous one keeps signing beside it for overlap_seconds (default 86400).")
            .WithJsonBody<RotateWebhookSecretRequest>(required: false).Produces<WebhookEndpointResource>().WithStandardProblems(404, 409);

        group.MapGet("/{id}/deliveries", async (string id, HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
                TypedResults.Json(await webhooks.ListDeliveriesAsync(http.Caller(), DeliveryQuery(http.Request) with { EndpointId = id }, ct),
                    ApiJson.Context.ListResourceWebhookDeliveryResource))
            .WithListQuery().WithQueryParameter("status", Microsoft.OpenApi.JsonSchemaType.String, "Only deliveries in this status (pending, succeeded, failed, canceled).")
            .WithName("ListWebhookEndpointDeliveries")
            .WithSummary("List webhook endpoint deliveries").WithDescription("The delivery log of an endpoint, newest first, each with its attempts (status, latency, response snippet); filter by status.")
            .Produces<ListResource<WebhookDeliveryResource>>().WithStandardProblems(404);

        var events = app.MapGroup("/v1/events").WithTags("Events").RequireKey(KeyRequirement.Secret);

        events.MapGet("/{id}/deliveries", async (string id, HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
                TypedResults.Json(await webhooks.ListDeliveriesAsync(http.Caller(), DeliveryQuery(http.Request) with { EventId = id }, ct),
                    ApiJson.Context.ListResourceWebhookDeliveryResource))
            .WithListQuery().WithQueryParameter("status", Microsoft.OpenApi.JsonSchemaType.String, "Only deliveries in this status (pending, succeeded, failed, canceled).")
            .WithName("ListEventDeliveries").WithSummary("List event deliveries").WithDescription("The deliveries of an event to each endpoint, with their attempts.")
            .Produces<ListResource<WebhookDeliveryResource>>().WithStandardProblems(404);

        events.MapPost("/{id}/redeliver", async (string id, HttpContext http, WebhookEndpointService webhooks, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.RedeliverEventRequest, allowEmpty: true);
                return TypedResults.Json(await webhooks.RedeliverAsync(http.Caller(), id, request, ct), ApiJson.Context.ListResourceWebhookDeliveryResource);
            })
            .WithName("RedeliverEvent")
            .WithSummary("Redeliver event").WithDescription("Send an event again (same webhook-id) to one endpoint (webhook_endpoint) or to every enabled endpoint that receives it.")
            .WithJsonBody<RedeliverEventRequest>(required: false).Produces<ListResource<WebhookDeliveryResource>>().WithStandardProblems(404, 409);

        return app;
    }

    private static WebhookDeliveryListQuery DeliveryQuery(HttpRequest request)
    {
        var page = ListQueries.Parse(request, WebhookIds.Delivery);
        var statusText = request.Query["status"].ToString();
        WebhookDeliveryStatus? status = null;
        if (statusText.Length > 0)
        {
            status = WebhookWire.ParseDeliveryStatus(statusText)
                     ?? throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "status must be pending, succeeded, failed or canceled.", "status");
        }

        return new WebhookDeliveryListQuery
        {
            Limit = page.Limit,
            StartingAfter = page.StartingAfter,
            EndingBefore = page.EndingBefore,
            CreatedGte = page.CreatedGte,
            CreatedLt = page.CreatedLt,
            Status = status,
        };
    }
}
