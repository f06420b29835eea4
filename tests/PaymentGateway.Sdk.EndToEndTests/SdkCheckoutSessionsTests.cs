using System.Net.Http.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary><c>client.CheckoutSessions</c> against the real gateway: create, pay through the hosted pay endpoint, retrieve.</summary>
public sealed class SdkCheckoutSessionsTests : IAsyncLifetime
{
    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    private TestMerchant Merchant => _merchant ?? throw new InvalidOperationException();

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(withGrpcPort: true);
        _merchant = await _server.CreateMerchantAsync("SDK checkout merchant");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task CreateThenPayThenGet_FollowsTheSessionToComplete()
    {
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions { BaseAddress = Server.BaseAddress, ApiKey = Merchant.SecretKey });

        var session = await client.CheckoutSessions.CreateAsync(new CreateCheckoutSessionRequest
        {
            Currency = "JPY",
            LineItems = [new CheckoutLineItemRequest { Name = "Matcha", Quantity = 3, UnitAmount = 1200 }],
            SuccessUrl = "https://shop.example/thanks",
            CancelUrl = "https://shop.example/cart",
            AllowedFrameAncestors = ["https://shop.example"],
            CaptureMethod = CaptureMethod.Manual,
            Metadata = new Dictionary<string, string> { ["order"] = "42" },
        }, new RequestOptions { IdempotencyKey = "checkout-" + Guid.NewGuid() });

        Assert.StartsWith("cs_", session.Id, StringComparison.Ordinal);
        Assert.Equal(CheckoutSessionStatus.Open, session.Status);
        Assert.Equal(3600, session.Amount);
        Assert.Equal(CaptureMethod.Manual, session.CaptureMethod);
        Assert.Equal(3600, Assert.Single(session.LineItems).Amount);
        Assert.Equal($"{Server.BaseAddress.ToString().TrimEnd('/')}/checkout/{session.Id}", session.Url);
        Assert.NotNull(session.ClientSecret);
        Assert.DoesNotContain(session.ClientSecret, session.ToString(), StringComparison.Ordinal);

        // The customer's browser pays with the client secret (what gateway.js's hosted fields do).
        var pm = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" } },
            new RequestOptions { ApiKey = Merchant.PublishableKey });
        using var browser = new HttpClient { BaseAddress = Server.BaseAddress };
        using var paid = await browser.PostAsJsonAsync($"/checkout/{session.Id}/pay", new Dictionary<string, string> { ["client_secret"] = session.ClientSecret!, ["payment_method"] = pm.Id });
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());

        var fetched = await client.CheckoutSessions.GetAsync(session.Id);
        Assert.Equal(CheckoutSessionStatus.Complete, fetched.Status);
        Assert.Null(fetched.ClientSecret);
        Assert.NotNull(fetched.CompletedAt);
        var payment = await client.Payments.GetAsync(fetched.Payment!);
        Assert.Equal(PaymentStatus.RequiresCapture, payment.Status);
        Assert.Equal("42", payment.Metadata["order"]);

        var missing = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.CheckoutSessions.GetAsync("cs_doesnotexist"));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task SaveCardSession_CarriesTheCustomerAndChoice_AndSavesTheCardItIsPaidWith()
    {
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions { BaseAddress = Server.BaseAddress, ApiKey = Merchant.SecretKey });
        var customer = await client.Customers.CreateAsync(new CreateCustomerRequest { Email = "subscriber@shop.example" });

        var session = await client.CheckoutSessions.CreateAsync(new CreateCheckoutSessionRequest
        {
            Currency = "EUR",
            Amount = 1500,
            Description = "Coffee subscription",
            SuccessUrl = "https://shop.example/thanks",
            CancelUrl = "https://shop.example/cart",
            Customer = customer.Id,
            SaveCard = CheckoutSaveCard.Require,
            SetupFutureUsage = SetupFutureUsage.OffSession,
        });
        Assert.Equal((customer.Id, CheckoutSaveCard.Require, SetupFutureUsage.OffSession), (session.Customer, session.SaveCard, session.SetupFutureUsage));

        var pm = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = "4000000000003089", ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" } },
            new RequestOptions { ApiKey = Merchant.PublishableKey });
        using var browser = new HttpClient { BaseAddress = Server.BaseAddress };
        using var paid = await browser.PostAsJsonAsync($"/checkout/{session.Id}/pay", new Dictionary<string, string> { ["client_secret"] = session.ClientSecret ?? string.Empty, ["payment_method"] = pm.Id });
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());

        var saved = Assert.Single((await client.Customers.ListPaymentMethodsAsync(customer.Id)).Data);
        Assert.Equal((pm.Id, SetupFutureUsage.OffSession), (saved.Id, saved.Usage));
        var renewal = await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 1500,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = pm.Id,
            OffSession = true,
            MitType = MitType.Recurring,
            Confirm = true,
        });
        Assert.Equal(PaymentStatus.Succeeded, renewal.Status);
    }

    [Fact]
    public async Task OverGrpc_CheckoutSessionsAreNotSupported()
    {
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions
        {
            BaseAddress = Server.GrpcAddress!,
            ApiKey = Merchant.SecretKey,
            Transport = PaymentGatewayTransport.Grpc,
        });

        await Assert.ThrowsAsync<NotSupportedException>(() => client.CheckoutSessions.GetAsync("cs_x"));
    }
}
