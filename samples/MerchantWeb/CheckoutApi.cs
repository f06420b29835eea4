using PaymentGateway.Sdk;

namespace PaymentGateway.Samples.MerchantWeb;

/// <summary>The shop's own endpoint that starts a payment for an order.</summary>
public static class CheckoutApi
{
    public sealed record StartPaymentRequest(string OrderId, long Amount, string Currency, string PaymentMethod);

    public sealed record StartPaymentResponse(string PaymentId, string Status, string? RedirectTo);

    public static IEndpointRouteBuilder MapCheckoutApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/orders/{orderId}/payment", StartPaymentAsync);
        return app;
    }

    private static async Task<IResult> StartPaymentAsync(
        string orderId, StartPaymentRequest body, PaymentGatewayClient gateway, CancellationToken cancellationToken)
    {
        try
        {
            var payment = await gateway.Payments.CreateAsync(
                new CreatePaymentRequest
                {
                    Amount = body.Amount,
                    Currency = body.Currency,
                    PaymentMethod = body.PaymentMethod,
                    Confirm = true,
                    Metadata = new Dictionary<string, string> { ["order_id"] = orderId },
                    ReturnUrl = $"https://shop.example/orders/{orderId}/done",
                },
                // The order id makes a double-clicked "Pay" button charge once.
                new RequestOptions { IdempotencyKey = $"order-{orderId}" },
                cancellationToken);

            // requires_action: send the customer to the redirect (3-D Secure and the like).
            var redirectTo = payment.Status == PaymentStatus.RequiresAction ? payment.NextAction?.RedirectToUrl?.Url : null;
            return TypedResults.Ok(new StartPaymentResponse(payment.Id, payment.Status.Value, redirectTo));
        }
        catch (PaymentGatewayException e) when (e.Code == ErrorCode.CardDeclined)
        {
            return TypedResults.Problem(statusCode: 402, title: "Card declined", detail: e.DeclineCode);
        }
    }
}
