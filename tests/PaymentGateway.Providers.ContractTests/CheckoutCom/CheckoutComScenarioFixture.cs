using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Providers.ContractTests.CheckoutCom;

/// <summary>
/// The Checkout.com adapter, wired through <see cref="CheckoutComServiceCollectionExtensions.AddCheckoutComProvider"/>,
/// against WireMock playing the Payments API with the request and response shapes Checkout.com documents.
/// </summary>
public sealed class CheckoutComScenarioFixture : ProviderScenarioFixture
{
    public const string SecretKey = "sk_sbox_scenario3kw5hzsz7ljq2b";
    public const string WebhookSecret = "whsec_scenario_5c1c6a0e2d7b";
    public const string PaymentReference = "pay_mbabizu24mvu3mela5njyhpit4";
    public const string RedirectUrl = "https://3ds2-sandbox.ckotech.co/interceptor/3ds_7cfa3bb6/device-information";

    private readonly ServiceProvider _services;

    public CheckoutComScenarioFixture()
    {
        Mock = new ProviderWireMock();
        _services = BuildAdapterServices((services, timings) => services.AddCheckoutComProvider(timings));
        Provider = _services.GetServices<IPaymentProvider>().Single(p => p.Id == "checkoutcom");
        Account = new ProviderAccount
        {
            Id = "pa_checkoutcom_scenario",
            ProviderId = "checkoutcom",
            Livemode = false,
            Credentials = new Dictionary<string, Secret> { ["secret_key"] = new(SecretKey), ["webhook_secret"] = new(WebhookSecret) },
            Settings = new Dictionary<string, string> { ["base_url"] = Mock.BaseUrl, ["processing_channel_id"] = "pc_scenario" },
        };
    }

    public ProviderWireMock Mock { get; }

    public override IPaymentProvider Provider { get; }

    public override ProviderAccount? Account { get; }

    public override ProviderOutcome ModificationOutcome => ProviderOutcome.Pending;

    /// <summary>Checkout.com captures asynchronously: <c>Authorized</c> with <c>capture: true</c> waits for <c>Captured</c>.</summary>
    public override ProviderOutcome AutomaticCaptureOutcome => ProviderOutcome.Pending;

    public override string SyncReference => PaymentReference;

    /// <summary>A payment as <c>POST /payments</c> (201/202) and <c>GET /payments/{id}</c> document it.</summary>
    public static string Payment(string status, Money amount, string? responseCode = "10000", string? responseSummary = "Approved", string? redirectUrl = null,
        string reference = "pay_scenario")
    {
        var links = new JsonObject { ["self"] = new JsonObject { ["href"] = $"https://api.sandbox.checkout.com/payments/{PaymentReference}" } };
        if (redirectUrl is not null)
        {
            links["redirect"] = new JsonObject { ["href"] = redirectUrl };
        }

        var payment = new JsonObject
        {
            ["id"] = PaymentReference,
            ["action_id"] = "act_mbabizu24mvu3mela5njyhpit4",
            ["amount"] = CheckoutComTransformers.ToCheckoutComAmount(amount),
            ["currency"] = amount.Currency.Code,
            ["approved"] = status is "Authorized" or "Captured",
            ["status"] = status,
            ["reference"] = reference,
            ["processed_on"] = "2026-01-01T10:00:00Z",
            ["_links"] = links,
        };
        if (responseCode is not null)
        {
            payment["response_code"] = responseCode;
            payment["response_summary"] = responseSummary;
        }

        return payment.ToJsonString();
    }

    /// <summary>The documented 202 answer to captures, voids and refunds.</summary>
    public static string Action(string actionId, string reference) =>
        new JsonObject
        {
            ["action_id"] = actionId,
            ["reference"] = reference,
            ["_links"] = new JsonObject { ["payment"] = new JsonObject { ["href"] = $"https://api.sandbox.checkout.com/payments/{PaymentReference}" } },
        }.ToJsonString();

