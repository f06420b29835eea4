using PaymentGateway.Api.EndToEndTests.Infrastructure;
using static PaymentGateway.Api.EndToEndTests.Infrastructure.SavedCardSteps;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>Hosted checkout saving the card for a customer: save_card offer / require, and what it refuses (docs/saved-cards.md).</summary>
[Collection(GatewayCollection.Name)]
public sealed class CheckoutSaveCardTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private static object Session(string? customer, string? saveCard, string? usage = null) => new
    {
        currency = "EUR",
        amount = 1500,
        description = "Monthly coffee subscription",
        success_url = "https://shop.example/thanks",
        cancel_url = "https://shop.example/cart",
        allowed_frame_ancestors = new[] { "https://shop.example" },
        customer,
        save_card = saveCard,
        setup_future_usage = usage,
    };

    [Fact]
    public async Task Create_WithSaveCard_NeedsALiveCustomerOfTheMerchant_AndValidValues()
    {
        var merchant = await Server.CreateMerchantAsync();
        var other = await Server.CreateMerchantAsync();
        var sk = Server.Client(merchant.SecretKey);
        var customer = await CustomerAsync(Server, merchant);
        var othersCustomer = await CustomerAsync(Server, other);
        var deleted = await CustomerAsync(Server, merchant);
        (await sk.SendAsync(HttpMethod.Delete, $"/v1/customers/{deleted}", null, null)).EnsureStatus(200);

        Problem.Assert(await sk.PostAsync("/v1/checkout/sessions", Session(null, "offer")), 400, "parameter_missing", "customer");
        Problem.Assert(await sk.PostAsync("/v1/checkout/sessions", Session(customer, "sometimes")), 400, "parameter_invalid", "save_card");
        Problem.Assert(await sk.PostAsync("/v1/checkout/sessions", Session(customer, null, "off_session")), 400, "parameter_invalid", "setup_future_usage");
        Problem.Assert(await sk.PostAsync("/v1/checkout/sessions", Session(customer, "offer", "always")), 400, "parameter_invalid", "setup_future_usage");
        Assert.Equal(404, (await sk.PostAsync("/v1/checkout/sessions", Session(othersCustomer, "offer"))).Status);
        Problem.Assert(await sk.PostAsync("/v1/checkout/sessions", Session(deleted, "require")), 422, "customer_deleted", "customer");

        var created = (await sk.PostAsync("/v1/checkout/sessions", Session(customer, "offer"))).EnsureStatus(200);
        Assert.Equal(customer, created.Str("customer"));
        Assert.Equal("offer", created.Str("save_card"));
        Assert.Equal("off_session", created.Str("setup_future_usage"));
    }

    [Theory]
    [InlineData("offer", true, true)]
    [InlineData("offer", false, false)]
    [InlineData("offer", null, false)]
    [InlineData("require", false, true)]
    public async Task Pay_SavesTheCardOnlyWhenRequiredOrChosen(string saveCard, bool? choice, bool saved)
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var session = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", Session(customer, saveCard))).EnsureStatus(200);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.MitApproved);

        var paid = (await Server.Client(null).PostAsync($"/checkout/{session.Str("id")}/pay", new
        {
            client_secret = session.Str("client_secret"),
            payment_method = pm,
            embed_origin = "https://shop.example",
            save_card = choice,
        })).EnsureStatus(200);

        Assert.Equal("succeeded", paid.Str("status"));
        Assert.Equal(customer, paid.Str("customer"));
        Assert.Equal(saved ? "off_session" : null, paid.Str("setup_future_usage"));
        var listed = (await Server.Client(merchant.SecretKey).GetAsync($"/v1/customers/{customer}/payment_methods")).EnsureStatus(200);
        Assert.Equal(saved ? new[] { pm } : [], Steps.Ids(listed));
        if (saved)
        {
            Assert.Equal("succeeded", (await ChargeOffSessionAsync(Server, merchant, customer, pm)).EnsureStatus(200).Str("status"));
        }
    }

    [Fact]
    public async Task SessionWithoutSaveCard_IgnoresTheCustomersChoice()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var session = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", Session(customer, null))).EnsureStatus(200);
        Assert.Null(session.Str("save_card"));

        var paid = (await Server.Client(null).PostAsync($"/checkout/{session.Str("id")}/pay", new
        {
            client_secret = session.Str("client_secret"),
            payment_method = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa),
            embed_origin = "https://shop.example",
            save_card = true,
        })).EnsureStatus(200);

        Assert.Null(paid.Str("setup_future_usage"));
        Assert.Empty(Steps.Ids((await Server.Client(merchant.SecretKey).GetAsync($"/v1/customers/{customer}/payment_methods")).EnsureStatus(200)));
    }
}
