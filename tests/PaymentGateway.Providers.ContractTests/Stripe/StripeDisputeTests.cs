using System.Text;
using System.Text.Json.Nodes;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.Stripe;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Stripe;

/// <summary>
/// Stripe disputes through its documented API (WireMock, Stripe's dispute fixture): signed <c>charge.dispute.*</c>
/// events read into dispute notifications, evidence submitted through the Files API and <c>POST /v1/disputes/{id}</c>,
/// acceptance by <c>/close</c>, and the disputes list for polling.
/// </summary>
public sealed class StripeDisputeTests : IDisposable
{
    public const string DisputeId = "du_1StripeDisputeTest";

    private readonly StripeScenarioFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private ProviderWireMock Mock => _fixture.Mock;

    private StripeProvider Stripe => (StripeProvider)_fixture.Provider;

    /// <summary>Stripe's dispute fixture as a chargeback of <paramref name="paymentIntent"/>.</summary>
    public static JsonObject Dispute(string status, string paymentIntent, long amount = 5000, string reason = "fraudulent", long dueBy = 1_900_000_000, string id = DisputeId)
    {
        var dispute = StripeFixtures.Resource("dispute");
        dispute["id"] = id;
        dispute["status"] = status;
        dispute["amount"] = amount;
        dispute["currency"] = "eur";
        dispute["reason"] = reason;
        dispute["charge"] = "ch_1StripeDisputeTest";
        dispute["payment_intent"] = paymentIntent;
        dispute["evidence_details"]!["due_by"] = dueBy;
        return dispute;
    }

    /// <summary>A balance transaction of a dispute (negative: withdrawn).</summary>
    public static JsonObject BalanceTransaction(string id, long amount, long created)
    {
        var txn = StripeFixtures.Resource("balance_transaction");
        txn["id"] = id;
        txn["amount"] = amount;
        txn["currency"] = "eur";
        txn["created"] = created;
        return txn;
    }

