// Subscriptions: save a card on the first payment, charge it every month off session, and bring the customer back on
// session when the issuer asks for authentication. Run the gateway first (see README.md next to this file).
using PaymentGateway.Samples.Subscriptions;
using PaymentGateway.Sdk;

var baseAddress = new Uri(Environment.GetEnvironmentVariable("PAYMENTGATEWAY_URL") ?? "http://127.0.0.1:5080");
var secretKey = Required("PAYMENTGATEWAY_SECRET_KEY");
var publishableKey = Required("PAYMENTGATEWAY_PUBLISHABLE_KEY");
var months = int.TryParse(Environment.GetEnvironmentVariable("SUBSCRIPTION_MONTHS"), out var m) && m is > 0 and <= 24 ? m : 3;

using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions { BaseAddress = baseAddress, ApiKey = secretKey });
using var customer = new SimulatorCustomer();
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
var flow = new SubscriptionFlow(client, customer.AuthenticateAsync, new Uri("https://shop.example/account/billing"));
var plan = new SubscriptionPlan(1990, "EUR", "Monthly plan");

try
{
    // Two subscribers with the simulator's saved-card test cards: one whose bank approves every later charge, one
    // whose bank wants the cardholder to authenticate each merchant-initiated charge.
    var ok = true;
    foreach (var (email, card) in new[] { ("mit-approved@shop.example", "4000000000003089"), ("needs-authentication@shop.example", "4000002760003184") })
    {
        // In production the card is tokenized in the customer's browser by gateway.js with the publishable key.
        var method = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = card, ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" } },
            new RequestOptions { ApiKey = publishableKey },
            timeout.Token);

        var subscription = await flow.SubscribeAsync(email, method.Id, plan, timeout.Token);
        Console.WriteLine($"{email}: customer {subscription.Customer}, card {method.Card?.Brand} ending {method.Card?.Last4} saved by {subscription.FirstPayment.Id} ({subscription.FirstPayment.Status})");

        foreach (var charge in await flow.ChargeMonthsAsync(subscription, plan, months, timeout.Token))
        {
            var asked = charge.CustomerWasAsked ? " after the customer authenticated on session" : " off session";
            Console.WriteLine($"  month {charge.Month}: {charge.Payment.Id} {charge.Outcome}{asked}, {charge.Payment.AmountReceived} {charge.Payment.Currency}");
            ok &= charge.Outcome == ChargeOutcome.Paid;
        }
    }

    Console.WriteLine(ok ? $"every month charged ({months} months, 2 subscribers)" : "some months were not charged");
    return ok ? 0 : 1;
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
