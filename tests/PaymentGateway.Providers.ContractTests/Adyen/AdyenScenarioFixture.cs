using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Providers.ContractTests.Adyen;

/// <summary>The Adyen adapter, wired through <see cref="AdyenServiceCollectionExtensions.AddAdyenProvider"/>, against WireMock playing Checkout v71.</summary>
public sealed class AdyenScenarioFixture : ProviderScenarioFixture
{
    public const string ApiKey = "AQEyhmfxScenarioApiKeyValue";
    public const string HmacKey = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    public const string MerchantAccountName = "GatewayTestMerchant";
    public const string PspReference = "JLCMPCQ8HXSKGK82";

    private readonly ServiceProvider _services;
    private readonly List<SentRequest> _history = [];

    public AdyenScenarioFixture()
    {
        Mock = new ProviderWireMock();
        _services = BuildAdapterServices((services, timings) => services.AddAdyenProvider(timings));
        Provider = _services.GetServices<IPaymentProvider>().Single(p => p.Id == "adyen");
        Account = new ProviderAccount
        {
            Id = "pa_adyen_scenario",
            ProviderId = "adyen",
            Livemode = false,
            Credentials = new Dictionary<string, Secret> { ["api_key"] = new(ApiKey), ["hmac_key"] = new(HmacKey) },
            Settings = new Dictionary<string, string> { ["base_url"] = Mock.BaseUrl + "/v71", ["merchant_account"] = MerchantAccountName },
        };
    }

    public ProviderWireMock Mock { get; }

    public override IPaymentProvider Provider { get; }

    public override ProviderAccount? Account { get; }

    public override ProviderOutcome ModificationOutcome => ProviderOutcome.Pending;

    /// <summary>Adyen captures asynchronously: <c>Authorised</c> under automatic capture waits for the CAPTURE notification.</summary>
    public override ProviderOutcome AutomaticCaptureOutcome => ProviderOutcome.Pending;

    public override IReadOnlyDictionary<ScenarioFeature, string> Unsupported { get; } = new Dictionary<ScenarioFeature, string>
    {
        [ScenarioFeature.Sync] = "Checkout v71 has no payment status endpoint: Adyen reports outcomes only by notification",
    };

    public static string PaymentResponse(string resultCode, string? refusalReason = null, string? refusalReasonCode = null, string? actionUrl = null)
    {
        var response = new JsonObject { ["pspReference"] = PspReference, ["resultCode"] = resultCode, ["merchantReference"] = "pay_scenario" };
        if (refusalReason is not null)
        {
            response["refusalReason"] = refusalReason;
            response["refusalReasonCode"] = refusalReasonCode;
        }

        if (actionUrl is not null)
        {
            response["action"] = new JsonObject { ["paymentMethodType"] = "scheme", ["url"] = actionUrl, ["method"] = "GET", ["type"] = "redirect" };
        }

        return response.ToJsonString();
    }

    public static string ServiceError(int status, string code, string type, string message) =>
        new JsonObject { ["status"] = status, ["errorCode"] = code, ["message"] = message, ["errorType"] = type }.ToJsonString();

