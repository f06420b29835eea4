using System.Text.Json.Nodes;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Mollie;

/// <summary>
/// Mollie chargebacks (WireMock playing Mollie's documented API): a payment webhook whose payment links chargebacks reads
/// <c>GET /v2/payments/{id}/chargebacks</c> and reports each as a dispute notification (and its reversal); a payment
/// without chargebacks costs no extra call; Mollie has no dispute answers through its API.
/// </summary>
public sealed class MollieChargebackTests : IDisposable
{
    private readonly MollieScenarioFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private ProviderWireMock Mock => _fixture.Mock;

    /// <summary>A paid card payment that links its chargebacks.</summary>
    public static string ChargedBackPayment(string gatewayPaymentId, string id = MollieScenarioFixture.PaymentReference)
    {
        var payment = JsonNode.Parse(MollieScenarioFixture.Payment("paid", Money.Of(2500, "EUR"), manualCapture: false, id: id, gatewayPaymentId: gatewayPaymentId))!.AsObject();
        payment["method"] = "creditcard";
        payment["details"] = new JsonObject { ["cardLabel"] = "Visa", ["cardNumber"] = "4242" };
        payment["_links"]!["chargebacks"] = new JsonObject { ["href"] = $"https://api.mollie.com/v2/payments/{id}/chargebacks", ["type"] = "application/hal+json" };
        return payment.ToJsonString();
    }

    /// <summary>Mollie's chargeback list with one chargeback, reversed when <paramref name="reversedAt"/> is set.</summary>
    public static string Chargebacks(string paymentId, string? reversedAt, string id = "chb_n9z0tp")
    {
        var chargeback = new JsonObject
        {
            ["resource"] = "chargeback",
            ["id"] = id,
            ["amount"] = new JsonObject { ["currency"] = "EUR", ["value"] = "25.00" },
            ["settlementAmount"] = new JsonObject { ["currency"] = "EUR", ["value"] = "-25.00" },
            ["reason"] = new JsonObject { ["code"] = "10.4", ["description"] = "Other Fraud - Card Absent Environment" },
            ["createdAt"] = "2026-01-05T13:14:15+00:00",
            ["reversedAt"] = reversedAt,
            ["paymentId"] = paymentId,
        };
        return new JsonObject { ["count"] = 1, ["_embedded"] = new JsonObject { ["chargebacks"] = new JsonArray(chargeback) } }.ToJsonString();
    }

    [Fact]
    public async Task PaymentWebhook_WithChargebacks_ReadsThemIntoDisputeNotifications()
    {
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{MollieScenarioFixture.PaymentReference}").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, ChargedBackPayment("pay_gateway1")));
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{MollieScenarioFixture.PaymentReference}/chargebacks").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, Chargebacks(MollieScenarioFixture.PaymentReference, "2026-01-20T09:00:00+00:00")));

        var result = await ((IWebhookFlow)_fixture.Provider).HandleWebhookAsync(_fixture.Webhook("id=" + MollieScenarioFixture.PaymentReference), CancellationToken.None);

        Assert.Equal(2, result.Disputes.Count);
        var opened = result.Disputes[0];
        Assert.Equal(("chb_n9z0tp", "chargeback", "chb_n9z0tp:created"), (opened.ProviderDisputeId, opened.EventCode, opened.EventId));
        Assert.Equal(("pay_gateway1", MollieScenarioFixture.PaymentReference), (opened.PaymentReference, opened.ProviderPaymentReference));
        Assert.Equal(Money.Of(2500, "EUR"), opened.Amount);
        Assert.Equal(("10.4", "visa"), (opened.ReasonCode, opened.ReasonScheme));
        var reversed = result.Disputes[1];
        Assert.Equal(("chargeback_reversed", "chb_n9z0tp:reversed"), (reversed.EventCode, reversed.EventId));
        Assert.Equal(DateTimeOffset.Parse("2026-01-20T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), reversed.OccurredAt);
    }

    [Fact]
    public async Task PaymentWebhook_WithoutChargebacks_AsksNothingMore()
    {
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{MollieScenarioFixture.PaymentReference}").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, MollieScenarioFixture.Payment("paid", Money.Of(2500, "EUR"), manualCapture: false)));

        var result = await ((IWebhookFlow)_fixture.Provider).HandleWebhookAsync(_fixture.Webhook("id=" + MollieScenarioFixture.PaymentReference), CancellationToken.None);

        Assert.Empty(result.Disputes);
        Assert.Single(Mock.Requests);
    }

    [Fact]
    public async Task ChargebackReadFailing_Throws_SoMollieRetriesTheWebhook()
    {
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{MollieScenarioFixture.PaymentReference}").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, ChargedBackPayment("pay_gateway1")));
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{MollieScenarioFixture.PaymentReference}/chargebacks").UsingGet())
            .RespondWith(ProviderWireMock.Json(503, "{\"status\":503,\"title\":\"Service Unavailable\"}"));

        await Assert.ThrowsAnyAsync<Exception>(() =>
            ((IWebhookFlow)_fixture.Provider).HandleWebhookAsync(_fixture.Webhook("id=" + MollieScenarioFixture.PaymentReference), CancellationToken.None));
    }

    [Fact]
    public void Mollie_TakesNoDisputeAnswersThroughItsApi()
    {
        Assert.IsNotAssignableFrom<IDisputeFlow>(_fixture.Provider);
        Assert.False(_fixture.Provider.Capabilities.AcceptsNetworkTransactionIds);
    }
}
