using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

public static class PaymentMethodsApi
{
    public static RouteGroupBuilder MapPaymentMethodsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/payment_methods").WithTags("Payment methods");

        group.MapPost("/", async (HttpContext http, PaymentMethodService methods, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreatePaymentMethodRequest, allowEmpty: false);
                return TypedResults.Json(await methods.CreateAsync(http.Caller(), request, http.Features.Get<IdempotencyFeature>()?.RecoverySeed, ct),
                    ApiJson.Context.PaymentMethodResource);
            })
            .RequireKey(KeyRequirement.Publishable)
            .WithName("CreatePaymentMethod").WithSummary("Create payment method").WithDescription("Tokenize a card. Publishable key only: card numbers go from the browser to the gateway, never through your server.")
            .WithJsonBody<CreatePaymentMethodRequest>().Produces<PaymentMethodResource>().WithStandardProblems();

        group.MapGet("/{id}", async (string id, HttpContext http, PaymentMethodService methods, CancellationToken ct) =>
                TypedResults.Json(await methods.GetAsync(http.Caller(), id, ct), ApiJson.Context.PaymentMethodResource))
            .RequireKey(KeyRequirement.Secret)
            .WithName("GetPaymentMethod").WithSummary("Retrieve payment method").WithDescription("Retrieve a payment method's masked view (brand, last4, expiry, fingerprint).")
            .Produces<PaymentMethodResource>().WithStandardProblems(404);

        return group;
    }
}
