using System.Text;
using System.Text.Json.Nodes;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Adyen;

/// <summary>
/// Adyen disputes (WireMock playing the Disputes API): HMAC-signed dispute notification items read into dispute
/// notifications, defence through <c>retrieveApplicableDefenseReasons</c> → <c>supplyDefenseDocument</c> →
/// <c>defendDispute</c>, and <c>acceptDispute</c>.
/// </summary>
public sealed class AdyenDisputeTests : IDisposable
{
    public const string DisputePsp = "DZ4DPSHB4WD2WN82";
    private const string DisputesPath = "/ca/services/DisputeService/v30";

    private readonly AdyenScenarioFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private ProviderWireMock Mock => _fixture.Mock;

    private AdyenProvider Adyen => (AdyenProvider)_fixture.Provider;

    private ProviderAccount Account => _fixture.Account! with
    {
        Settings = new Dictionary<string, string>(_fixture.Account!.Settings) { [AdyenDisputes.DisputesBaseUrlSetting] = Mock.BaseUrl + DisputesPath },
    };

    /// <summary>A signed dispute notification of the disputed payment <paramref name="paymentPsp"/>.</summary>
    public static string DisputeNotification(string eventCode, string disputeStatus, string paymentPsp, string paymentId, long amount, string hmacKey,
        string disputePsp = DisputePsp, string defensePeriodEndsAt = "2030-03-01T12:00:00+01:00") =>
        AdyenScenarioFixture.Notification(eventCode, "true", disputePsp, paymentPsp, paymentId, Money.Of(amount, "EUR"), hmacKey, additionalData: new Dictionary<string, string>
        {
            ["disputeStatus"] = disputeStatus,
            ["chargebackReasonCode"] = "10.4",
            ["chargebackSchemeCode"] = "visa",
            ["defensePeriodEndsAt"] = defensePeriodEndsAt,
        });

    private Task<ProviderWebhookResult> HandleAsync(string body) => Adyen.HandleWebhookAsync(new ProviderWebhookRequest
    {
        Account = Account,
        Headers = new Dictionary<string, string>(),
        Body = Encoding.UTF8.GetBytes(body),
    }, CancellationToken.None);

