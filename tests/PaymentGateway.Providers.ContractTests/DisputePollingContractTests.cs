using System.Text.Json.Nodes;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.ContractTests.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Mollie;
using PaymentGateway.Providers.Mollie;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests;

/// <summary>
/// Polling for lost dispute notifications (<see cref="IDisputeSyncFlow"/>) against Checkout.com's Disputes API and
/// Mollie's Chargebacks API (WireMock): the lists are paged as documented, read into the same notifications (and money
/// movements, with the same references) as the providers' webhooks, and a failed read throws so the cursor stays.
/// </summary>
public sealed class DisputePollingContractTests
{
    private static readonly DateTimeOffset Since = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonObject CkoDispute(string id, string status, string lastUpdate) => new()
    {
        ["id"] = id,
        ["category"] = "fraudulent",
        ["status"] = status,
        ["amount"] = 1500,
        ["currency"] = "EUR",
        ["reason_code"] = "10.4",
        ["payment_id"] = "pay_" + id,
        ["payment_reference"] = "pay_gateway_" + id,
        ["payment_method"] = "VISA",
        ["evidence_required_by"] = "2026-03-20T00:00:00Z",
        ["received_on"] = "2026-03-02T00:00:00Z",
        ["last_update"] = lastUpdate,
    };

    [Fact]
    public async Task CheckoutCom_ListsDisputesChangedSinceTheCursor_PagesWithSkip_AndReadsThemAsSnapshotsWithTheWebhooksMovements()
    {
        using var fixture = new CheckoutComScenarioFixture();
        var cko = (CheckoutComProvider)fixture.Provider;
        fixture.Mock.Server.Given(Request.Create().WithPath("/disputes").WithParam("skip", "0").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
        {
            ["limit"] = 2,
            ["skip"] = 0,
            ["total_count"] = 3,
            ["data"] = new JsonArray(CkoDispute("dsp_c", "won", "2026-03-05T10:00:00Z"), CkoDispute("dsp_b", "evidence_under_review", "2026-03-04T10:00:00Z")),
        }.ToJsonString()));
        fixture.Mock.Server.Given(Request.Create().WithPath("/disputes").WithParam("skip", "2").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
        {
            ["limit"] = 2,
            ["skip"] = 2,
            ["total_count"] = 3,
            ["data"] = new JsonArray(CkoDispute("dsp_a", "evidence_required", "2026-03-03T10:00:00Z")),
        }.ToJsonString()));

        var page = await cko.ListDisputesAsync(new ListProviderDisputesRequest { Account = fixture.Account, Since = Since, Limit = 2 }, CancellationToken.None);

        Assert.Equal(["dsp_a", "dsp_b", "dsp_c"], page.Disputes.Select(d => d.ProviderDisputeId));
        Assert.All(page.Disputes, d => Assert.Equal(DisputeNotification.SnapshotEventCode, d.EventCode));
        Assert.Equal(["evidence_required", "evidence_under_review", "won"], page.Disputes.Select(d => d.ProviderStatus));
        Assert.Equal(("pay_dsp_a", "pay_gateway_dsp_a", Money.Of(1500, "EUR")), (page.Disputes[0].ProviderPaymentReference, page.Disputes[0].PaymentReference, page.Disputes[0].Amount));
        Assert.Equal(["dsp_c:withdrawn", "dsp_c:reinstated"], page.Disputes[2].FundsMovements.Select(m => m.Reference));
        Assert.Equal(DateTimeOffset.Parse("2026-03-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(page.NextCursor!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, fixture.Mock.Requests.Count);
        Assert.Contains("from=2026-03-01T00%3A00%3A00Z", fixture.Mock.Requests[0].Url, StringComparison.Ordinal);

        // The webhook of the same debit carries the same movement reference, so the two count once.
        var (body, _) = CheckoutComStoredCredentialAndDisputeTests.DisputeEvent("dispute_evidence_required", "evt_1", "pay_dsp_a", "pay_gateway_dsp_a", 1500, "unused", "dsp_a");
        var webhook = CheckoutComDisputes.ToNotification(System.Text.Json.JsonDocument.Parse(body).RootElement);
        Assert.Equal(page.Disputes[0].FundsMovements.Single().Reference, Assert.Single(webhook!.FundsMovements).Reference);
    }

    [Fact]
    public async Task CheckoutCom_ReadsOneDispute_UnknownIsNull_AndAnOutageThrows()
    {
        using var fixture = new CheckoutComScenarioFixture();
        var cko = (CheckoutComProvider)fixture.Provider;
        var details = CkoDispute("dsp_one", "lost", "2026-03-09T10:00:00Z");
        details.Remove("payment_id");
        details.Remove("payment_method");
        details["payment"] = new JsonObject { ["id"] = "pay_nested", ["method"] = "Mastercard" };
        fixture.Mock.Server.Given(Request.Create().WithPath("/disputes/dsp_one").UsingGet()).RespondWith(ProviderWireMock.Json(200, details.ToJsonString()));
        fixture.Mock.Server.Given(Request.Create().WithPath("/disputes/dsp_gone").UsingGet()).RespondWith(ProviderWireMock.Json(404, "{}"));
        fixture.Mock.Server.Given(Request.Create().WithPath("/disputes/dsp_down").UsingGet()).RespondWith(ProviderWireMock.Json(503, "{}"));
        fixture.Mock.Server.Given(Request.Create().WithPath("/disputes").UsingGet()).RespondWith(ProviderWireMock.Json(500, "{}"));

        var one = await cko.GetDisputeAsync(new GetProviderDisputeRequest { Account = fixture.Account, ProviderDisputeId = "dsp_one" }, CancellationToken.None);

        Assert.NotNull(one);
        Assert.Equal(("lost", "pay_nested", "mastercard"), (one.ProviderStatus, one.ProviderPaymentReference, one.ReasonScheme));
        Assert.Equal(["dsp_one:withdrawn"], one.FundsMovements.Select(m => m.Reference));
        Assert.Null(await cko.GetDisputeAsync(new GetProviderDisputeRequest { Account = fixture.Account, ProviderDisputeId = "dsp_gone" }, CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => cko.GetDisputeAsync(new GetProviderDisputeRequest { Account = fixture.Account, ProviderDisputeId = "dsp_down" }, CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => cko.ListDisputesAsync(new ListProviderDisputesRequest { Account = fixture.Account, Since = Since }, CancellationToken.None));
    }

    private static JsonObject Chargeback(string id, string created, string? reversed) => new()
    {
        ["resource"] = "chargeback",
        ["id"] = id,
        ["amount"] = new JsonObject { ["currency"] = "EUR", ["value"] = "25.00" },
        ["reason"] = new JsonObject { ["code"] = "AM05", ["description"] = "Duplicate" },
        ["createdAt"] = created,
        ["reversedAt"] = reversed,
        ["paymentId"] = "tr_" + id,
        ["_embedded"] = new JsonObject { ["payment"] = JsonNode.Parse(MollieChargebackTests.ChargedBackPayment("pay_gw_" + id, "tr_" + id)) },
    };

    [Fact]
    public async Task Mollie_ListsChargebacksNewestFirstUntilTheCursor_FollowingNext_AsTheWebhooksNotifications()
    {
        using var fixture = new MollieScenarioFixture();
        var mollie = (MollieProvider)fixture.Provider;
        fixture.Mock.Server.Given(Request.Create().WithPath("/v2/chargebacks").WithParam("from", "chb_2").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
        {
            ["count"] = 2,
            ["_embedded"] = new JsonObject { ["chargebacks"] = new JsonArray(Chargeback("chb_2", "2026-03-04T10:00:00+00:00", null), Chargeback("chb_old", "2026-02-01T10:00:00+00:00", null)) },
            ["_links"] = new JsonObject { ["next"] = new JsonObject { ["href"] = "https://api.mollie.com/v2/chargebacks?from=chb_older&limit=1&embed=payment" } },
        }.ToJsonString()));
        fixture.Mock.Server.Given(Request.Create().WithPath("/v2/chargebacks").WithParam("limit", "250").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
        {
            ["count"] = 1,
            ["_embedded"] = new JsonObject { ["chargebacks"] = new JsonArray(Chargeback("chb_3", "2026-03-06T10:00:00+00:00", "2026-03-07T10:00:00+00:00")) },
            ["_links"] = new JsonObject { ["next"] = new JsonObject { ["href"] = "https://api.mollie.com/v2/chargebacks?from=chb_2&limit=1&embed=payment" } },
        }.ToJsonString()));

        var page = await mollie.ListDisputesAsync(new ListProviderDisputesRequest { Account = fixture.Account, Since = Since, Limit = 250 }, CancellationToken.None);

        Assert.Equal([("chb_2", "chargeback"), ("chb_3", "chargeback"), ("chb_3", "chargeback_reversed")], page.Disputes.Select(d => (d.ProviderDisputeId, d.EventCode)));
        Assert.Equal(["chb_2:created", "chb_3:created", "chb_3:reversed"], page.Disputes.Select(d => d.EventId));
        Assert.Equal(("tr_chb_2", "pay_gw_chb_2", "visa", "AM05"), (page.Disputes[0].ProviderPaymentReference, page.Disputes[0].PaymentReference, page.Disputes[0].ReasonScheme, page.Disputes[0].ReasonCode));
        Assert.Equal(2, fixture.Mock.Requests.Count); // chb_old is older than the cursor: no third page
        Assert.Equal(DateTimeOffset.Parse("2026-03-06T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(page.NextCursor!, System.Globalization.CultureInfo.InvariantCulture));

        // The payment webhook's read of the same chargeback says the same things with the same event ids.
        var fromWebhook = MollieChargebacks.ToNotifications(System.Text.Json.JsonDocument.Parse(new JsonObject
        {
            ["_embedded"] = new JsonObject { ["chargebacks"] = new JsonArray(Chargeback("chb_3", "2026-03-06T10:00:00+00:00", "2026-03-07T10:00:00+00:00")) },
        }.ToJsonString()).RootElement, System.Text.Json.JsonDocument.Parse(MollieChargebackTests.ChargedBackPayment("pay_gw_chb_3", "tr_chb_3")).RootElement);
        static object Said(DisputeNotification n) => (n.ProviderDisputeId, n.EventCode, n.EventId, n.OccurredAt, n.Amount, n.PaymentReference, n.ProviderPaymentReference, n.ReasonCode, n.ReasonScheme);
        Assert.Equal(page.Disputes.Skip(1).Select(Said), fromWebhook.Select(Said));
    }

    [Fact]
    public async Task Mollie_ReadsOneChargebackUnderItsPayment_NewestSaying_AndWithoutThePaymentAsksNothing()
    {
        using var fixture = new MollieScenarioFixture();
        var mollie = (MollieProvider)fixture.Provider;
        fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_chb_9/chargebacks/chb_9").UsingGet()).RespondWith(ProviderWireMock.Json(200,
            Chargeback("chb_9", "2026-03-04T10:00:00+00:00", "2026-03-08T10:00:00+00:00").ToJsonString()));
        fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_x/chargebacks/chb_gone").UsingGet()).RespondWith(ProviderWireMock.Json(404, "{}"));

        var read = await mollie.GetDisputeAsync(new GetProviderDisputeRequest { Account = fixture.Account, ProviderDisputeId = "chb_9", ProviderPaymentReference = "tr_chb_9" }, CancellationToken.None);

        Assert.Equal(("chargeback_reversed", "chb_9:reversed"), (read?.EventCode, read?.EventId));
        Assert.Null(await mollie.GetDisputeAsync(new GetProviderDisputeRequest { Account = fixture.Account, ProviderDisputeId = "chb_gone", ProviderPaymentReference = "tr_x" }, CancellationToken.None));
        var requests = fixture.Mock.Requests.Count;
        Assert.Null(await mollie.GetDisputeAsync(new GetProviderDisputeRequest { Account = fixture.Account, ProviderDisputeId = "chb_9" }, CancellationToken.None));
        Assert.Equal(requests, fixture.Mock.Requests.Count);
    }
}
