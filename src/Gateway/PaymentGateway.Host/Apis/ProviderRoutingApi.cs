using Microsoft.OpenApi;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Routing;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// Per-merchant provider accounts and routing rules (admin key), and inbound provider webhooks. See docs/providers.md;
/// the adapters and routing are registered by <see cref="GatewayServiceCollectionExtensions.AddProviderRouting"/>.
/// </summary>
public static class ProviderRoutingApi
{
    public static IEndpointRouteBuilder MapProviderRoutingApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/v1/merchants/{merchant_id}/provider_accounts").WithTags("Administration").RequireKey(KeyRequirement.Admin);
        var json = RoutingApiJsonContext.Api;

        accounts.MapPost("/", async (string merchant_id, HttpContext http, ProviderAccountService service, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, json.CreateProviderAccountRequest, allowEmpty: false);
                return TypedResults.Json(await service.CreateAsync(http.AuditSource(), merchant_id, request, http.Features.Get<IdempotencyFeature>()?.RecoverySeed, ct), json.ProviderAccountResource);
            })
            .WithName("CreateProviderAccount")
            .WithSummary("Create provider account").WithDescription("Add a provider account (stripe, adyen, checkoutcom, mollie, simulator) with credentials and settings. Credentials are encrypted at rest and never returned.")
            .WithJsonBody<CreateProviderAccountRequest>().Produces<ProviderAccountResource>().WithStandardProblems(404);

        accounts.MapGet("/", async (string merchant_id, ProviderAccountService service, CancellationToken ct) =>
                TypedResults.Json(await service.ListAsync(merchant_id, ct), json.ListResourceProviderAccountResource))
            .WithUnpagedList("Every provider account of the merchant in one answer.")
            .WithName("ListProviderAccounts").WithSummary("List provider accounts").WithDescription("List a merchant's provider accounts, oldest first.")
            .Produces<ListResource<ProviderAccountResource>>().WithStandardProblems(404);

        accounts.MapGet("/{id}", async (string merchant_id, string id, ProviderAccountService service, CancellationToken ct) =>
                TypedResults.Json(await service.GetAsync(merchant_id, id, ct), json.ProviderAccountResource))
            .WithName("GetProviderAccount").WithSummary("Retrieve provider account").WithDescription("Retrieve a provider account (credentials masked).")
            .Produces<ProviderAccountResource>().WithStandardProblems(404);

        accounts.MapPost("/{id}", async (string merchant_id, string id, HttpContext http, ProviderAccountService service, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, json.UpdateProviderAccountRequest, allowEmpty: true);
                return TypedResults.Json(await service.UpdateAsync(http.AuditSource(), merchant_id, id, request, ct), json.ProviderAccountResource);
            })
            .WithName("UpdateProviderAccount")
            .WithSummary("Update provider account").WithDescription("Enable/disable (disabled: true|false), rotate credentials (the names given are replaced), merge settings (an empty value removes one).")
            .WithJsonBody<UpdateProviderAccountRequest>(required: false).Produces<ProviderAccountResource>().WithStandardProblems(404, 409);

        accounts.MapDelete("/{id}", async (string merchant_id, string id, HttpContext http, ProviderAccountService service, CancellationToken ct) =>
                TypedResults.Json(await service.DeleteAsync(http.AuditSource(), merchant_id, id, ct), json.DeletedResource))
            .WithName("DeleteProviderAccount").WithSummary("Delete provider account").WithDescription("Delete a provider account no routing rule uses.")
            .Produces<DeletedResource>().WithStandardProblems(404);

        var rules = app.MapGroup("/v1/merchants/{merchant_id}/routing_rules").WithTags("Administration").RequireKey(KeyRequirement.Admin);

        rules.MapPost("/", async (string merchant_id, HttpContext http, RoutingRuleService service, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, json.CreateRoutingRuleRequest, allowEmpty: false);
                return TypedResults.Json(await service.CreateAsync(http.AuditSource(), merchant_id, request, http.Features.Get<IdempotencyFeature>()?.RecoverySeed, ct), json.RoutingRuleResource);
            })
            .WithName("CreateRoutingRule")
            .WithSummary("Create routing rule").WithDescription("Add a routing rule: conditions (currencies, amount_gte/lte, card_brands, payment_method_types, countries) and weighted targets; lower priority first.")
            .WithJsonBody<CreateRoutingRuleRequest>().Produces<RoutingRuleResource>().WithStandardProblems(404);

        rules.MapGet("/", async (string merchant_id, HttpContext http, RoutingRuleService service, CancellationToken ct) =>
                TypedResults.Json(await service.ListAsync(merchant_id, http.Request.Query["livemode"] == "true", ct), json.ListResourceRoutingRuleResource))
            .WithUnpagedList("Every rule of the mode in one answer, in evaluation order.")
            .WithQueryParameter("livemode", Microsoft.OpenApi.JsonSchemaType.Boolean, "The mode whose rules to list (default false).")
            .WithName("ListRoutingRules").WithSummary("List routing rules").WithDescription("List a merchant's routing rules for one mode (?livemode=true|false) in evaluation order.")
            .Produces<ListResource<RoutingRuleResource>>().WithStandardProblems(404);

        rules.MapGet("/{id}", async (string merchant_id, string id, RoutingRuleService service, CancellationToken ct) =>
                TypedResults.Json(await service.GetAsync(merchant_id, id, ct), json.RoutingRuleResource))
            .WithName("GetRoutingRule").WithSummary("Retrieve routing rule").WithDescription("Retrieve a routing rule.").Produces<RoutingRuleResource>().WithStandardProblems(404);

        rules.MapPost("/{id}", async (string merchant_id, string id, HttpContext http, RoutingRuleService service, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, json.UpdateRoutingRuleRequest, allowEmpty: true);
                return TypedResults.Json(await service.UpdateAsync(http.AuditSource(), merchant_id, id, request, ct), json.RoutingRuleResource);
            })
            .WithName("UpdateRoutingRule").WithSummary("Update routing rule").WithDescription("Change a rule's priority, conditions, targets or description.")
            .WithJsonBody<UpdateRoutingRuleRequest>(required: false).Produces<RoutingRuleResource>().WithStandardProblems(404, 409);

        rules.MapDelete("/{id}", async (string merchant_id, string id, HttpContext http, RoutingRuleService service, CancellationToken ct) =>
                TypedResults.Json(await service.DeleteAsync(http.AuditSource(), merchant_id, id, ct), json.DeletedResource))
            .WithName("DeleteRoutingRule").WithSummary("Delete routing rule").WithDescription("Delete a routing rule.").Produces<DeletedResource>().WithStandardProblems(404);

        app.MapPost("/v1/provider_webhooks/{provider_account_id}", async (string provider_account_id, HttpContext http, ProviderWebhookService webhooks, CancellationToken ct) =>
            {
                var body = http.Features.Get<BufferedBodyFeature>()?.Body ?? [];
                var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                var answer = await webhooks.HandleAsync(provider_account_id, headers, body, ct);
                return answer.Body is null ? Results.StatusCode(answer.StatusCode) : Results.Text(answer.Body, "text/plain", statusCode: answer.StatusCode);
            })
            .WithTags("Provider webhooks")
            .WithName("ReceiveProviderWebhook")
            .WithSummary("Receive a provider's webhook")
            .WithDescription("Where a provider sends its webhooks for one provider account (the account's webhook_path). No API key: the body is verified with the provider's own scheme "
                + "and the account's webhook secret (Stripe-Signature for Stripe, Cko-Signature for Checkout.com, the HMAC in each Adyen notification item; Mollie's id-only "
                + "webhooks are confirmed by fetching the payment from Mollie). The body is the provider's own format, read byte for byte; a repeated event changes nothing.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var anyObject = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The provider's webhook payload, as the provider documents it." };
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The provider's notification, unchanged: JSON (Stripe, Adyen, Checkout.com) or a form with the payment id (Mollie).",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = anyObject },
                        ["application/x-www-form-urlencoded"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Mollie: id=tr_… (the payment to fetch)." } },
                    },
                };
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse okResponse)
                {
                    okResponse.Description = "Accepted (or already seen). The body is what the provider expects back, for example [accepted] for Adyen; it may be empty.";
                }

                return Task.CompletedTask;
            })
            .WithStandardProblems(404);

        return app;
    }
}