    /// <summary>The documented error body.</summary>
    public static string Error(string type, params string[] codes) =>
        new JsonObject
        {
            ["request_id"] = "0HL80RJLS76I7",
            ["error_type"] = type,
            ["error_codes"] = new JsonArray(codes.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        }.ToJsonString();

    public override ProviderCard ArrangeAuthorize(AuthorizeAnswer answer, Money amount, bool capture)
    {
        Mock.Server.Reset();
        var payments = Request.Create().WithPath("/payments").UsingPost();
        var approved = ProviderWireMock.Json(201, Payment("Authorized", amount));
        // 502/503 come from Checkout.com's edge with no JSON body; the request may still have been processed.
        var notProcessed = Response.Create().WithStatusCode(503).WithBody("Service Unavailable");
        switch (answer)
        {
            case AuthorizeAnswer.Approved:
                Mock.Server.Given(payments).RespondWith(approved);
                break;
            case AuthorizeAnswer.DeclinedInsufficientFunds:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(201, Payment("Declined", amount, "20051", "Insufficient Funds")));
                break;
            case AuthorizeAnswer.RequiresAction:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(202, Payment("Pending", amount, null, null, RedirectUrl)));
                break;
            case AuthorizeAnswer.UnknownStatus:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(201, Payment("Teleported", amount)));
                break;
            case AuthorizeAnswer.InternalServerError:
                Mock.Server.Given(payments).RespondWith(ProviderWireMock.Json(500, Error("processing_error", "internal_error")));
                break;
            case AuthorizeAnswer.BadGateway:
                Mock.Server.Given(payments).RespondWith(Response.Create().WithStatusCode(502).WithBody("Bad Gateway"));
                break;
            case AuthorizeAnswer.ServiceUnavailable:
                Mock.Server.Given(payments).RespondWith(notProcessed);
                break;
            case AuthorizeAnswer.Timeout:
                Mock.Server.Given(payments).RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                    .WithBody(Payment("Authorized", amount)).WithDelay(TimeSpan.FromSeconds(10)));
                break;
            case AuthorizeAnswer.ServiceUnavailableThenApproved:
                Mock.RespondInSequence(payments, notProcessed, approved);
                break;
        }

        return ScenarioCards.Approved;
    }

    public override void ArrangeSyncFailure(string? reference, int status)
    {
        Mock.Server.Reset();
        var lookup = reference is null ? Request.Create().WithPath("/payments").UsingGet() : Request.Create().WithPath($"/payments/{reference}").UsingGet();
        Mock.Server.Given(lookup).RespondWith(status == 200
            ? Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>gateway error</html>")
            : status >= 500 ? Response.Create().WithStatusCode(status).WithBody("Service Unavailable")
            : ProviderWireMock.Json(status, Error("request_invalid", status == 404 ? "payment_not_found" : "reference_invalid")));
    }

    public override void ArrangeSyncAuthorized(string? reference, string idempotencyKey)
    {
        Mock.Server.Reset();
        var payment = JsonNode.Parse(Payment("Authorized", Money.Of(10_00, "EUR")))!.AsObject();
        payment["metadata"] = new JsonObject { ["gateway_idempotency_key"] = idempotencyKey };
        if (reference is not null)
        {
            Mock.Server.Given(Request.Create().WithPath($"/payments/{reference}").UsingGet()).RespondWith(ProviderWireMock.Json(200, payment.ToJsonString()));
            return;
        }

        var other = JsonNode.Parse(Payment("Declined", Money.Of(10_00, "EUR"), "20051", "Insufficient Funds"))!.AsObject();
        other["id"] = "pay_otherattemptofthispayment00";
        other["metadata"] = new JsonObject { ["gateway_idempotency_key"] = "an_earlier_attempt" };
        Mock.Server.Given(Request.Create().WithPath("/payments").WithParam("reference", "pay_scenario").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
        {
            ["limit"] = 10,
            ["skip"] = 0,
            ["total_count"] = 2,
            ["data"] = new JsonArray(other, payment),
        }.ToJsonString()));
    }

    public override void ArrangeCapture(string reference, Money amount) =>
        Mock.Server.Given(Request.Create().WithPath($"/payments/{reference}/captures").UsingPost())
            .RespondWith(ProviderWireMock.Json(202, Action("act_capture_scenario", "pay_scenario")));

    public override void ArrangeVoid(string reference) =>
        Mock.Server.Given(Request.Create().WithPath($"/payments/{reference}/voids").UsingPost())
            .RespondWith(ProviderWireMock.Json(202, Action("act_void_scenario", "pay_scenario")));

    public override void ArrangeRefund(string reference, Money amount) =>
        Mock.Server.Given(Request.Create().WithPath($"/payments/{reference}/refunds").UsingPost())
            .RespondWith(ProviderWireMock.Json(202, Action("act_refund_scenario", "re_scenario")));

    /// <summary>
    /// What was sent. Checkout.com's idempotency header is <c>Cko-Idempotency-Key</c>; it is also reported under the
    /// suite's generic <c>Idempotency-Key</c> name so the shared idempotency scenario reads it.
    /// </summary>
    public override IReadOnlyList<SentRequest> Sent => Mock.Requests
        .Select(r =>
        {
            var headers = r.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)
                ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (headers.TryGetValue(CheckoutComProvider.IdempotencyHeader, out var key))
            {
                headers["Idempotency-Key"] = key;
            }

            return new SentRequest(r.Method, r.Path, headers, r.Body ?? string.Empty);
        })
        .ToList();

    public override long SentAmount(SentRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.GetProperty("amount").GetInt64();
    }

    /// <summary>Checkout.com takes ISO minor units, with CLP in two decimals (none of the suite's currencies differ).</summary>
    public override long ExpectedWireAmount(Money amount) => CheckoutComTransformers.ToCheckoutComAmount(amount);

    public override ProviderWebhookRequest AuthorizationWebhook(string providerReference, string paymentId, Money amount, bool validSignature)
    {
        var body = WebhookEvent("payment_approved", providerReference, paymentId, amount);
        return Webhook(body, validSignature ? WebhookSecret : "whsec_someone_else");
    }

    public ProviderWebhookRequest Webhook(string body, string signingSecret) => new()
    {
        Account = Account ?? throw new InvalidOperationException(),
        Headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            [CheckoutComProvider.SignatureHeader] = CheckoutComTransformers.ComputeSignature(Encoding.UTF8.GetBytes(body), signingSecret),
        },
        Body = Encoding.UTF8.GetBytes(body),
    };

    /// <summary>A webhook event as Checkout.com documents it: <c>type</c> and the payment in <c>data</c>.</summary>
    public static string WebhookEvent(string type, string paymentId, string reference, Money amount, string? responseCode = null, string? actionId = null)
    {
        var data = new JsonObject
        {
            ["id"] = paymentId,
            ["action_id"] = actionId ?? "act_y3oqhf46pyzuxjbcn2giaqnb44",
            ["amount"] = CheckoutComTransformers.ToCheckoutComAmount(amount),
            ["currency"] = amount.Currency.Code,
            ["reference"] = reference,
            ["processed_on"] = "2026-01-01T10:00:00Z",
        };
        if (responseCode is not null)
        {
            data["response_code"] = responseCode;
        }

        return new JsonObject
        {
            ["id"] = "evt_az5sblvku4ge3dwpztvyizgcau",
            ["type"] = type,
            ["version"] = "1.0.33",
            ["created_on"] = "2026-01-01T10:00:01Z",
            ["data"] = data,
            ["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = "https://api.sandbox.checkout.com/workflows/events/evt_az5sblvku4ge3dwpztvyizgcau" } },
        }.ToJsonString();
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

/// <summary>The shared provider scenarios, played by Checkout.com.</summary>
public sealed class CheckoutComScenarioTests : ProviderScenarioSuite<CheckoutComScenarioFixture>;
