using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using PaymentGateway.Providers.Mollie;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Providers.ContractTests.Mollie;

/// <summary>
/// The Mollie adapter, wired through <see cref="MollieServiceCollectionExtensions.AddMollieProvider"/>, against WireMock
/// playing API v2 with the payment, capture and refund objects Mollie documents.
/// </summary>
/// <remarks>
/// "Approved" answers the create with <c>authorized</c> (manual capture) or <c>paid</c>, as Mollie does for a card
/// payment that needs no step by the customer; "requires action" is the usual <c>open</c> with <c>_links.checkout</c>.
/// Mollie confirms captures and refunds later in general; this fake answers them <c>succeeded</c>/<c>refunded</c> so
/// they line up with the cancel, which Mollie answers with the canceled payment. The pending answers are covered by
/// <see cref="MollieTransformersTests"/>.
/// </remarks>
public sealed class MollieScenarioFixture : ProviderScenarioFixture
{
    public const string ApiKey = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM";
    public const string PaymentReference = "tr_5B8cwPMGnU";
    public const string CheckoutUrl = "https://www.mollie.com/checkout/select-method/5B8cwPMGnU";
    public const string WebhookUrl = "https://gateway.example/v1/provider_webhooks/pa_mollie_scenario";

    private readonly ServiceProvider _services;

    public MollieScenarioFixture()
    {
        Mock = new ProviderWireMock();
        _services = BuildAdapterServices((services, timings) => services.AddMollieProvider(timings));
        Provider = _services.GetServices<IPaymentProvider>().Single(p => p.Id == "mollie");
        Account = new ProviderAccount
        {
            Id = "pa_mollie_scenario",
            ProviderId = "mollie",
            Livemode = false,
            Credentials = new Dictionary<string, Secret> { ["api_key"] = new(ApiKey) },
            Settings = new Dictionary<string, string> { ["base_url"] = Mock.BaseUrl, ["webhook_url"] = WebhookUrl },
        };
    }

    public ProviderWireMock Mock { get; }

    public override IPaymentProvider Provider { get; }

    public override ProviderAccount? Account { get; }

    public override ProviderOutcome ModificationOutcome => ProviderOutcome.Succeeded;

    /// <summary>Mollie releases an authorized hold asynchronously (202); the webhook reports the payment canceled.</summary>
    public override ProviderOutcome VoidOutcome => ProviderOutcome.Pending;

    public override string SyncReference => PaymentReference;

    public static JsonObject Amount(Money amount) => new() { ["currency"] = amount.Currency.Code, ["value"] = amount.ToDecimalString() };

    /// <summary>A payment object as Mollie documents it.</summary>
    public static string Payment(string status, Money amount, bool manualCapture = true, string id = PaymentReference, string? checkoutUrl = null,
        string? failureReason = null, string gatewayPaymentId = "pay_scenario", JsonArray? refunds = null, bool wasAuthorized = false, string? idempotencyKey = null)
    {
        var links = new JsonObject
        {
            ["self"] = new JsonObject { ["href"] = $"https://api.mollie.com/v2/payments/{id}", ["type"] = "application/hal+json" },
        };
        if (checkoutUrl is not null)
        {
            links["checkout"] = new JsonObject { ["href"] = checkoutUrl, ["type"] = "text/html" };
        }

        var payment = new JsonObject
        {
            ["resource"] = "payment",
            ["id"] = id,
            ["mode"] = "test",
            ["createdAt"] = "2026-01-01T10:00:00+00:00",
            ["amount"] = Amount(amount),
            ["description"] = "Scenario",
            ["method"] = "creditcard",
            ["metadata"] = new JsonObject { ["gateway_payment_id"] = gatewayPaymentId, ["gateway_attempt_id"] = "att_scenario" },
            ["status"] = status,
            ["profileId"] = "pfl_QkEhN94Ba",
            ["sequenceType"] = "oneoff",
            ["redirectUrl"] = "https://merchant.example/return",
            ["webhookUrl"] = WebhookUrl,
            ["_links"] = links,
        };
        if (manualCapture)
        {
            payment["captureMode"] = "manual";
        }

        if (wasAuthorized || status == "authorized")
        {
            payment["authorizedAt"] = "2026-01-01T10:01:00+00:00";
        }

        if (idempotencyKey is not null)
        {
            payment["metadata"]!["gateway_idempotency_key"] = idempotencyKey;
        }

        if (failureReason is not null)
        {
            payment["details"] = new JsonObject { ["failureReason"] = failureReason, ["failureMessage"] = "The card was declined." };
        }

        if (refunds is not null)
        {
            payment["_embedded"] = new JsonObject { ["refunds"] = refunds };
        }

        return payment.ToJsonString();
    }

