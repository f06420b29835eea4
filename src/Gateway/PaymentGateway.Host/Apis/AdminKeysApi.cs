using PaymentGateway.Core.Api;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// <c>/v1/admin_keys</c>: named admin keys (issue 21), authenticated by an admin key (configured or named). Thin over
/// <see cref="AdminKeyService"/>; docs/operations.md (Keys) says how to move off the configured key.
/// </summary>
public static class AdminKeysApi
{
    public static RouteGroupBuilder MapAdminKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin_keys").WithTags("Administration").RequireKey(KeyRequirement.Admin);

        group.MapPost("/", async (HttpContext http, AdminKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.CreateAsync(JsonBody.Read(http, ApiJson.Context.CreateAdminKeyRequest, allowEmpty: false), http.AuditSource(), ct),
                    ApiJson.Context.AdminKeyResource))
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("CreateAdminKey").WithSummary("Create admin key").WithDescription("Create a named admin key (admin key), optionally expiring. The key is in the response once; only its hash is stored.")
            .WithJsonBody<CreateAdminKeyRequest>().Produces<AdminKeyResource>().WithStandardProblems();

        group.MapGet("/", async (AdminKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.ListAsync(ct), ApiJson.Context.ListResourceAdminKeyResource))
            .WithName("ListAdminKeys").WithSummary("List admin keys").WithDescription("List the named admin keys, newest first, with status, expiry and last use (admin key). Hints only, never a secret.")
            .WithUnpagedList("Every named admin key in one answer.")
            .Produces<ListResource<AdminKeyResource>>().WithStandardProblems();

        group.MapGet("/events", async (HttpContext http, AdminKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.ListEventsAsync(EventsApi.Query(http.Request), ct), ApiJson.Context.ListResourceEventResource))
            .WithListQuery()
            .WithQueryParameter("type", Microsoft.OpenApi.JsonSchemaType.String, "Only events of this type (admin_key.revoked).")
            .WithQueryParameter("object_id", Microsoft.OpenApi.JsonSchemaType.String, "Only events about this admin key.")
            .WithName("ListAdminKeyEvents").WithSummary("List admin key events").WithDescription("List the admin_key.created, admin_key.rolled and admin_key.revoked events (admin key), newest first.")
            .Produces<ListResource<EventResource>>().WithStandardProblems();

        group.MapGet("/{id}", async (string id, AdminKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.GetAsync(id, ct), ApiJson.Context.AdminKeyResource))
            .WithName("GetAdminKey").WithSummary("Retrieve admin key").WithDescription("Retrieve one named admin key (admin key). Hint only, never the secret.")
            .Produces<AdminKeyResource>().WithStandardProblems(404);

        group.MapPost("/{id}/roll", async (string id, HttpContext http, AdminKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.RollAsync(id, JsonBody.Read(http, ApiJson.Context.RollApiKeyRequest, allowEmpty: true), http.AuditSource(), ct),
                    ApiJson.Context.AdminKeyResource))
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("RollAdminKey").WithSummary("Roll admin key").WithDescription("Roll a named admin key (admin key): a new key with the same name replaces it, in this response once; the old key keeps working for overlap_seconds (default 86400, at most 604800), then expires.")
            .WithJsonBody<RollApiKeyRequest>().Produces<AdminKeyResource>().WithStandardProblems(404, 409);

        group.MapPost("/{id}/revoke", async (string id, HttpContext http, AdminKeyService keys, CancellationToken ct) =>
                TypedResults.Json(await keys.RevokeAsync(id, http.AuditSource(), ct), ApiJson.Context.AdminKeyResource))
            .WithName("RevokeAdminKey").WithSummary("Revoke admin key").WithDescription("Revoke a named admin key at once (admin key): refused on every node within 5 seconds. Revoking a revoked key changes nothing.")
            .Produces<AdminKeyResource>().WithStandardProblems(404);
        return group;
    }
}
