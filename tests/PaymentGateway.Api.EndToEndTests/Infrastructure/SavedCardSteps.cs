namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>Flows of the saved-card tests: customers, saving a card on a payment, off-session charges, 3-D Secure.</summary>
public static class SavedCardSteps
{
    public static async Task<string> CustomerAsync(GatewayServer server, TestMerchant merchant, string? email = null)
    {
        var response = (await server.Client(merchant.SecretKey).PostAsync("/v1/customers", new { email = email ?? $"c{Guid.NewGuid():N}@shop.example", name = "Ada Customer" }))
            .EnsureStatus(200);
        return response.Str("id")!;
    }

    /// <summary>A customer-initiated payment that saves <paramref name="number"/> for the customer, passing 3-D Secure when asked. Returns (payment, pm).</summary>
    public static async Task<(ApiResponse Payment, string PaymentMethod)> SaveCardAsync(GatewayServer server, TestMerchant merchant, string customer, string number,
        string usage = "off_session", long amount = 1000, string? idempotencyKey = null)
    {
        var pm = await Steps.TokenizeAsync(server, merchant, number);
        var api = server.Client(merchant.SecretKey);
        var payment = (await api.PostAsync("/v1/payments", new
        {
            amount,
            currency = "EUR",
            customer,
            payment_method = pm,
            setup_future_usage = usage,
            confirm = true,
            return_url = "https://shop.example/return",
        }, idempotencyKey)).EnsureStatus(200);
        return (await PassChallengeIfAskedAsync(server, merchant, payment), pm);
    }

    /// <summary>When the payment waits for 3-D Secure, passes the simulator's challenge and returns the payment after it.</summary>
    public static async Task<ApiResponse> PassChallengeIfAskedAsync(GatewayServer server, TestMerchant merchant, ApiResponse payment, string outcome = "pass")
    {
        if (payment.Str("status") != "requires_action")
        {
            return payment;
        }

        var url = payment.Json.GetProperty("next_action").GetProperty("redirect_to_url").GetProperty("url").GetString()!;
        using var browser = Steps.NoRedirectClient(server);
        using (await browser.PostAsync(url, new FormUrlEncodedContent([new KeyValuePair<string, string>("outcome", outcome)])))
        {
        }

        return (await server.Client(merchant.SecretKey).GetAsync($"/v1/payments/{payment.Str("id")}")).EnsureStatus(200);
    }

    /// <summary>A merchant-initiated payment on a saved card; the response whatever its status.</summary>
    public static Task<ApiResponse> ChargeOffSessionAsync(GatewayServer server, TestMerchant merchant, string customer, string? paymentMethod, long amount = 990,
        string mitType = "recurring", string? idempotencyKey = null) =>
        server.Client(merchant.SecretKey).PostAsync("/v1/payments", new Dictionary<string, object?>
        {
            ["amount"] = amount,
            ["currency"] = "EUR",
            ["customer"] = customer,
            ["payment_method"] = paymentMethod,
            ["off_session"] = true,
            ["mit_type"] = mitType,
            ["confirm"] = true,
        }.Where(p => p.Value is not null).ToDictionary(), idempotencyKey);

    /// <summary>Every event type recorded for <paramref name="objectId"/>, in no particular order within a commit.</summary>
    public static async Task<List<string>> EventTypesAsync(GatewayServer server, TestMerchant merchant, string objectId) =>
        await Steps.EventTypesAsync(server, merchant, objectId);
}
