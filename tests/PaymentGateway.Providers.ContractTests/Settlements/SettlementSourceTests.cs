using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.Mollie;
using PaymentGateway.Providers.Stripe;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Settlements;

/// <summary>
/// Each adapter's settlement parser against samples built from the provider's documentation (TestData/settlements):
/// Adyen's Settlement details report columns and its documented sample rows, Stripe's balance transaction list (also
/// fetched through the API from WireMock), Checkout.com's financial actions and Mollie's settlement payments.
/// </summary>
public sealed class SettlementSourceTests
{
    private static readonly SettlementParseOptions NoOptions = new();

    private static FileStream Sample(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "TestData", "settlements", name));

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Adyen_settlement_details_lines_carry_gross_fees_by_type_net_and_the_batch_as_payout()
    {
        await using var file = Sample("adyen-settlement-detail-report-batch-4.csv");
        var lines = (await new AdyenSettlementReport().ParseAsync(file, new SettlementParseOptions { PayoutDate = new DateOnly(2026, 3, 5) }, CancellationToken.None)).Lines;

        Assert.Equal([SettlementLineType.Payment, SettlementLineType.Refund, SettlementLineType.Chargeback, SettlementLineType.Fee, SettlementLineType.Payout],
            lines.Select(l => l.Type));
        var settled = lines[0];
        Assert.Equal(("1813702551707653", "pay_sample_settled", "EUR"), (settled.ProviderReference, settled.MerchantReference, settled.Currency));
        Assert.Equal((500L, 12L, 488L), (settled.Gross, settled.Fee, settled.Net));
        Assert.Equal(new Dictionary<string, long> { ["markup"] = 4, ["scheme_fees"] = 1, ["interchange"] = 7 }, settled.Fees);
        Assert.Equal(("4", new DateOnly(2026, 3, 5)), (settled.PayoutId, settled.PayoutDate));
        var refund = lines[1];
        Assert.Equal(("re_sample_refund", -200L, 5L, -205L), (refund.MerchantReference, refund.Gross, refund.Fee, refund.Net));
        Assert.Equal((-34999L, 750L, -35749L), (lines[2].Gross, lines[2].Fee, lines[2].Net));
        Assert.Equal(-35567L, lines[4].Net);
        Assert.Equal(lines.Count, lines.Select(l => l.LineKey).Distinct().Count());
    }

    [Theory]
    [InlineData("Company Account,Merchant Account\r\nA,B\r\n", "lacks the column")]
    [InlineData("", "empty")]
    public async Task Adyen_files_without_the_documented_columns_are_refused(string text, string message)
    {
        var e = await Assert.ThrowsAsync<SettlementFormatException>(() => new AdyenSettlementReport().ParseAsync(Text(text), NoOptions, CancellationToken.None));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_adyen_amount_with_more_decimals_than_its_currency_is_refused_with_the_row()
    {
        var csv = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "settlements", "adyen-settlement-detail-report-batch-4.csv"));
        var bad = csv.Replace(",5.00,1,EUR,,4.88,", ",5.001,1,EUR,,4.88,", StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<SettlementFormatException>(() => new AdyenSettlementReport().ParseAsync(Text(bad), NoOptions, CancellationToken.None));
        Assert.Contains("Row 2", e.Message, StringComparison.Ordinal);
        var jpy = csv.Replace(",EUR,,5.00,", ",XXX,,5.00,", StringComparison.Ordinal);
        Assert.Contains("ISO 4217", (await Assert.ThrowsAsync<SettlementFormatException>(() => new AdyenSettlementReport().ParseAsync(Text(jpy), NoOptions, CancellationToken.None))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stripe_balance_transactions_map_their_minor_units_fee_details_and_gateway_metadata()
    {
        await using var file = Sample("stripe-balance-transactions.json");
        var lines = (await new StripeSettlementSource(null!).ParseAsync(file, new SettlementParseOptions { PayoutId = "po_1SamplePayout" }, CancellationToken.None)).Lines;

        Assert.Equal([SettlementLineType.Payment, SettlementLineType.Refund, SettlementLineType.Payout], lines.Select(l => l.Type));
        Assert.Equal(("txn_1SampleCharge", "pi_1SampleIntent", "pay_sample_stripe"), (lines[0].LineKey, lines[0].ProviderReference, lines[0].MerchantReference));
        Assert.Equal((2000L, 55L, 1945L, 55L), (lines[0].Gross, lines[0].Fee, lines[0].Net, lines[0].Fees["stripe_fee"]));
        Assert.Equal(("re_sample_stripe", -500L), (lines[1].MerchantReference, lines[1].Net));
        Assert.All(lines, l => Assert.Equal(("EUR", "po_1SamplePayout"), (l.Currency, l.PayoutId)));
    }

    [Fact]
    public async Task Stripe_settlements_are_fetched_through_its_api_a_payout_and_every_page_of_its_balance_transactions()
    {
        using var mock = new ProviderWireMock();
        await using var services = new ServiceCollection().AddLogging().AddStripeProvider().AddStripeSettlementSource().BuildServiceProvider();
        var source = Assert.IsType<StripeSettlementSource>(services.GetServices<ISettlementSource>().Single(s => s.ProviderId == "stripe"));
        var sample = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "settlements", "stripe-balance-transactions.json"));
        var firstPage = sample.Replace("\"has_more\": false", "\"has_more\": true", StringComparison.Ordinal);
        mock.Server.Given(Request.Create().WithPath("/v1/payouts/po_1SamplePayout").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, """{"id":"po_1SamplePayout","object":"payout","amount":1445,"currency":"eur","arrival_date":1772668800,"status":"paid"}"""));
        mock.Server.Given(Request.Create().WithPath("/v1/balance_transactions").WithParam("payout", "po_1SamplePayout").WithParam("starting_after", "txn_1SamplePayout").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, """{"object":"list","has_more":false,"data":[{"id":"txn_2Late","object":"balance_transaction","amount":300,"currency":"eur","fee":9,"fee_details":[{"amount":9,"type":"stripe_fee"}],"net":291,"source":{"id":"ch_2","object":"charge","payment_intent":"pi_2","metadata":{"gateway_payment_id":"pay_second"}},"type":"charge","created":1772409700}]}"""));
        mock.Server.Given(Request.Create().WithPath("/v1/balance_transactions").WithParam("payout", "po_1SamplePayout").UsingGet()).AtPriority(10)
            .RespondWith(ProviderWireMock.Json(200, firstPage));
        var account = new ProviderAccount
        {
            Id = "pa_stripe",
            ProviderId = "stripe",
            Livemode = false,
            Credentials = new Dictionary<string, Secret> { ["api_key"] = new("sk_test_settlementsample") },
            Settings = new Dictionary<string, string> { ["base_url"] = mock.BaseUrl },
        };

        var lines = (await source.FetchAsync(account, "po_1SamplePayout", null, CancellationToken.None)).Lines;

        Assert.Equal(["txn_1SampleCharge", "txn_1SampleRefund", "txn_1SamplePayout", "txn_2Late"], lines.Select(l => l.LineKey));
        Assert.All(lines, l => Assert.Equal(new DateOnly(2026, 3, 5), l.PayoutDate));
        var sent = mock.Server.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.All(sent, r => Assert.Equal("Bearer sk_test_settlementsample", r!.Headers!["Authorization"].Single()));
        Assert.Contains(sent, r => r!.Path == "/v1/balance_transactions" && r.Query!["expand[]"].Single() == "data.source");
    }

    [Fact]
    public async Task Checkout_com_financial_actions_split_gross_and_fee_breakdowns_in_the_holding_currency()
    {
        await using var file = Sample("checkoutcom-financial-actions.json");
        var lines = (await new CheckoutComFinancialActions().ParseAsync(file, new SettlementParseOptions { PayoutId = "00000000CFJU" }, CancellationToken.None)).Lines;

        var capture = lines[0];
        Assert.Equal((SettlementLineType.Payment, "pay_sample_checkout", "GBP"), (capture.Type, capture.MerchantReference, capture.Currency));
        Assert.Equal((6540L, 28L, 6512L), (capture.Gross, capture.Fee, capture.Net));
        Assert.Equal(new Dictionary<string, long> { ["interchange_fee"] = 13, ["scheme_variable_fee"] = 5, ["gateway_fee"] = 10 }, capture.Fees);
        Assert.Equal(("00000000CFJU", "act_ckosample0000000000000capture"), (capture.PayoutId, capture.LineKey));
        Assert.Equal((SettlementLineType.Refund, "re_sample_checkout", -1000L), (lines[1].Type, lines[1].MerchantReference, lines[1].Net));
    }

    [Fact]
    public async Task Mollie_settlement_payments_and_refunds_take_their_settlement_amounts()
    {
        await using var file = Sample("mollie-settlement-payments.json");
        var lines = (await new MollieSettlements().ParseAsync(file, NoOptions, CancellationToken.None)).Lines;

        Assert.Equal((SettlementLineType.Payment, "pay_sample_mollie", 2500L, 29L, 2471L), (lines[0].Type, lines[0].MerchantReference, lines[0].Gross, lines[0].Fee, lines[0].Net));
        Assert.Equal((SettlementLineType.Refund, "re_sample_mollie", -500L, -500L), (lines[1].Type, lines[1].MerchantReference, lines[1].Gross, lines[1].Net));
        Assert.All(lines, l => Assert.Equal("stl_SampleMollieSettlement", l.PayoutId));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"data\": 5}")]
    [InlineData("{\"data\": [{\"action_id\": \"a\", \"action_type\": \"Capture\", \"breakdown\": [{\"holding_currency\": \"GBP\", \"holding_currency_amount\": \"x\"}]}]}")]
    public async Task Json_settlement_documents_that_are_not_the_documented_shape_are_refused(string text)
    {
        await Assert.ThrowsAsync<SettlementFormatException>(() => new CheckoutComFinancialActions().ParseAsync(Text(text), NoOptions, CancellationToken.None));
        await Assert.ThrowsAsync<SettlementFormatException>(() => new MollieSettlements().ParseAsync(Text(text), NoOptions, CancellationToken.None));
        await Assert.ThrowsAsync<SettlementFormatException>(() => new StripeSettlementSource(null!).ParseAsync(Text(text), NoOptions, CancellationToken.None));
    }

    [Fact]
    public void Every_adapter_registers_its_parser_once_from_its_own_extension()
    {
        using var services = new ServiceCollection().AddLogging().AddStripeProvider()
            .AddAdyenSettlementReport().AddAdyenSettlementReport().AddCheckoutComFinancialActions().AddMollieSettlements().AddStripeSettlementSource()
            .BuildServiceProvider();
        Assert.Equal(["adyen", "checkoutcom", "mollie", "stripe"], services.GetServices<ISettlementSource>().Select(s => s.ProviderId).Order());
    }
}
