using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Test payment method shortcuts (docs/payments.md): a test secret key pays with <c>pm_card_visa</c> and friends
/// without tokenizing first; each use is a fresh payment method of the merchant; a live key naming one is a 400 and
/// nothing is written.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TestPaymentMethodTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Theory]
    [InlineData("pm_card_visa", "visa", "4242")]
    [InlineData("pm_card_mastercard", "mastercard", "4444")]
    [InlineData("pm_card_amex", "amex", "0005")]
    public async Task Shortcut_WithTestSecretKey_PaysWithAFreshPaymentMethodOfThatCard(string shortcut, string brand, string last4)
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);

        var first = (await api.PostAsync("/v1/payments", new { amount = 1500, currency = "EUR", payment_method = shortcut, confirm = true })).EnsureStatus(200);
        var second = (await api.PostAsync("/v1/payments", new { amount = 1500, currency = "EUR", payment_method = shortcut, confirm = true })).EnsureStatus(200);

        Assert.Equal(("succeeded", 1500L), (first.Str("status"), first.Long("amount_received")));
        var method = first.Str("payment_method") ?? "";
        Assert.StartsWith("pm_", method, StringComparison.Ordinal);
        Assert.NotEqual(shortcut, method);
        Assert.NotEqual(method, second.Str("payment_method"));
        var card = (await api.GetAsync($"/v1/payment_methods/{method}")).EnsureStatus(200).Json.GetProperty("card");
        Assert.Equal((brand, last4), (card.GetProperty("brand").GetString(), card.GetProperty("last4").GetString()));
    }

    [Fact]
    public async Task DeclinedShortcut_IsDeclinedWithItsCode()
    {
        var merchant = await Server.CreateMerchantAsync();

        var declined = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 900, currency = "EUR", payment_method = "pm_card_insufficient_funds", confirm = true });

        Problem.Assert(declined, 402, "card_declined");
        Assert.Equal("insufficient_funds", declined.Json.GetProperty("decline_code").GetString());
    }

    [Fact]
    public async Task ThreeDSecureShortcut_OnConfirm_RequiresAction()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var created = (await api.PostAsync("/v1/payments", new { amount = 700, currency = "EUR" })).EnsureStatus(200);

        var confirmed = (await api.PostAsync($"/v1/payments/{created.Str("id")}/confirm", new { payment_method = "pm_card_3ds", return_url = "https://shop.example/back" })).EnsureStatus(200);

        Assert.Equal("requires_action", confirmed.Str("status"));
    }

    [Fact]
    public async Task Shortcut_WithLiveKey_Is400_AndNothingIsWritten()
    {
        var merchant = await Server.CreateMerchantAsync(withLiveKeys: true);
        var live = Server.Client(merchant.LiveSecretKey ?? throw new InvalidOperationException());

        var refused = await live.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = "pm_card_visa", confirm = true });

        Problem.Assert(refused, 400, "parameter_invalid", "payment_method");
        Assert.Contains("test payment method", refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Steps.Ids((await live.GetAsync("/v1/payments")).EnsureStatus(200)));
    }

    [Fact]
    public void ReadmeTestCardTable_ListsEveryShortcut_NextToItsCard()
    {
        var readme = File.ReadAllLines(RepositoryFiles.RootPath("README.md"));
        foreach (var shortcut in new PaymentGateway.Providers.Simulator.SimulatorTestPaymentMethods().All)
        {
            Assert.Contains(readme, line => line.StartsWith('|') && line.Contains($"`{shortcut.Id}`", StringComparison.Ordinal)
                && line.Contains($"`{shortcut.CardNumber}`", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task UnknownShortcut_Is404LikeAnyUnknownPaymentMethod()
    {
        var merchant = await Server.CreateMerchantAsync();

        var missing = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = "pm_card_unobtainium", confirm = true });

        Problem.Assert(missing, 404, "resource_missing", "payment_method");
    }
}
