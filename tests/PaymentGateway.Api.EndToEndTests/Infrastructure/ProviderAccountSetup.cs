using PaymentGateway.Providers.ContractTests.Adyen;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// A live-mode provider account whose API is a WireMock at <c>baseUrl</c>, with a routing rule sending every live
/// payment of the merchant to it (the 3-D Secure scenarios of the API and browser suites).
/// </summary>
public static class ProviderAccountSetup
{
    /// <summary>The Stripe account's webhook signing secret.</summary>
    public const string StripeWebhookSecret = "whsec_provider_account_setup_secret";

    /// <summary>The Checkout.com account's secret key.</summary>
    public const string CheckoutComSecretKey = "sk_threedsecurelivesecretkey1";

    /// <summary>The Checkout.com account's webhook secret.</summary>
    public const string CheckoutComWebhookSecret = "cko_provider_account_setup_webhook_secret";

    /// <summary>Creates the account (<c>stripe</c>, <c>adyen</c>, <c>mollie</c> or <c>checkoutcom</c>) and the rule; returns the account id.</summary>
    public static async Task<string> AddRoutedAccountAsync(GatewayServer server, string merchantId, string provider, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(server);
        object body = provider switch
        {
            "stripe" => new
            {
                provider,
                livemode = true,
                credentials = new { api_key = "sk_live_51ThreeDSecureAccountSecret", webhook_secret = StripeWebhookSecret },
                settings = new Dictionary<string, string> { ["base_url"] = baseUrl, ["raw_card_data_enabled"] = "true" },
            },
            "adyen" => new
            {
                provider,
                livemode = true,
                credentials = new { api_key = AdyenScenarioFixture.ApiKey, hmac_key = AdyenScenarioFixture.HmacKey },
                settings = new Dictionary<string, string>
                {
                    ["base_url"] = baseUrl + "/v71",
                    ["merchant_account"] = AdyenScenarioFixture.MerchantAccountName,
                    ["disputes_base_url"] = baseUrl + "/ca/services/DisputeService/v30",
                },
            },
            "mollie" => new
            {
                provider,
                livemode = true,
                credentials = new { api_key = "live_ThreeDSecureAccountSecretKey0001" },
                settings = new Dictionary<string, string> { ["base_url"] = baseUrl },
            },
            _ => new
            {
                provider,
                livemode = true,
                credentials = new { secret_key = CheckoutComSecretKey, webhook_secret = CheckoutComWebhookSecret },
                settings = new Dictionary<string, string> { ["base_url"] = baseUrl, ["processing_channel_id"] = "pc_" + "threedsecure".PadRight(26, '0') },
            },
        };
        var admin = server.Client(server.AdminKey);
        var account = (await admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts", body)).EnsureStatus(200).Str("id")
            ?? throw new InvalidOperationException("the provider account has no id");
        (await admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules", new
        {
            livemode = true,
            priority = 1,
            targets = new[] { new { provider_account = account, weight = 1 } },
        })).EnsureStatus(200);
        return account;
    }
}
