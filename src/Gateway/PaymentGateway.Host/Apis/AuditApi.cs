using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary><c>GET /v1/audit_entries</c>: the audit trail for the admin key, newest first, filtered and cursor-paged.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/audit_entries").WithTags("Administration").RequireKey(KeyRequirement.Admin);
        group.MapGet("/", async (HttpContext http, AuditService audit, CancellationToken ct) =>
            {
                var list = ListQueries.Parse(http.Request, Ids.AuditEntry);
                var q = http.Request.Query;
                var query = new AuditQuery
                {
                    Limit = list.Limit + 1,
                    StartingAfter = list.StartingAfter,
                    EndingBefore = list.EndingBefore,
                    CreatedGte = list.CreatedGte,
                    CreatedLt = list.CreatedLt,
                    Action = Filter(q, "action"),
                    ActorId = Filter(q, "actor"),
                    TargetId = Filter(q, "target"),
                    MerchantId = Filter(q, "merchant"),
                };
                var entries = await audit.ListAsync(query, ct);
                var hasMore = entries.Count > list.Limit;
                var page = (list.EndingBefore is not null && hasMore ? entries.Skip(1) : entries.Take(list.Limit)).Select(AuditEntryResource.From).ToList();
                return TypedResults.Json(new ListResource<AuditEntryResource> { Data = page, HasMore = hasMore }, AuditJsonContext.Default.ListResourceAuditEntryResource);
            })
            .WithListQuery()
            .WithQueryParameter("action", Microsoft.OpenApi.JsonSchemaType.String, "Only entries of this action (api_key.created, …).")
            .WithQueryParameter("actor", Microsoft.OpenApi.JsonSchemaType.String, "Only entries by this actor id.")
            .WithQueryParameter("target", Microsoft.OpenApi.JsonSchemaType.String, "Only entries about this object id.")
            .WithQueryParameter("merchant", Microsoft.OpenApi.JsonSchemaType.String, "Only entries about this merchant (mer_…).")
            .WithName("ListAuditEntries")
            .WithSummary("List audit entries").WithDescription("List audit entries (admin key), newest first: filters `action`, `actor`, `target`, `merchant`, `created[gte]`, `created[lt]`; cursor paging.")
            .Produces<ListResource<AuditEntryResource>>().WithStandardProblems();
        return group;
    }

    private static string? Filter(IQueryCollection q, string name)
    {
        if (!q.TryGetValue(name, out var value))
        {
            return null;
        }

        var text = value.ToString();
        return text.Length is > 0 and <= 255 ? text : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} must be 1 to 255 characters.", name);
    }
}
