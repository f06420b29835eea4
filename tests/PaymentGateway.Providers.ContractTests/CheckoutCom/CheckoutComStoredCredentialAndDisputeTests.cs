using System.Text;
using System.Text.Json.Nodes;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.CheckoutCom;

/// <summary>
/// Checkout.com stored credentials and disputes against its documented Payments, Files and Disputes APIs (WireMock):
/// saving on the first payment, a zero-amount card verification, a merchant-initiated payment on the stored instrument,
/// 20154 as authentication required; signed <c>dispute_*</c> webhooks, evidence upload, provide and submit, accept.
/// </summary>
public sealed class CheckoutComStoredCredentialAndDisputeTests : IDisposable
{
    private const string Source = "src_nwd3m4in3hkuddfpjsaevunhdy";
    private const string SchemeId = "489341065491658";
    private const string DisputeId = "dsp_rbhwd2qrg13uhrp2newf";

    private readonly CheckoutComScenarioFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private ProviderWireMock Mock => _fixture.Mock;

    private CheckoutComProvider Cko => (CheckoutComProvider)_fixture.Provider;

    private static string Stored(string status, Money amount)
    {
        var payment = JsonNode.Parse(CheckoutComScenarioFixture.Payment(status, amount))!.AsObject();
        payment["source"] = new JsonObject { ["id"] = Source, ["type"] = "card", ["last4"] = "4242" };
        payment["scheme_id"] = SchemeId;
        return payment.ToJsonString();
    }

