// Quickstart: tokenize a test card, authorize a payment, capture it, refund part of it, list payments.
// Run the gateway first (see README.md next to this file).
using PaymentGateway.Sdk;

// PAYMENTGATEWAY_TRANSPORT=grpc switches to the gRPC API; nothing else in this program changes.
var transport = Enum.Parse<PaymentGatewayTransport>(Environment.GetEnvironmentVariable("PAYMENTGATEWAY_TRANSPORT") ?? "rest", ignoreCase: true);
var baseAddress = new Uri(Environment.GetEnvironmentVariable("PAYMENTGATEWAY_URL")
    ?? (transport == PaymentGatewayTransport.Grpc ? "http://127.0.0.1:5081" : "http://127.0.0.1:5080"));
var secretKey = Required("PAYMENTGATEWAY_SECRET_KEY");
var publishableKey = Required("PAYMENTGATEWAY_PUBLISHABLE_KEY");

using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions { BaseAddress = baseAddress, ApiKey = secretKey, Transport = transport });
Console.WriteLine($"using {transport} at {baseAddress}");

try
{
    // 1. Tokenize a card. The gateway takes card numbers only with a publishable key (in production: from the browser).
    var paymentMethod = await client.PaymentMethods.CreateAsync(
        new CreatePaymentMethodRequest
        {
            Card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" },
            HolderName = "Ada Lovelace",
        },
        new RequestOptions { ApiKey = publishableKey });
    Console.WriteLine($"payment method {paymentMethod.Id}: {paymentMethod.Card?.Brand} ending {paymentMethod.Card?.Last4}");

    // 2. Authorize EUR 25.00 now, capture later. One idempotency key per order makes the call safe to repeat.
    var orderId = $"order-{Guid.NewGuid():N}";
    var payment = await client.Payments.CreateAsync(
        new CreatePaymentRequest
        {
            Amount = 2500,
            Currency = "EUR",
            CaptureMethod = CaptureMethod.Manual,
            PaymentMethod = paymentMethod.Id,
            Confirm = true,
            Description = "Quickstart order",
            Metadata = new Dictionary<string, string> { ["order_id"] = orderId },
        },
        new RequestOptions { IdempotencyKey = $"{orderId}/create" });
    Console.WriteLine($"payment {payment.Id}: {payment.Status}, capturable {payment.AmountCapturable} (request {payment.RequestId})");

    // 3. Capture the authorized amount.
    payment = await client.Payments.CaptureAsync(payment.Id, requestOptions: new RequestOptions { IdempotencyKey = $"{orderId}/capture" });
    Console.WriteLine($"payment {payment.Id}: {payment.Status}, received {payment.AmountReceived}");

    // 4. Refund EUR 5.00 of it.
    var refund = await client.Refunds.CreateAsync(new CreateRefundRequest { Payment = payment.Id, Amount = 500, Reason = "requested_by_customer" });
    Console.WriteLine($"refund {refund.Id}: {refund.Status}, {refund.Amount} {refund.Currency}");

    // 5. List the most recent payments; ListAutoPagingAsync fetches further pages only as you read on.
    Console.WriteLine("recent payments:");
    var shown = 0;
    await foreach (var p in client.Payments.ListAutoPagingAsync(new ListPaymentsRequest { Limit = 10 }))
    {
        Console.WriteLine($"  {p.Id} {p.Status,-24} {p.Amount,8} {p.Currency} refunded {p.AmountRefunded}");
        if (++shown == 10)
        {
            break;
        }
    }

    return 0;
}
catch (PaymentGatewayException e)
{
    Console.Error.WriteLine($"gateway error: HTTP {e.Status} {e.Code} {e.DeclineCode} - {e.Message} (request {e.RequestId})");
    return 1;
}

static string Required(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"Set {name} (the gateway prints demo keys when it starts).");
