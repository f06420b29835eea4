namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// Settlement steps the report tests share: an Adyen provider account (test mode; its API at a refused loopback port,
/// so no background job waits on Adyen's real address) and a Settlement details report CSV in Adyen's documented
/// columns for payout (batch) 7: a sale of a payment, a partial refund of it, a monthly fee and the payout itself.
/// </summary>
public static class SettlementSteps
{
    public const string AdyenHeader = "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),Gross Credit (GC),Exchange Rate,Net Currency,Net Debit (NC),Net Credit (NC),Commission (NC),Markup (NC),Scheme Fees (NC),Interchange (NC),Payment Method Variant,Modification Merchant Reference,Batch Number";

    /// <summary>A test-mode Adyen account of the merchant, made with the admin key; its id.</summary>
    public static async Task<string> AdyenAccountAsync(GatewayServer server, TestMerchant merchant) =>
        (await server.Client(server.AdminKey).PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new
        {
            provider = "adyen",
            livemode = false,
            credentials = new Dictionary<string, string> { ["api_key"] = "AQEsettlementtestkey", ["hmac_key"] = "00112233445566778899AABBCCDDEEFF" },
            settings = new Dictionary<string, string> { ["merchant_account"] = "TestMerchant", ["base_url"] = "http://127.0.0.1:9" },
        })).EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no provider account id");

    /// <summary>
    /// Payout 7: the 5.00 EUR sale of <paramref name="settled"/> (fees 0.12: markup 0.04, scheme 0.01, interchange 0.07),
    /// the 2.00 EUR refund <paramref name="refundId"/> (0.05 markup), a 0.99 fee and the 1.84 payout.
    /// </summary>
    public static string AdyenFile(string settled, string refundId) => string.Join("\r\n",
        AdyenHeader,
        $"TestCompany,TestMerchant,8816000000000001,{settled},visa,2026-03-02 11:26:49,CET,Settled,8816000000000002,EUR,,5.00,1,EUR,,4.88,,0.04,0.01,0.07,visaclassic,,7",
        $"TestCompany,TestMerchant,8816000000000001,{settled},visa,2026-03-03 09:10:00,CET,Refunded,8816000000000003,EUR,2.00,,1,EUR,2.05,,,0.05,,,visaclassic,{refundId},7",
        "TestCompany,TestMerchant,,,,2026-03-04 04:55:40,CET,Fee,Transaction Fees February 2026,EUR,,,,EUR,0.99,,,,,,,,7",
        "TestCompany,TestMerchant,,,,2026-03-04 05:00:00,CET,MerchantPayout,TX7,EUR,,,,EUR,1.84,,,,,,,,7") + "\r\n";
}