    /// <summary>A capture object.</summary>
    public static string Capture(string status, Money amount, string paymentId = PaymentReference) =>
        new JsonObject
        {
            ["resource"] = "capture",
            ["id"] = "cpt_mNepDkEtco6ah3QNPUGYH",
            ["mode"] = "test",
            ["amount"] = Amount(amount),
            ["status"] = status,
            ["paymentId"] = paymentId,
            ["createdAt"] = "2026-01-01T10:05:00+00:00",
        }.ToJsonString();

    /// <summary>A refund object.</summary>
    public static JsonObject Refund(string status, Money amount, string refundId = "re_4qqhO89gsT", string gatewayRefundId = "re_scenario") =>
        new()
        {
            ["resource"] = "refund",
            ["id"] = refundId,
            ["amount"] = Amount(amount),
            ["status"] = status,
            ["paymentId"] = PaymentReference,
            ["metadata"] = new JsonObject { ["gateway_refund_id"] = gatewayRefundId },
            ["createdAt"] = "2026-01-01T10:10:00+00:00",
        };

    /// <summary>The documented error body (<c>application/hal+json</c>).</summary>
    public static string Error(int status, string title, string detail, string? field = null)
    {
        var error = new JsonObject { ["status"] = status, ["title"] = title, ["detail"] = detail };
        if (field is not null)
        {
            error["field"] = field;
        }

        return error.ToJsonString();
    }

