using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using PaymentGateway.Providers.Stripe;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Providers.ContractTests.Stripe;

/// <summary>The Stripe adapter, wired through <see cref="StripeServiceCollectionExtensions.AddStripeProvider"/>, against WireMock playing Stripe.</summary>
public sealed class StripeScenarioFixture : ProviderScenarioFixture
{
    public const string ApiKey = "sk_test_51ScenarioSecretKeyValue";
    public const string WebhookSecret = "whsec_scenario_webhook_secret_value";
    public const string PaymentIntentId = "pi_3ScenarioPaymentIntent";

    private readonly ServiceProvider _services;

    public StripeScenarioFixture()
    {
        Mock = new ProviderWireMock();
        _services = BuildAdapterServices((services, timings) => services.AddStripeProvider(timings));
        Provider = _services.GetServices<IPaymentProvider>().Single(p => p.Id == "stripe");
        Account = new ProviderAccount
        {
            Id = "pa_stripe_scenario",
            ProviderId = "stripe",
            Livemode = false,
            Credentials = new Dictionary<string, Secret> { ["api_key"] = new(ApiKey), ["webhook_secret"] = new(WebhookSecret) },
            Settings = new Dictionary<string, string> { ["base_url"] = Mock.BaseUrl, ["raw_card_data_enabled"] = "true" },
        };
    }

    public ProviderWireMock Mock { get; }

    public IServiceProvider Services => _services;

    public override IPaymentProvider Provider { get; }

    public override ProviderAccount? Account { get; }

    public override ProviderOutcome ModificationOutcome => ProviderOutcome.Succeeded;

    public override ProviderCard ArrangeAuthorize(AuthorizeAnswer answer, Money amount, bool capture)
    {
        Mock.Server.Reset();
        var wire = StripeTransformers.ToStripeAmount(amount);
        var currency = amount.Currency.Code.ToLowerInvariant();
        var create = Request.Create().WithPath("/v1/payment_intents").UsingPost();
        var approved = ProviderWireMock.Json(200, StripeFixtures.PaymentIntent(PaymentIntentId, capture ? "succeeded" : "requires_capture", wire, currency, capture).ToJsonString());
        var notProcessed = Failure(503);
        switch (answer)
        {
            case AuthorizeAnswer.Approved:
                Mock.Server.Given(create).RespondWith(approved);
                break;
            case AuthorizeAnswer.DeclinedInsufficientFunds:
                Mock.Server.Given(create).RespondWith(ProviderWireMock.Json(402, StripeFixtures.CardError("card_declined", "insufficient_funds",
                    "Your card has insufficient funds.", StripeFixtures.PaymentIntent(PaymentIntentId, "requires_payment_method", wire, currency, capture)).ToJsonString()));
                break;
            case AuthorizeAnswer.RequiresAction:
                Mock.Server.Given(create).RespondWith(ProviderWireMock.Json(200,
                    StripeFixtures.RequiresAction(PaymentIntentId, wire, currency, "https://hooks.stripe.com/redirect/authenticate/src_scenario").ToJsonString()));
                break;
            case AuthorizeAnswer.UnknownStatus:
                Mock.Server.Given(create).RespondWith(ProviderWireMock.Json(200,
                    StripeFixtures.PaymentIntent(PaymentIntentId, "requires_teleportation", wire, currency, capture).ToJsonString()));
                break;
            case AuthorizeAnswer.InternalServerError:
            case AuthorizeAnswer.BadGateway:
            case AuthorizeAnswer.ServiceUnavailable:
                Mock.Server.Given(create).RespondWith(Failure(answer switch { AuthorizeAnswer.InternalServerError => 500, AuthorizeAnswer.BadGateway => 502, _ => 503 }));
                break;
            case AuthorizeAnswer.Timeout:
                Mock.Server.Given(create).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                    .WithBody(StripeFixtures.PaymentIntent(PaymentIntentId, "requires_capture", wire, currency, capture).ToJsonString())
                    .WithDelay(TimeSpan.FromSeconds(10)));
                break;
            case AuthorizeAnswer.ServiceUnavailableThenApproved:
                Mock.RespondInSequence(create, notProcessed, approved);
                break;
        }