    /// <summary>A <c>charge.dispute.*</c> event, signed with <paramref name="secret"/> now.</summary>
    public static (byte[] Body, string Signature) SignedEvent(string type, JsonObject dispute, string eventId, string secret, long created = 1_800_000_000)
    {
        var evt = StripeFixtures.Event(type, dispute);
        evt["id"] = eventId;
        evt["created"] = created;
        var body = Encoding.UTF8.GetBytes(evt.ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return (body, $"t={timestamp},v1={StripeWebhookTransformers.ComputeSignature(timestamp, body, secret)}");
    }

    private ProviderWebhookRequest Webhook(string type, JsonObject dispute, string eventId, string? secret = null)
    {
        var (body, signature) = SignedEvent(type, dispute, eventId, secret ?? StripeScenarioFixture.WebhookSecret);
        return new ProviderWebhookRequest
        {
            Account = _fixture.Account!,
            Headers = new Dictionary<string, string> { ["Stripe-Signature"] = signature },
            Body = body,
        };
    }

    [Fact]
    public async Task DisputeCreatedEvent_IsReadIntoADisputeNotification()
    {
        var result = await Stripe.HandleWebhookAsync(Webhook("charge.dispute.created", Dispute("needs_response", "pi_disputed"), "evt_dispute_created"), CancellationToken.None);

        var dispute = Assert.Single(result.Disputes);
        Assert.Equal(DisputeId, dispute.ProviderDisputeId);
        Assert.Equal("pi_disputed", dispute.ProviderPaymentReference);
        Assert.Equal("charge.dispute.created", dispute.EventCode);
        Assert.Equal("needs_response", dispute.ProviderStatus);
        Assert.Equal(Money.Of(5000, "EUR"), dispute.Amount);
        Assert.Equal("fraudulent", dispute.ReasonCode);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), dispute.EvidenceDueBy);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), dispute.OccurredAt);
        Assert.Equal("evt_dispute_created", dispute.EventId);
        Assert.Empty(dispute.FundsMovements);
    }

    [Fact]
    public async Task FundsEvents_CarryTheNewestBalanceTransactionAsTheMovement()
    {
        var dispute = Dispute("needs_response", "pi_disputed");
        dispute["balance_transactions"] = new JsonArray(BalanceTransaction("txn_withdrawn", -5000, 1_800_000_100));
        var withdrawn = Assert.Single((await Stripe.HandleWebhookAsync(Webhook("charge.dispute.funds_withdrawn", dispute, "evt_w"), CancellationToken.None)).Disputes);

        var won = Dispute("won", "pi_disputed");
        won["balance_transactions"] = new JsonArray(BalanceTransaction("txn_withdrawn", -5000, 1_800_000_100), BalanceTransaction("txn_reinstated", 5000, 1_800_000_900));
        var reinstated = Assert.Single((await Stripe.HandleWebhookAsync(Webhook("charge.dispute.funds_reinstated", won, "evt_r"), CancellationToken.None)).Disputes);

        var w = Assert.Single(withdrawn.FundsMovements);
        Assert.Equal((DisputeFundsDirection.Withdrawn, "txn_withdrawn", 5000L), (w.Direction, w.Reference, w.Amount.MinorUnits));
        var r = Assert.Single(reinstated.FundsMovements);
        Assert.Equal((DisputeFundsDirection.Reinstated, "txn_reinstated", 5000L), (r.Direction, r.Reference, r.Amount.MinorUnits));
    }

    [Fact]
    public async Task DisputeEvent_WithABadSignature_IsRejected()
    {
        await Assert.ThrowsAsync<ProviderWebhookRejectedException>(() =>
            Stripe.HandleWebhookAsync(Webhook("charge.dispute.created", Dispute("needs_response", "pi_disputed"), "evt_forged", "whsec_someone_else"), CancellationToken.None));
    }

    [Fact]
    public async Task PaymentEvents_CarryNoDispute()
    {
        var pi = StripeFixtures.PaymentIntent("pi_x", "succeeded", 1000, "eur", capture: true);
        var (body, signature) = SignedEvent("payment_intent.succeeded", pi, "evt_pi", StripeScenarioFixture.WebhookSecret);
        var result = await Stripe.HandleWebhookAsync(new ProviderWebhookRequest
        {
            Account = _fixture.Account!,
            Headers = new Dictionary<string, string> { ["Stripe-Signature"] = signature },
            Body = body,
        }, CancellationToken.None);

        Assert.Empty(result.Disputes);
    }

    [Fact]
    public async Task SubmitEvidence_UploadsEachFile_ThenPostsTheEvidenceWithSubmit()
    {
        Mock.Server.Given(Request.Create().WithPath("/v1/files").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            new JsonObject { ["id"] = "file_1Receipt", ["object"] = "file", ["purpose"] = "dispute_evidence" }.ToJsonString()));
        Mock.Server.Given(Request.Create().WithPath($"/v1/disputes/{DisputeId}").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            Dispute("under_review", "pi_disputed").ToJsonString()));

        var result = await Stripe.SubmitEvidenceAsync(new SubmitDisputeEvidenceRequest
        {
            Account = _fixture.Account,
            DisputeId = "dp_gateway1",
            ProviderDisputeId = DisputeId,
            IdempotencyKey = "dp_gateway1:evidence:chargeback:1",
            Evidence = new Dictionary<string, string> { ["shipping_tracking_number"] = "1Z999AA10123456784", ["product_description"] = "A teapot" },
            Documents = [new DisputeEvidenceDocument { Field = "receipt", FileName = "receipt.pdf", ContentType = "application/pdf", Content = Encoding.ASCII.GetBytes("%PDF-1.4 receipt") }],
        }, CancellationToken.None);

        Assert.Equal(DisputeResponseOutcome.Accepted, result.Outcome);
        Assert.Equal("under_review", result.ProviderStatus);
        var upload = Assert.Single(Mock.Requests, r => r.Path == "/v1/files");
        Assert.StartsWith("multipart/form-data", ProviderWireMock.Header(upload, "Content-Type"), StringComparison.Ordinal);
        Assert.Contains("name=purpose", upload.Body, StringComparison.Ordinal);
        Assert.Contains("dispute_evidence", upload.Body, StringComparison.Ordinal);
        Assert.Contains("filename=receipt.pdf", upload.Body, StringComparison.Ordinal);
        Assert.Contains("%PDF-1.4 receipt", upload.Body, StringComparison.Ordinal);
        Assert.Equal("dp_gateway1:evidence:chargeback:1:file:0", ProviderWireMock.Header(upload, "Idempotency-Key"));

        var submit = Assert.Single(Mock.Requests, r => r.Path == $"/v1/disputes/{DisputeId}");
        Assert.Equal(new Dictionary<string, string>
        {
            ["evidence[product_description]"] = "A teapot",
            ["evidence[shipping_tracking_number]"] = "1Z999AA10123456784",
            ["evidence[receipt]"] = "file_1Receipt",
            ["submit"] = "true",
            ["metadata[gateway_dispute_id]"] = "dp_gateway1",
        }, ProviderWireMock.Form(submit));
        Assert.Equal("dp_gateway1:evidence:chargeback:1", ProviderWireMock.Header(submit, "Idempotency-Key"));
        Assert.True(Mock.Requests.ToList().IndexOf(upload) < Mock.Requests.ToList().IndexOf(submit));
    }

    [Fact]
    public async Task SubmitEvidence_RefusedByStripe_IsRejectedWithItsMessage()
    {
        Mock.Server.Given(Request.Create().WithPath($"/v1/disputes/{DisputeId}").UsingPost()).RespondWith(ProviderWireMock.Json(400,
            StripeFixtures.Error("invalid_request_error", null, "This dispute is already closed").ToJsonString()));

        var result = await Stripe.SubmitEvidenceAsync(new SubmitDisputeEvidenceRequest
        {
            Account = _fixture.Account,
            DisputeId = "dp_gateway1",
            ProviderDisputeId = DisputeId,
            IdempotencyKey = "dp_gateway1:evidence:chargeback:1",
            Evidence = new Dictionary<string, string> { ["uncategorized_text"] = "text" },
            Documents = [],
        }, CancellationToken.None);

        Assert.Equal(DisputeResponseOutcome.Rejected, result.Outcome);
        Assert.Equal("This dispute is already closed", result.Message);
    }

    [Fact]
    public async Task SubmitEvidence_ServerError_IsUnknown_SoTheSameKeyIsRetried()
    {
        Mock.Server.Given(Request.Create().WithPath($"/v1/disputes/{DisputeId}").UsingPost()).RespondWith(ProviderWireMock.Json(500,
            StripeFixtures.Error("api_error", null, "An error occurred.").ToJsonString()));

        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() => Stripe.SubmitEvidenceAsync(new SubmitDisputeEvidenceRequest
        {
            Account = _fixture.Account,
            DisputeId = "dp_gateway1",
            ProviderDisputeId = DisputeId,
            IdempotencyKey = "dp_gateway1:evidence:chargeback:1",
            Evidence = new Dictionary<string, string> { ["uncategorized_text"] = "text" },
            Documents = [],
        }, CancellationToken.None));
    }

    [Fact]
    public async Task Accept_ClosesTheDispute()
    {
        Mock.Server.Given(Request.Create().WithPath($"/v1/disputes/{DisputeId}/close").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            Dispute("lost", "pi_disputed").ToJsonString()));

        var result = await Stripe.AcceptDisputeAsync(new AcceptDisputeRequest
        {
            Account = _fixture.Account,
            DisputeId = "dp_gateway1",
            ProviderDisputeId = DisputeId,
            IdempotencyKey = "dp_gateway1:accept:chargeback:1",
        }, CancellationToken.None);

        Assert.Equal(DisputeResponseOutcome.Accepted, result.Outcome);
        var close = Assert.Single(Mock.Requests);
        Assert.Equal("dp_gateway1:accept:chargeback:1", ProviderWireMock.Header(close, "Idempotency-Key"));
    }

    [Fact]
    public async Task ListDisputes_ReadsTheListSinceTheCursor_OldestFirst_WithTheNewestCreatedAsTheNextCursor()
    {
        var older = Dispute("needs_response", "pi_a");
        older["id"] = "du_older";
        older["created"] = 1_800_000_000;
        var newer = Dispute("under_review", "pi_b");
        newer["id"] = "du_newer";
        newer["created"] = 1_800_000_500;
        newer["balance_transactions"] = new JsonArray(BalanceTransaction("txn_w", -5000, 1_800_000_600));
        Mock.Server.Given(Request.Create().WithPath("/v1/disputes").UsingGet()).RespondWith(ProviderWireMock.Json(200,
            new JsonObject { ["object"] = "list", ["data"] = new JsonArray(newer, older), ["has_more"] = false, ["url"] = "/v1/disputes" }.ToJsonString()));

        var page = await Stripe.ListDisputesAsync(new ListProviderDisputesRequest { Account = _fixture.Account, Cursor = "1799999999", Since = DateTimeOffset.UnixEpoch },
            CancellationToken.None);

        Assert.Equal(["du_older", "du_newer"], page.Disputes.Select(d => d.ProviderDisputeId));
        Assert.All(page.Disputes, d => Assert.Equal(DisputeNotification.SnapshotEventCode, d.EventCode));
        Assert.Equal("txn_w", Assert.Single(page.Disputes[1].FundsMovements).Reference);
        Assert.Equal("1800000500", page.NextCursor);
        Assert.Equal("1799999999", Assert.Single(Mock.Requests).Query?["created[gte]"].Single());
    }

    [Fact]
    public async Task GetDispute_UnknownToStripe_IsNull()
    {
        Mock.Server.Given(Request.Create().WithPath("/v1/disputes/du_missing").UsingGet()).RespondWith(ProviderWireMock.Json(404,
            StripeFixtures.Error("invalid_request_error", "resource_missing", "No such dispute").ToJsonString()));

        Assert.Null(await Stripe.GetDisputeAsync(new GetProviderDisputeRequest { Account = _fixture.Account, ProviderDisputeId = "du_missing" }, CancellationToken.None));
    }
}
