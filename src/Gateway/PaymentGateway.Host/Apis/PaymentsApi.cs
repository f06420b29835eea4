using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

public static class PaymentsApi
{
    /// <summary>
    /// The answer of a card payment request (create, confirm). With an idempotency key its last commit stored this very
    /// answer for replays, rendered from the same payment (<see cref="IdempotencyScope"/>): those bytes are sent instead
    /// of serializing the payment a second time. Without a key, or when nothing was stored, the payment is serialized.
    /// </summary>
    private static IResult CardPaymentAnswer(PaymentResource payment) =>
        IdempotencyScope.Current?.StoredResponse is { Status: StatusCodes.Status200OK } stored
            ? TypedResults.Text(stored.Body, JsonContentType)
            : TypedResults.Json(payment, ApiJson.Context.PaymentResource);

    /// <summary>What <see cref="TypedResults.Json{TValue}(TValue, System.Text.Json.Serialization.Metadata.JsonTypeInfo{TValue}, string?, int?)"/> sends.</summary>
    private const string JsonContentType = "application/json; charset=utf-8";

    public static RouteGroupBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/payments").WithTags("Payments").RequireKey(KeyRequirement.Secret);

        group.MapPost("/", async (HttpContext http, PaymentCreation payments, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreatePaymentRequest, allowEmpty: false);
                var payment = await payments.CreateAsync(http.Caller(), request, http.Features.Get<IdempotencyFeature>()?.RecoverySeed, ct);
                return CardPaymentAnswer(payment);
            })
            .WithName("CreatePayment").WithSummary("Create payment").WithDescription("Create a payment; with confirm=true it is authorized at once.")
            .WithMetadata(new FoldedIdempotencyAttribute())
            .WithJsonBody<CreatePaymentRequest>().Produces<PaymentResource>().WithStandardProblems(402, 404, 409, 422, 503);

        group.MapGet("/{id}", async (string id, HttpContext http, PaymentQueries payments, CancellationToken ct) =>
                TypedResults.Json(await payments.GetAsync(http.Caller(), id, ct), ApiJson.Context.PaymentResource))
            .WithName("GetPayment").WithSummary("Retrieve payment").WithDescription("Retrieve a payment.").Produces<PaymentResource>().WithStandardProblems(404);

        group.MapGet("/", async (HttpContext http, PaymentQueries payments, CancellationToken ct) =>
            {
                var query = ListQueries.Parse(http.Request, Ids.Payment);
                PaymentStatus? status = null;
                if (http.Request.Query.TryGetValue("status", out var statusText))
                {
                    status = StatusNames.TryParsePaymentStatus(statusText.ToString(), out var parsed)
                        ? parsed
                        : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "status is not a payment status.", "status");
                }

                var list = await payments.ListAsync(http.Caller(), new PaymentListQuery
                {
                    Limit = query.Limit,
                    StartingAfter = query.StartingAfter,
                    EndingBefore = query.EndingBefore,
                    CreatedGte = query.CreatedGte,
                    CreatedLt = query.CreatedLt,
                    Status = status,
                }, ct);
                return TypedResults.Json(list, ApiJson.Context.ListResourcePaymentResource);
            })
            .WithListQuery().WithQueryParameter("status", Microsoft.OpenApi.JsonSchemaType.String, "Only payments in this status.")
            .WithName("ListPayments").WithSummary("List payments").WithDescription("List payments, newest first, with cursor pagination (limit, starting_after, ending_before) and filters (status, created[gte], created[lt]).")
            .Produces<ListResource<PaymentResource>>().WithStandardProblems();

        group.MapPost("/{id}/confirm", async (string id, HttpContext http, CardPayments payments, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.ConfirmPaymentRequest, allowEmpty: true);
                return CardPaymentAnswer(await payments.ConfirmAsync(http.Caller(), id, request, ct));
            })
            .WithName("ConfirmPayment").WithSummary("Confirm payment").WithDescription("Confirm a payment with a payment method.")
            .WithMetadata(new FoldedIdempotencyAttribute())
            .WithJsonBody<ConfirmPaymentRequest>(required: false).Produces<PaymentResource>().WithStandardProblems(402, 404, 409, 503);

        group.MapPost("/{id}/capture", async (string id, HttpContext http, CardPayments payments, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CapturePaymentRequest, allowEmpty: true);
                return TypedResults.Json(await payments.CaptureAsync(http.Caller(), id, request, ct), ApiJson.Context.PaymentResource);
            })
            .WithName("CapturePayment").WithSummary("Capture payment").WithDescription("Capture all of an authorized payment, or amount_to_capture of it.")
            .WithJsonBody<CapturePaymentRequest>(required: false).Produces<PaymentResource>().WithStandardProblems(404, 409, 422, 503);

        group.MapPost("/{id}/cancel", async (string id, HttpContext http, PaymentCancellation payments, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CancelPaymentRequest, allowEmpty: true);
                return TypedResults.Json(await payments.CancelAsync(http.Caller(), id, request, ct), ApiJson.Context.PaymentResource);
            })
            .WithName("CancelPayment").WithSummary("Cancel payment").WithDescription("Cancel (void) a payment that has not been captured.")
            .WithJsonBody<CancelPaymentRequest>(required: false).Produces<PaymentResource>().WithStandardProblems(404, 409, 503);

        return group;
    }

    /// <summary>Declares the problem responses every endpoint can return, plus the given ones.</summary>
    public static RouteHandlerBuilder WithStandardProblems(this RouteHandlerBuilder builder, params int[] extra)
    {
        foreach (var status in new[] { 400, 401, 403, 413 }.Concat(extra).Distinct())
        {
            builder.Produces<ProblemResource>(status, Problems.ContentType);
        }

        return builder;
    }
}