    public override ProviderCard ArrangeAuthorize(AuthorizeAnswer answer, Money amount, bool capture)
    {
        Mock.Server.Reset();
        var payments = Request.Create().WithPath("/v2/payments").UsingPost();
        var approved = ProviderWireMock.Json(201, Payment(capture ? "paid" : "authorized", amount, manualCapture: !capture));
        var notProcessed = ProviderWireMock.Json(503, Error(503, "Service Unavailable", "The service is temporarily unavailable."));
        var status = answer switch { AuthorizeAnswer.InternalServerError => 500, AuthorizeAnswer.BadGateway => 502, _ => 503 };
        switch (answer)
        {
            case AuthorizeAnswer.Approved:
                Mock.Server.Given(payments).RespondWith(approved);
                break;
            case AuthorizeAnswer.DeclinedInsufficientFunds:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(201, Payment("failed", amount, failureReason: "insufficient_funds")));
                break;
            case AuthorizeAnswer.RequiresAction:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(201, Payment("open", amount, checkoutUrl: CheckoutUrl)));
                break;
            case AuthorizeAnswer.UnknownStatus:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(201, Payment("teleported", amount, manualCapture: !capture)));
                break;
            case AuthorizeAnswer.InternalServerError:
            case AuthorizeAnswer.BadGateway:
            case AuthorizeAnswer.ServiceUnavailable:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(status, Error(status, "Server Error", "Something went wrong on Mollie's side.")));
                break;
            case AuthorizeAnswer.Timeout:
                Mock.Server.Given(payments).RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/hal+json")
                    .WithBody(Payment("authorized", amount)).WithDelay(TimeSpan.FromSeconds(10)));
                break;
            case AuthorizeAnswer.ServiceUnavailableThenApproved:
                Mock.RespondInSequence(payments, notProcessed, approved);
                break;
        }

        return ScenarioCards.Approved;
    }

    public override void ArrangeCapture(string reference, Money amount) =>
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{reference}/captures").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, Capture("succeeded", amount, reference)));

    /// <summary>The payment is an authorized hold; Mollie documents <c>release-authorization</c> as 202 Accepted without a body.</summary>
    public override void ArrangeVoid(string reference)
    {
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{reference}").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, Payment("authorized", Money.Of(10_00, "EUR"), id: reference)));
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{reference}/release-authorization").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(202));
    }

    public override void ArrangeSyncFailure(string? reference, int status)
    {
        Mock.Server.Reset();
        var lookup = reference is null ? Request.Create().WithPath("/v2/payments").UsingGet() : Request.Create().WithPath($"/v2/payments/{reference}").UsingGet();
        Mock.Server.Given(lookup).RespondWith(status == 200
            ? Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>maintenance</html>")
            : ProviderWireMock.Json(status, Error(status, status == 404 ? "Not Found" : status == 400 ? "Bad Request" : "Server Error", "The lookup failed.")));
    }

    public override void ArrangeSyncAuthorized(string? reference, string idempotencyKey)
    {
        Mock.Server.Reset();
        var payment = JsonNode.Parse(Payment("authorized", Money.Of(10_00, "EUR"), idempotencyKey: idempotencyKey))!;
        if (reference is not null)
        {
            Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{reference}").UsingGet()).RespondWith(ProviderWireMock.Json(200, payment.ToJsonString()));
            return;
        }

        var other = JsonNode.Parse(Payment("canceled", Money.Of(10_00, "EUR"), id: "tr_otherPayment1", idempotencyKey: "an_earlier_attempt"))!;
        Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
        {
            ["count"] = 2,
            ["_embedded"] = new JsonObject { ["payments"] = new JsonArray(other, payment) },
        }.ToJsonString()));
    }

    public override void ArrangeRefund(string reference, Money amount) =>
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{reference}/refunds").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, Refund("refunded", amount).ToJsonString()));

    public override IReadOnlyList<SentRequest> Sent => Mock.Requests
        .Select(r => new SentRequest(r.Method, r.Path, r.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(), r.Body ?? string.Empty))
        .ToList();

    /// <summary>The decimal string Mollie received, back in minor units of its currency ("1.250" KWD is 1250).</summary>
    public override long SentAmount(SentRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        var amount = document.RootElement.GetProperty("amount");
        var value = amount.GetProperty("value").GetString() ?? throw new InvalidOperationException("amount.value is not a string");
        var exponent = Currency.Get(amount.GetProperty("currency").GetString() ?? string.Empty).Exponent;
        var parts = value.Split('.');
        Assert.Equal(exponent, parts.Length == 2 ? parts[1].Length : 0);
        return long.Parse(value.Replace(".", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Mollie webhooks are unsigned: "valid" is an id this account can fetch; "invalid" is one Mollie answers 404 for
    /// (a forged or foreign id), which is how the adapter tells them apart.
    /// </summary>
    /// <summary>Mollie's thin webhook has no event id: the payment id and the status fetched identify the event.</summary>
    public override string? ExpectedEventId(string providerReference) => $"{providerReference}:authorized";

    public override ProviderWebhookRequest AuthorizationWebhook(string providerReference, string paymentId, Money amount, bool validSignature)
    {
        Mock.Server.Reset();
        var fetch = Request.Create().WithPath($"/v2/payments/{providerReference}").UsingGet();
        Mock.Server.Given(fetch).RespondWith(validSignature
            ? ProviderWireMock.Json(200, Payment("authorized", amount, id: providerReference, gatewayPaymentId: paymentId))
            : ProviderWireMock.Json(404, Error(404, "Not Found", $"No payment exists with token {providerReference}.")));
        return Webhook("id=" + providerReference);
    }

    public ProviderWebhookRequest Webhook(string body) => new()
    {
        Account = Account ?? throw new InvalidOperationException(),
        Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
        Body = Encoding.UTF8.GetBytes(body),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _services.Dispose();
            Mock.Dispose();
        }
    }
}

/// <summary>The shared provider scenarios, played by Mollie.</summary>
public sealed class MollieScenarioTests : ProviderScenarioSuite<MollieScenarioFixture>;