        return ScenarioCards.Approved;
    }

    public override string SyncReference => PaymentIntentId;

    public override void ArrangeSyncFailure(string? reference, int status)
    {
        Mock.Server.Reset();
        var path = reference is null ? "/v1/payment_intents/search" : $"/v1/payment_intents/{reference}";
        Mock.Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(status == 200
            ? Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>proxy error</html>")
            : status == 404
                ? ProviderWireMock.Json(404, StripeFixtures.Error("invalid_request_error", "resource_missing", "No such payment_intent.").ToJsonString())
                : status == 400
                    ? ProviderWireMock.Json(400, StripeFixtures.Error("invalid_request_error", null, "Search is not available for this account.").ToJsonString())
                    : Failure(status));
    }

    public override void ArrangeSyncAuthorized(string? reference, string idempotencyKey)
    {
        Mock.Server.Reset();
        var pi = StripeFixtures.PaymentIntent(PaymentIntentId, "requires_capture", 1000, "eur", false, "pay_scenario");
        if (reference is not null)
        {
            Mock.Server.Given(Request.Create().WithPath($"/v1/payment_intents/{reference}").UsingGet()).RespondWith(ProviderWireMock.Json(200, pi.ToJsonString()));
            return;
        }

        Mock.Server.Given(Request.Create().WithPath("/v1/payment_intents/search").WithParam("query", $"metadata['gateway_idempotency_key']:'{idempotencyKey}'").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, new System.Text.Json.Nodes.JsonObject
            {
                ["object"] = "search_result",
                ["data"] = new System.Text.Json.Nodes.JsonArray(pi),
                ["has_more"] = false,
            }.ToJsonString()));
    }

    private static IResponseBuilder Failure(int status) =>
        ProviderWireMock.Json(status, StripeFixtures.Error("api_error", null, "An error occurred with our connection to Stripe.").ToJsonString());

    public override void ArrangeCapture(string reference, Money amount) =>
        Mock.Server.Given(Request.Create().WithPath($"/v1/payment_intents/{reference}/capture").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            StripeFixtures.PaymentIntent(reference, "succeeded", StripeTransformers.ToStripeAmount(amount), amount.Currency.Code.ToLowerInvariant(), false).ToJsonString()));

    public override void ArrangeVoid(string reference) =>
        Mock.Server.Given(Request.Create().WithPath($"/v1/payment_intents/{reference}/cancel").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            StripeFixtures.PaymentIntent(reference, "canceled", 1000, "eur", false).ToJsonString()));

    public override void ArrangeRefund(string reference, Money amount) =>
        Mock.Server.Given(Request.Create().WithPath("/v1/refunds").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            StripeFixtures.Refund("re_3ScenarioRefund", "succeeded", StripeTransformers.ToStripeAmount(amount), amount.Currency.Code.ToLowerInvariant(), reference).ToJsonString()));

    public override IReadOnlyList<SentRequest> Sent => Mock.Requests
        .Select(r => new SentRequest(r.Method, r.Path, r.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(), r.Body ?? string.Empty))
        .ToList();

    public override long SentAmount(SentRequest request)
    {
        var form = ProviderWireMock.Form(request.Body);
        return long.Parse(form.TryGetValue("amount", out var amount) ? amount : form["amount_to_capture"], System.Globalization.CultureInfo.InvariantCulture);
    }

    public override ProviderWebhookRequest AuthorizationWebhook(string providerReference, string paymentId, Money amount, bool validSignature)
    {
        var pi = StripeFixtures.PaymentIntent(providerReference, "requires_capture", StripeTransformers.ToStripeAmount(amount),
            amount.Currency.Code.ToLowerInvariant(), capture: false, paymentId);
        var body = Encoding.UTF8.GetBytes(StripeFixtures.Event("payment_intent.amount_capturable_updated", pi).ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = StripeWebhookTransformers.ComputeSignature(timestamp, body, validSignature ? WebhookSecret : "whsec_someone_else");
        return new ProviderWebhookRequest
        {
            Account = Account ?? throw new InvalidOperationException(),
            Headers = new Dictionary<string, string> { ["Stripe-Signature"] = $"t={timestamp},v1={signature}" },
            Body = body,
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _services.Dispose();
            Mock.Dispose();
        }
    }
}

/// <summary>The shared provider scenarios, played by Stripe.</summary>
public sealed class StripeScenarioTests : ProviderScenarioSuite<StripeScenarioFixture>;
