using PaymentGateway.Core.Api;
using PaymentGateway.Core.Merchants;
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
            .WithName("CreateMerchant").WithSummary("Create a merchant (admin key).")
            .WithJsonBody<CreateMerchantRequest>().Produces<MerchantResource>().WithStandardProblems();

        group.MapGet("/", async (MerchantService merchants, CancellationToken ct) =>
                TypedResults.Json(new ListResource<MerchantResource> { Data = await merchants.ListMerchantsAsync(ct), HasMore = false },
                    ApiJson.Context.ListResourceMerchantResource))
            .WithName("ListMerchants").WithSummary("List merchants (admin key).").Produces<ListResource<MerchantResource>>().WithStandardProblems();

        group.MapPost("/{id}/api_keys", async (string id, HttpContext http, MerchantService merchants, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateApiKeyRequest, allowEmpty: false);
                return TypedResults.Json(await merchants.CreateApiKeyAsync(http.AuditSource(), id, request, ct), ApiJson.Context.ApiKeyResource);
            })
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("CreateApiKey").WithSummary("Create a secret or publishable key for a merchant (admin key). The key is in the response once; only its hash is stored.")
            .WithJsonBody<CreateApiKeyRequest>().Produces<ApiKeyResource>().WithStandardProblems(404);

        return group;
    }
}