    [Fact]
    public async Task SaveOnFirstPayment_StoresTheCard_AndReturnsTheInstrumentFirstPaymentAndSchemeId()
    {
        Mock.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, Stored("Authorized", Money.Of(1990, "EUR"))));

        var result = await Cko.AuthorizeAsync(Authorize(First(StoredCredentialUsage.OffSession), ScenarioCards.Approved), CancellationToken.None);

        var body = Sent("/payments");
        Assert.Equal("card", body["source"]!["type"]!.GetValue<string>());
        Assert.True(body["source"]!["store_for_future_use"]!.GetValue<bool>());
        Assert.Equal(ScenarioCards.CvcValue, body["source"]!["cvv"]!.GetValue<string>());
        Assert.Equal("Unscheduled", body["payment_type"]!.GetValue<string>());
        Assert.False(body["merchant_initiated"]!.GetValue<bool>());
        Assert.Null(body["previous_payment_id"]);
        Assert.NotNull(body["3ds"]);

        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
        Assert.Equal(SchemeId, result.NetworkTransactionId);
        Assert.Equal(new Dictionary<string, string> { ["source_id"] = Source, ["first_payment_id"] = CheckoutComScenarioFixture.PaymentReference }, result.RecurringReferences);
    }

    [Fact]
    public async Task SetupMode_IsAZeroAmountCardVerificationThatStoresTheCard()
    {
        Mock.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, Stored("Card Verified", Money.Of(0, "EUR"))));

        var result = await Cko.VerifyAsync(new VerifyRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_setup",
            AttemptId = "att_1",
            IdempotencyKey = "pay_setup:att_1",
            Currency = Currency.Get("EUR"),
            Card = ScenarioCards.Approved,
            ReturnUrl = "https://shop.example/return",
            StoredCredential = First(StoredCredentialUsage.OffSession),
        }, CancellationToken.None);

        var body = Sent("/payments");
        Assert.Equal(0, body["amount"]!.GetValue<long>());
        Assert.False(body["capture"]!.GetValue<bool>());
        Assert.True(body["source"]!["store_for_future_use"]!.GetValue<bool>());
        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
        Assert.Equal(Source, result.RecurringReferences?["source_id"]);
    }

    [Theory]
    [InlineData(MerchantInitiatedType.Recurring, "Recurring")]
    [InlineData(MerchantInitiatedType.Instalment, "Installment")]
    [InlineData(MerchantInitiatedType.Unscheduled, "Unscheduled")]
    public async Task OffSessionCharge_SendsTheStoredInstrumentMerchantInitiatedWithThePreviousPayment_AndNoCard(MerchantInitiatedType type, string paymentType)
    {
        Mock.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, CheckoutComScenarioFixture.Payment("Captured", Money.Of(990, "EUR"))));

        var result = await Cko.AuthorizeAsync(Authorize(Mit(type, new Dictionary<string, string> { ["source_id"] = Source, ["first_payment_id"] = "pay_first" }),
            ScenarioCards.Approved with { Cvc = null }), CancellationToken.None);

        var body = Sent("/payments");
        Assert.Equal(new JsonObject { ["type"] = "id", ["id"] = Source }.ToJsonString(), body["source"]!.ToJsonString());
        Assert.Equal(paymentType, body["payment_type"]!.GetValue<string>());
        Assert.True(body["merchant_initiated"]!.GetValue<bool>());
        Assert.Equal("pay_first", body["previous_payment_id"]!.GetValue<string>());
        Assert.Null(body["3ds"]);
        Assert.DoesNotContain("4242424242424242", Assert.Single(Mock.Requests).Body, StringComparison.Ordinal);
        Assert.Equal(ProviderOutcome.Succeeded, result.Outcome);
    }

    [Fact]
    public async Task OffSessionCharge_OfACardSavedElsewhere_SendsTheCardWithTheSchemeIdAsPreviousPayment_AndNoCvv()
    {
        Mock.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, CheckoutComScenarioFixture.Payment("Captured", Money.Of(990, "EUR"))));

        await Cko.AuthorizeAsync(Authorize(Mit(MerchantInitiatedType.Recurring, new Dictionary<string, string>()), ScenarioCards.Approved), CancellationToken.None);

        var body = Sent("/payments");
        Assert.Equal("card", body["source"]!["type"]!.GetValue<string>());
        Assert.Null(body["source"]!["cvv"]);
        Assert.False(body["source"]!["store_for_future_use"]!.GetValue<bool>());
        Assert.Equal(SchemeId, body["previous_payment_id"]!.GetValue<string>());
        Assert.True(_fixture.Provider.Capabilities.AcceptsNetworkTransactionIds);
    }

    [Fact]
    public async Task OffSessionCharge_Declined20154_IsAuthenticationRequired()
    {
        Mock.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201,
            CheckoutComScenarioFixture.Payment("Declined", Money.Of(990, "EUR"), "20154", "3D Secure authentication required")));

        var result = await Cko.AuthorizeAsync(Authorize(Mit(MerchantInitiatedType.Recurring, new Dictionary<string, string> { ["source_id"] = Source }), ScenarioCards.Approved with { Cvc = null }),
            CancellationToken.None);

        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.AuthenticationRequired, result.DeclineCode);
    }

    /// <summary>A signed <c>dispute_*</c> event.</summary>
    public static (byte[] Body, string Signature) DisputeEvent(string type, string eventId, string paymentId, string gatewayPaymentId, long amount, string secret,
        string disputeId = DisputeId, string evidenceRequiredBy = "2030-02-01T10:00:00Z")
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["id"] = eventId,
            ["type"] = type,
            ["version"] = "1.0.0",
            ["created_on"] = "2026-01-02T10:00:00Z",
            ["data"] = new JsonObject
            {
                ["id"] = disputeId,
                ["category"] = "fraudulent",
                ["status"] = "evidence_required",
                ["amount"] = amount,
                ["currency"] = "EUR",
                ["reason_code"] = "10.4",
                ["payment_id"] = paymentId,
                ["payment_reference"] = gatewayPaymentId,
                ["payment_method"] = "VISA",
                ["evidence_required_by"] = evidenceRequiredBy,
            },
        }.ToJsonString());
        return (body, CheckoutComTransformers.ComputeSignature(body, secret));
    }

    [Fact]
    public async Task DisputeEvidenceRequiredEvent_IsReadIntoADisputeNotification_AndABadSignatureIsRejected()
    {
        var (body, signature) = DisputeEvent("dispute_evidence_required", "evt_dispute_1", "pay_disputed", "pay_gateway1", 5000, CheckoutComScenarioFixture.WebhookSecret);

        var result = await Cko.HandleWebhookAsync(Webhook(body, signature), CancellationToken.None);

        var dispute = Assert.Single(result.Disputes);
        Assert.Equal((DisputeId, "pay_disputed", "pay_gateway1"), (dispute.ProviderDisputeId, dispute.ProviderPaymentReference, dispute.PaymentReference));
        Assert.Equal(("dispute_evidence_required", "evidence_required"), (dispute.EventCode, dispute.ProviderStatus));
        Assert.Equal(Money.Of(5000, "EUR"), dispute.Amount);
        Assert.Equal(("fraudulent", "visa"), (dispute.ReasonCode, dispute.ReasonScheme));
        Assert.Equal(DateTimeOffset.Parse("2030-02-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), dispute.EvidenceDueBy);
        Assert.Equal("evt_dispute_1", dispute.EventId);
        await Assert.ThrowsAsync<ProviderWebhookRejectedException>(() => Cko.HandleWebhookAsync(Webhook(body, "00" + signature[2..]), CancellationToken.None));
    }

    [Fact]
    public async Task SubmitEvidence_UploadsTheFile_ProvidesTheEvidence_ThenSubmits()
    {
        Mock.Server.Given(Request.Create().WithPath("/files").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            new JsonObject { ["id"] = "file_6lbss42ezvoufcb2beo76rvwly" }.ToJsonString()));
        Mock.Server.Given(Request.Create().WithPath($"/disputes/{DisputeId}/evidence").UsingPut()).RespondWith(ProviderWireMock.Json(204, "{}"));
        Mock.Server.Given(Request.Create().WithPath($"/disputes/{DisputeId}/evidence").UsingPost()).RespondWith(ProviderWireMock.Json(204, "{}"));

        var result = await Cko.SubmitEvidenceAsync(new SubmitDisputeEvidenceRequest
        {
            Account = _fixture.Account,
            DisputeId = "dp_gateway1",
            ProviderDisputeId = DisputeId,
            IdempotencyKey = "dp_gateway1:evidence:chargeback:1",
            Evidence = new Dictionary<string, string> { ["shipping_tracking_number"] = "1Z999", ["product_description"] = "A teapot" },
            Documents = [new DisputeEvidenceDocument { Field = "shipping_documentation", FileName = "pod.pdf", ContentType = "application/pdf", Content = Encoding.ASCII.GetBytes("%PDF-1.4 pod") }],
        }, CancellationToken.None);

        Assert.Equal(DisputeResponseOutcome.Accepted, result.Outcome);
        var upload = Assert.Single(Mock.Requests, r => r.Path == "/files");
        Assert.Contains("dispute_evidence", upload.Body, StringComparison.Ordinal);
        Assert.Contains("filename=pod.pdf", upload.Body, StringComparison.Ordinal);
        var provide = Assert.Single(Mock.Requests, r => r.Path == $"/disputes/{DisputeId}/evidence" && r.Method == "PUT");
        Assert.Equal(new JsonObject
        {
            ["proof_of_delivery_or_service_file"] = "file_6lbss42ezvoufcb2beo76rvwly",
            ["proof_of_delivery_or_service_text"] = "shipping_tracking_number: 1Z999",
            ["additional_evidence_text"] = "product_description: A teapot",
        }.ToJsonString(), JsonNode.Parse(provide.Body!)!.ToJsonString());
        var submit = Assert.Single(Mock.Requests, r => r.Path == $"/disputes/{DisputeId}/evidence" && r.Method == "POST");
        Assert.Equal("dp_gateway1:evidence:chargeback:1", ProviderWireMock.Header(submit, "Cko-Idempotency-Key"));
        Assert.True(Mock.Requests.ToList().IndexOf(provide) < Mock.Requests.ToList().IndexOf(submit));
    }

    [Fact]
    public async Task Accept_PostsAccept_AndARefusalIsRejected()
    {
        Mock.Server.Given(Request.Create().WithPath($"/disputes/{DisputeId}/accept").UsingPost()).RespondWith(ProviderWireMock.Json(204, "{}"));
        Mock.Server.Given(Request.Create().WithPath("/disputes/dsp_closed/accept").UsingPost()).RespondWith(ProviderWireMock.Json(422,
            new JsonObject { ["request_id"] = "req_1", ["error_type"] = "processing_error", ["error_codes"] = new JsonArray("dispute_not_open") }.ToJsonString()));

        var accepted = await Cko.AcceptDisputeAsync(new AcceptDisputeRequest { Account = _fixture.Account, DisputeId = "dp_1", ProviderDisputeId = DisputeId, IdempotencyKey = "dp_1:accept:chargeback:1" },
            CancellationToken.None);
        var refused = await Cko.AcceptDisputeAsync(new AcceptDisputeRequest { Account = _fixture.Account, DisputeId = "dp_2", ProviderDisputeId = "dsp_closed", IdempotencyKey = "dp_2:accept:chargeback:1" },
            CancellationToken.None);

        Assert.Equal(DisputeResponseOutcome.Accepted, accepted.Outcome);
        Assert.Equal(DisputeResponseOutcome.Rejected, refused.Outcome);
    }

    private ProviderWebhookRequest Webhook(byte[] body, string signature) => new()
    {
        Account = _fixture.Account!,
        Headers = new Dictionary<string, string> { [CheckoutComProvider.SignatureHeader] = signature },
        Body = body,
    };

    private JsonNode Sent(string path) => JsonNode.Parse(Assert.Single(Mock.Requests, r => r.Path == path).Body!)!;

    private static StoredCredential First(StoredCredentialUsage usage) => new()
    {
        Initiator = StoredCredentialInitiator.Customer,
        Sequence = StoredCredentialSequence.First,
        Usage = usage,
        CustomerReference = "cus_gateway1",
    };

    private static StoredCredential Mit(MerchantInitiatedType type, IReadOnlyDictionary<string, string> references) => new()
    {
        Initiator = StoredCredentialInitiator.Merchant,
        Sequence = StoredCredentialSequence.Subsequent,
        MerchantInitiatedType = type,
        NetworkTransactionId = SchemeId,
        ProviderReferences = references,
        CustomerReference = "cus_gateway1",
    };

    private AuthorizeRequest Authorize(StoredCredential stored, ProviderCard card) => new()
    {
        Account = _fixture.Account,
        PaymentId = "pay_saved",
        AttemptId = "att_1",
        IdempotencyKey = "pay_saved:att_1",
        Amount = Money.Of(19_90, "EUR"),
        Capture = false,
        Card = card,
        ReturnUrl = "https://shop.example/return",
        StoredCredential = stored,
    };
}
