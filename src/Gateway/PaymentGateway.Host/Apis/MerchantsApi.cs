using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Host.BackOffice;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

public static class MerchantsApi
{
    public static RouteGroupBuilder MapMerchantsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/merchants").WithTags("Administration").RequireKey(KeyRequirement.Admin);

        group.MapPost("/", async (HttpContext http, MerchantService merchants, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateMerchantRequest, allowEmpty: false);
                return TypedResults.Json(await merchants.CreateMerchantAsync(http.AuditSource(), request, http.Features.Get<IdempotencyFeature>()?.RecoverySeed, ct),
                    ApiJson.Context.MerchantResource);
            })
            .WithName("CreateMerchant").WithSummary("Create merchant").WithDescription("Create a merchant (admin key).")
            .WithJsonBody<CreateMerchantRequest>().Produces<MerchantResource>().WithStandardProblems();

        group.MapGet("/", async (MerchantService merchants, CancellationToken ct) =>
                TypedResults.Json(new ListResource<MerchantResource> { Data = await merchants.ListMerchantsAsync(ct), HasMore = false },
                    ApiJson.Context.ListResourceMerchantResource))
            .WithUnpagedList("Every merchant in one answer.")
            .WithName("ListMerchants").WithSummary("List merchants").WithDescription("List merchants (admin key).").Produces<ListResource<MerchantResource>>().WithStandardProblems();

        group.MapPost("/{id}/api_keys", async (string id, HttpContext http, ApiKeyService keys, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateApiKeyRequest, allowEmpty: false);
                return TypedResults.Json(await keys.CreateAsync(id, request, http.AuditSource().Actor, http.AuditSource().Context, ct), ApiJson.Context.ApiKeyResource);
            })
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("CreateApiKey").WithSummary("Create API key").WithDescription("Create a secret or publishable key for a merchant (admin key), optionally named and expiring. The key is in the response once; only its hash is stored.")
            .WithJsonBody<CreateApiKeyRequest>().Produces<ApiKeyResource>().WithStandardProblems(404);

        group.MapGet("/{id}/api_keys", async (string id, ApiKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.ListAsync(id, ct), ApiJson.Context.ListResourceApiKeyResource))
            .WithUnpagedList("Every key of the merchant in one answer.")
            .WithName("ListApiKeys").WithSummary("List API keys").WithDescription("List a merchant's keys, newest first, with status, expiry and last use (admin key). Hints only, never a secret.")
            .Produces<ListResource<ApiKeyResource>>().WithStandardProblems(404);

        group.MapGet("/{id}/api_keys/{keyId}", async (string id, string keyId, ApiKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.GetAsync(id, keyId, ct), ApiJson.Context.ApiKeyResource))
            .WithName("GetApiKey").WithSummary("Retrieve API key").WithDescription("Retrieve one key (admin key). Hint only, never the secret.")
            .Produces<ApiKeyResource>().WithStandardProblems(404);

        group.MapPost("/{id}/api_keys/{keyId}/roll", async (string id, string keyId, HttpContext http, ApiKeyService keys, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.RollApiKeyRequest, allowEmpty: true);
                return TypedResults.Json(await keys.RollAsync(id, keyId, request, http.AuditSource().Actor, http.AuditSource().Context, ct), ApiJson.Context.ApiKeyResource);
            })
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("RollApiKey").WithSummary("Roll API key").WithDescription("Roll a key (admin key): a new key of the same type replaces it, in this response once; the old key keeps working for overlap_seconds (default 86400, at most 604800), then expires.")
            .WithJsonBody<RollApiKeyRequest>().Produces<ApiKeyResource>().WithStandardProblems(404, 409);

        group.MapPost("/{id}/api_keys/{keyId}/revoke", async (string id, string keyId, HttpContext http, ApiKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.RevokeAsync(id, keyId, http.AuditSource().Actor, http.AuditSource().Context, ct), ApiJson.Context.ApiKeyResource))
            .WithName("RevokeApiKey").WithSummary("Revoke API key").WithDescription("Revoke a key at once (admin key): refused on every node within 5 seconds. Revoking a revoked key changes nothing.")
            .Produces<ApiKeyResource>().WithStandardProblems(404);

        return group;
    }
}
