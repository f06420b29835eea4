namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>A disputed payment for the console's tests (API suite and browser suite).</summary>
public static class DisputeSteps
{
    /// <summary>The simulator's test card that succeeds and then brings a fraudulent chargeback (docs/disputes.md).</summary>
    public const string FraudDisputeCard = "4000000000005258";

    /// <summary>
    /// The settings that make the simulator's dispute arrive within about a second (a gateway whose fixture uses
    /// <see cref="DisputedPaymentAsync"/> starts with these).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> FastSimulatorDisputes { get; } = new Dictionary<string, string?>
    {
        ["PaymentGateway:Simulator:DisputeDelay"] = "00:00:01",
        ["PaymentGateway:Disputes:SyncInterval"] = "00:00:00.200",
    };

    /// <summary>
    /// A succeeded test-mode payment with the simulator's fraudulent chargeback (needs response, the amount withdrawn),
    /// as the <c>dispute_sync</c> job brings it, and one evidence field filled through the API; returns the payment and
    /// dispute ids.
    /// </summary>
    public static async Task<(string PaymentId, string DisputeId)> DisputedPaymentAsync(GatewayServer server, TestMerchant merchant, long amount = 1000)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(merchant);
        var method = (await server.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = FraudDisputeCard, exp_month = 12, exp_year = DateTime.UtcNow.Year + 2, cvc = "123" },
        })).EnsureStatus(200).Str("id");
        var api = server.Client(merchant.SecretKey);
        var paymentId = (await api.PostAsync("/v1/payments", new { amount, currency = "EUR", payment_method = method, confirm = true }))
            .EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no payment id");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = (await api.GetAsync($"/v1/disputes?payment={paymentId}")).EnsureStatus(200).Json.GetProperty("data");
            if (list.GetArrayLength() == 1 && list[0].GetProperty("status").GetString() == "needs_response")
            {
                var dispute = list[0].GetProperty("id").GetString() ?? throw new InvalidOperationException("no dispute id");
                (await api.PostAsync($"/v1/disputes/{dispute}/evidence", new { uncategorized_text = "Delivered and signed for." })).EnsureStatus(200);
                return (paymentId, dispute);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The simulator's dispute of {paymentId} did not arrive.");
            }

            await Task.Delay(100);
        }
    }
}
