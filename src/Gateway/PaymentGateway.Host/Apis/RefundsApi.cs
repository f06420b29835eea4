using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

public static class RefundsApi
{
    public static RouteGroupBuilder MapRefundsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/refunds").WithTags("Refunds").RequireKey(KeyRequirement.Secret);

        group.MapPost("/", async (HttpContext http, RefundService refunds, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateRefundRequest, allowEmpty: false);
                return TypedResults.Json(await refunds.CreateAsync(http.Caller(), request, http.Features.Get<IdempotencyFeature>()?.RecoverySeed, ct),
                    ApiJson.Context.RefundResource);
            })
            .WithName("CreateRefund").WithSummary("Create refund").WithDescription("Refund all or part of a succeeded payment; several refunds may add up to the captured amount.")
            .WithJsonBody<CreateRefundRequest>().Produces<RefundResource>().WithStandardProblems(404, 409, 422);

        group.MapGet("/{id}", async (string id, HttpContext http, RefundService refunds, CancellationToken ct) =>
                TypedResults.Json(await refunds.GetAsync(http.Caller(), id, ct), ApiJson.Context.RefundResource))
            .WithName("GetRefund").WithSummary("Retrieve refund").WithDescription("Retrieve a refund.").Produces<RefundResource>().WithStandardProblems(404);

        group.MapGet("/", async (HttpContext http, RefundService refunds, CancellationToken ct) =>
            {
                var query = ListQueries.Parse(http.Request, Ids.Refund);
                var payment = http.Request.Query["payment"].ToString();
                return TypedResults.Json(await refunds.ListAsync(http.Caller(), payment.Length == 0 ? null : payment, query, ct),
                    ApiJson.Context.ListResourceRefundResource);
            })
            .WithListQuery().WithQueryParameter("payment", Microsoft.OpenApi.JsonSchemaType.String, "Only refunds of this payment.")
            .WithName("ListRefunds").WithSummary("List refunds").WithDescription("List refunds, newest first; filter by payment.")
            .Produces<ListResource<RefundResource>>().WithStandardProblems();

        return group;
    }
}