    public override ProviderCard ArrangeAuthorize(AuthorizeAnswer answer, Money amount, bool capture)
    {
        KeepSentAndReset();
        var payments = Request.Create().WithPath("/v71/payments").UsingPost();
        var approved = ProviderWireMock.Json(200, PaymentResponse("Authorised"));
        var notProcessed = ProviderWireMock.Json(503, ServiceError(503, "000", "internal", "Service unavailable"));
        var status = answer switch { AuthorizeAnswer.InternalServerError => 500, AuthorizeAnswer.BadGateway => 502, _ => 503 };
        switch (answer)
        {
            case AuthorizeAnswer.Approved:
                Mock.Server.Given(payments).RespondWith(approved);
                break;
            case AuthorizeAnswer.DeclinedInsufficientFunds:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(200, PaymentResponse("Refused", "Not enough balance", "12")));
                break;
            case AuthorizeAnswer.RequiresAction:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(200,
                    PaymentResponse("RedirectShopper", actionUrl: "https://checkoutshopper-test.adyen.com/checkoutshopper/threeDS/redirect?MD=scenario")));
                break;
            case AuthorizeAnswer.UnknownStatus:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(200, PaymentResponse("Teleported")));
                break;
            case AuthorizeAnswer.InternalServerError:
            case AuthorizeAnswer.BadGateway:
            case AuthorizeAnswer.ServiceUnavailable:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(status, ServiceError(status, "000", "internal", "Internal error")));
                break;
            case AuthorizeAnswer.Timeout:
                Mock.Server.Given(payments).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                    .WithBody(PaymentResponse("Authorised")).WithDelay(TimeSpan.FromSeconds(10)));
                break;
            case AuthorizeAnswer.ServiceUnavailableThenApproved:
                Mock.RespondInSequence(payments, notProcessed, approved);
                break;
        }

        return ScenarioCards.Approved;
    }

    public override void ArrangeCapture(string reference, Money amount) =>
        Mock.Server.Given(Request.Create().WithPath($"/v71/payments/{reference}/captures").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, Modification(reference, "8825408195409505", amount)));

    public override void ArrangeVoid(string reference) =>
        Mock.Server.Given(Request.Create().WithPath($"/v71/payments/{reference}/cancels").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, Modification(reference, "8825408195409506", null)));

    public override void ArrangeRefund(string reference, Money amount) =>
        Mock.Server.Given(Request.Create().WithPath($"/v71/payments/{reference}/refunds").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, Modification(reference, "8825408195409507", amount)));

    public static string Modification(string paymentReference, string pspReference, Money? amount)
    {
        var body = new JsonObject
        {
            ["merchantAccount"] = MerchantAccountName,
            ["paymentPspReference"] = paymentReference,
            ["pspReference"] = pspReference,
            ["reference"] = "pay_scenario",
            ["status"] = "received",
        };
        if (amount is { } a)
        {
            body["amount"] = new JsonObject { ["currency"] = a.Currency.Code, ["value"] = AdyenTransformers.ToAdyenAmount(a) };
        }

        return body.ToJsonString();
    }

    public override IReadOnlyList<SentRequest> Sent => Mock.Requests
        .Select(r => new SentRequest(r.Method, r.Path, r.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(), r.Body ?? string.Empty))
        .ToList();

    public override long SentAmount(SentRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.GetProperty("amount").GetProperty("value").GetInt64();
    }

    /// <summary>Adyen documents pspReference + eventCode + success as a notification's unique key.</summary>
    public override string? ExpectedEventId(string providerReference) => $"{providerReference}:AUTHORISATION:true";

    public override ProviderWebhookRequest AuthorizationWebhook(string providerReference, string paymentId, Money amount, bool validSignature)
    {
        var body = Encoding.UTF8.GetBytes(Notification("AUTHORISATION", "true", providerReference, null, paymentId, amount, validSignature ? HmacKey : "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"));
        return new ProviderWebhookRequest
        {
            Account = Account ?? throw new InvalidOperationException(),
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            Body = body,
        };
    }

    /// <summary>A Standard webhook with one item, signed with <paramref name="hmacKey"/> as Adyen documents.</summary>
    public static string Notification(string eventCode, string success, string pspReference, string? originalReference, string merchantReference, Money amount,
        string hmacKey, string? reason = null, IReadOnlyDictionary<string, string>? additionalData = null)
    {
        var value = AdyenTransformers.ToAdyenAmount(amount);
        var signing = string.Join(':', pspReference, originalReference ?? string.Empty, MerchantAccountName, merchantReference,
            value.ToString(CultureInfo.InvariantCulture), amount.Currency.Code, eventCode, success);
        var item = new JsonObject
        {
            ["additionalData"] = new JsonObject { ["hmacSignature"] = AdyenNotifications.ComputeHmac(signing, hmacKey) },
            ["amount"] = new JsonObject { ["currency"] = amount.Currency.Code, ["value"] = value },
            ["eventCode"] = eventCode,
            ["eventDate"] = "2026-01-01T01:00:00+01:00",
            ["merchantAccountCode"] = MerchantAccountName,
            ["merchantReference"] = merchantReference,
            ["paymentMethod"] = "visa",
            ["pspReference"] = pspReference,
            ["success"] = success,
        };
        if (originalReference is not null)
        {
            item["originalReference"] = originalReference;
        }

        if (reason is not null)
        {
            item["reason"] = reason;
        }

        foreach (var (key, entry) in additionalData ?? new Dictionary<string, string>())
        {
            item["additionalData"]![key] = entry;
        }

        return new JsonObject
        {
            ["live"] = "false",
            ["notificationItems"] = new JsonArray(new JsonObject { ["NotificationRequestItem"] = item }),
        }.ToJsonString();
    }

    /// <summary>Every request body sent to Adyen over the fixture's life (WireMock's log is cleared when a scenario is arranged).</summary>
    public IReadOnlyList<SentRequest> AllSent
    {
        get
        {
            lock (_history)
            {
                return [.. _history, .. Sent];
            }
        }
    }

    /// <summary>
    /// Every POST body the adapter sent, checked against Adyen's published Checkout v71 schema
    /// (<see cref="AdyenOpenApiValidator"/>): the problems, empty when every body is one Adyen documents. Calls to Adyen's
    /// Disputes API (another service, <c>/ca/services/DisputeService</c>, whose document is not in the specs) are left out.
    /// </summary>
    public IReadOnlyList<string> SchemaProblems() =>
        [.. AllSent.Where(r => r.Method == "POST" && r.Body.Length > 0 && !r.Path.StartsWith("/ca/services/DisputeService/", StringComparison.Ordinal)).SelectMany(r =>
        {
            var path = r.Path.StartsWith("/v71", StringComparison.Ordinal) ? r.Path["/v71".Length..] : r.Path;
            var schema = AdyenOpenApiValidator.CheckoutV71.RequestSchemaFor(path);
            return AdyenOpenApiValidator.CheckoutV71.Validate(schema, r.Body).Select(p => $"POST {r.Path} ({schema}): {p}");
        })];

    private void KeepSentAndReset()
    {
        lock (_history)
        {
            _history.AddRange(Sent);
        }

        Mock.Server.Reset();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Every scenario of the shared suite (and every request-shape test) ends by checking what it made the adapter
            // send against Adyen's own schema: a field Adyen does not know fails here, not at Adyen.
            var problems = SchemaProblems();
            _services.Dispose();
            Mock.Dispose();
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("Request bodies that Adyen's Checkout v71 schema refuses:\n" + string.Join("\n", problems));
            }
        }
    }
}

/// <summary>The shared provider scenarios, played by Adyen.</summary>
public sealed class AdyenScenarioTests : ProviderScenarioSuite<AdyenScenarioFixture>;