    [Fact]
    public async Task ChargebackNotification_IsReadIntoADisputeNotification()
    {
        var result = await HandleAsync(DisputeNotification("CHARGEBACK", "Undefended", "PAYMENTPSP0000001", "pay_disputed", 5000, AdyenScenarioFixture.HmacKey));

        var dispute = Assert.Single(result.Disputes);
        Assert.Equal(DisputePsp, dispute.ProviderDisputeId);
        Assert.Equal("PAYMENTPSP0000001", dispute.ProviderPaymentReference);
        Assert.Equal("pay_disputed", dispute.PaymentReference);
        Assert.Equal("CHARGEBACK", dispute.EventCode);
        Assert.Equal("Undefended", dispute.ProviderStatus);
        Assert.Equal(Money.Of(5000, "EUR"), dispute.Amount);
        Assert.Equal(("10.4", "visa"), (dispute.ReasonCode, dispute.ReasonScheme));
        Assert.Equal(DateTimeOffset.Parse("2030-03-01T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture), dispute.EvidenceDueBy);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), dispute.OccurredAt);
        Assert.Equal($"{DisputePsp}:CHARGEBACK:true:Undefended", dispute.EventId);
        Assert.Equal($"{DisputePsp}:CHARGEBACK:true", dispute.FundsEventId);
        Assert.Equal("[accepted]", result.ResponseBody);
    }

    [Theory]
    [InlineData("NOTIFICATION_OF_CHARGEBACK")]
    [InlineData("CHARGEBACK_REVERSED")]
    [InlineData("SECOND_CHARGEBACK")]
    [InlineData("PREARBITRATION_WON")]
    [InlineData("PREARBITRATION_LOST")]
    [InlineData("REQUEST_FOR_INFORMATION")]
    public async Task EveryDisputeEventCode_IsADispute(string eventCode)
    {
        var result = await HandleAsync(DisputeNotification(eventCode, "Pending", "PAYMENTPSP0000001", "pay_disputed", 5000, AdyenScenarioFixture.HmacKey));

        Assert.Equal(eventCode, Assert.Single(result.Disputes).EventCode);
    }

    [Fact]
    public async Task PaymentAndFraudNotifications_AreNotDisputes()
    {
        var authorisation = await HandleAsync(AdyenScenarioFixture.Notification("AUTHORISATION", "true", "PSP1", null, "pay_1", Money.Of(1000, "EUR"), AdyenScenarioFixture.HmacKey));
        var fraud = await HandleAsync(AdyenScenarioFixture.Notification("NOTIFICATION_OF_FRAUD", "true", "PSP2", "PSP1", "pay_1", Money.Of(1000, "EUR"), AdyenScenarioFixture.HmacKey));

        Assert.Empty(authorisation.Disputes);
        Assert.Empty(fraud.Disputes);
    }

    [Fact]
    public async Task DisputeNotification_WithABadHmac_IsRejected()
    {
        await Assert.ThrowsAsync<ProviderWebhookRejectedException>(() =>
            HandleAsync(DisputeNotification("CHARGEBACK", "Undefended", "PAYMENTPSP0000001", "pay_disputed", 5000, "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF")));
    }

    [Fact]
    public async Task SubmitEvidence_ChoosesAnApplicableReason_SuppliesTheDocumentsThenDefends()
    {
        ArrangeDefenseReasons();
        Mock.Server.Given(Request.Create().WithPath(DisputesPath + "/supplyDefenseDocument").UsingPost()).RespondWith(Success());
        Mock.Server.Given(Request.Create().WithPath(DisputesPath + "/defendDispute").UsingPost()).RespondWith(Success());
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 delivery");

        var result = await Adyen.SubmitEvidenceAsync(new SubmitDisputeEvidenceRequest
        {
            Account = Account,
            DisputeId = "dp_gateway1",
            ProviderDisputeId = DisputePsp,
            IdempotencyKey = "dp_gateway1:evidence:chargeback:1",
            Evidence = new Dictionary<string, string> { ["shipping_tracking_number"] = "1Z999" },
            Documents = [new DisputeEvidenceDocument { Field = "shipping_documentation", FileName = "delivery.pdf", ContentType = "application/pdf", Content = pdf }],
        }, CancellationToken.None);

        Assert.Equal(DisputeResponseOutcome.Accepted, result.Outcome);
        var reasons = JsonNode.Parse(Assert.Single(Mock.Requests, r => r.Path == DisputesPath + "/retrieveApplicableDefenseReasons").Body!)!;
        Assert.Equal(new JsonObject { ["disputePspReference"] = DisputePsp, ["merchantAccountCode"] = AdyenScenarioFixture.MerchantAccountName }.ToJsonString(), reasons.ToJsonString());
        var supply = JsonNode.Parse(Assert.Single(Mock.Requests, r => r.Path == DisputesPath + "/supplyDefenseDocument").Body!)!;
        var document = Assert.Single(supply["defenseDocuments"]!.AsArray())!;
        Assert.Equal(Convert.ToBase64String(pdf), document["content"]!.GetValue<string>());
        Assert.Equal("application/pdf", document["contentType"]!.GetValue<string>());
        Assert.Equal("ProofOfDelivery", document["defenseDocumentTypeCode"]!.GetValue<string>());
        var defend = Assert.Single(Mock.Requests, r => r.Path == DisputesPath + "/defendDispute");
        Assert.Equal(new JsonObject
        {
            ["defenseReasonCode"] = "GoodsOrServicesProvided",
            ["disputePspReference"] = DisputePsp,
            ["merchantAccountCode"] = AdyenScenarioFixture.MerchantAccountName,
        }.ToJsonString(), JsonNode.Parse(defend.Body!)!.ToJsonString());
        Assert.Equal("dp_gateway1:evidence:chargeback:1", ProviderWireMock.Header(defend, "Idempotency-Key"));
        Assert.Equal(AdyenScenarioFixture.ApiKey, ProviderWireMock.Header(defend, "X-API-Key"));
    }

    [Fact]
    public async Task SubmitEvidence_RefusedByAdyen_IsRejectedWithItsMessage()
    {
        ArrangeDefenseReasons();
        Mock.Server.Given(Request.Create().WithPath(DisputesPath + "/supplyDefenseDocument").UsingPost()).RespondWith(Success());
        Mock.Server.Given(Request.Create().WithPath(DisputesPath + "/defendDispute").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            new JsonObject { ["disputeServiceResult"] = new JsonObject { ["success"] = false, ["errorMessage"] = "Defense period has expired" } }.ToJsonString()));

        var result = await Adyen.SubmitEvidenceAsync(new SubmitDisputeEvidenceRequest
        {
            Account = Account,
            DisputeId = "dp_gateway1",
            ProviderDisputeId = DisputePsp,
            IdempotencyKey = "dp_gateway1:evidence:chargeback:1",
            Evidence = new Dictionary<string, string>(),
            Documents = [new DisputeEvidenceDocument { Field = "receipt", FileName = "r.pdf", ContentType = "application/pdf", Content = Encoding.ASCII.GetBytes("%PDF") }],
        }, CancellationToken.None);

        Assert.Equal(DisputeResponseOutcome.Rejected, result.Outcome);
        Assert.Equal("Defense period has expired", result.Message);
    }

    [Fact]
    public async Task Accept_CallsAcceptDispute()
    {
        Mock.Server.Given(Request.Create().WithPath(DisputesPath + "/acceptDispute").UsingPost()).RespondWith(Success());

        var result = await Adyen.AcceptDisputeAsync(new AcceptDisputeRequest
        {
            Account = Account,
            DisputeId = "dp_gateway1",
            ProviderDisputeId = DisputePsp,
            IdempotencyKey = "dp_gateway1:accept:chargeback:1",
        }, CancellationToken.None);

        Assert.Equal(DisputeResponseOutcome.Accepted, result.Outcome);
        var accept = Assert.Single(Mock.Requests);
        Assert.Equal(new JsonObject { ["disputePspReference"] = DisputePsp, ["merchantAccountCode"] = AdyenScenarioFixture.MerchantAccountName }.ToJsonString(),
            JsonNode.Parse(accept.Body!)!.ToJsonString());
    }

    [Fact]
    public void DisputesBaseUrl_DefaultsToAdyensPerMode()
    {
        Assert.Equal(AdyenDisputes.TestDisputesBaseUrl, AdyenDisputes.DisputesBaseUrl(_fixture.Account!));
        Assert.Equal(AdyenDisputes.LiveDisputesBaseUrl, AdyenDisputes.DisputesBaseUrl(_fixture.Account! with { Livemode = true }));
    }

    /// <summary>Two applicable reasons: the first needs two documents, the second (chosen for one document) one.</summary>
    public static string DefenseReasons() => new JsonObject
    {
        ["defenseReasons"] = new JsonArray(
            new JsonObject
            {
                ["defenseReasonCode"] = "AdditionalInformation",
                ["satisfied"] = false,
                ["defenseDocumentTypes"] = new JsonArray(
                    new JsonObject { ["available"] = false, ["defenseDocumentTypeCode"] = "WrittenRebuttal", ["requirementLevel"] = "Required" },
                    new JsonObject { ["available"] = false, ["defenseDocumentTypeCode"] = "TIDorInvoice", ["requirementLevel"] = "Required" }),
            },
            new JsonObject
            {
                ["defenseReasonCode"] = "GoodsOrServicesProvided",
                ["satisfied"] = false,
                ["defenseDocumentTypes"] = new JsonArray(
                    new JsonObject { ["available"] = false, ["defenseDocumentTypeCode"] = "Other", ["requirementLevel"] = "Optional" },
                    new JsonObject { ["available"] = false, ["defenseDocumentTypeCode"] = "ProofOfDelivery", ["requirementLevel"] = "Required" }),
            }),
        ["disputeServiceResult"] = new JsonObject { ["success"] = true },
    }.ToJsonString();

    private void ArrangeDefenseReasons() =>
        Mock.Server.Given(Request.Create().WithPath(DisputesPath + "/retrieveApplicableDefenseReasons").UsingPost()).RespondWith(ProviderWireMock.Json(200, DefenseReasons()));

    private static WireMock.ResponseBuilders.IResponseBuilder Success() =>
        ProviderWireMock.Json(200, new JsonObject { ["disputeServiceResult"] = new JsonObject { ["success"] = true } }.ToJsonString());
}
