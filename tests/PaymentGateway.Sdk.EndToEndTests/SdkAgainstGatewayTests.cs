using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>The real SDK against the real gateway on loopback, through the whole payment lifecycle.</summary>
public sealed class SdkAgainstGatewayTests : IAsyncLifetime
{
    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    private TestMerchant Merchant => _merchant ?? throw new InvalidOperationException();

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        _merchant = await _server.CreateMerchantAsync("SDK merchant");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private PaymentGatewayClient NewClient(string? key = null, int maxRetries = 2) => new(new PaymentGatewayClientOptions
    {
        BaseAddress = Server.BaseAddress,
        ApiKey = key ?? Merchant.SecretKey,
        MaxRetries = maxRetries,
    });

    private async Task<PaymentMethod> TokenizeAsync(PaymentGatewayClient client, string number = "4242424242424242") =>
        await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = number, ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" } },
            new RequestOptions { ApiKey = Merchant.PublishableKey });

    [Fact]
    public async Task Lifecycle_AuthorizeCaptureRefundListEvents_ThroughTheSdk()
    {
        using var client = NewClient();
        var method = await TokenizeAsync(client);
        Assert.Equal("4242", method.Card?.Last4);
        Assert.Equal("visa", method.Card?.Brand);

        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 2500,
            Currency = "EUR",
            CaptureMethod = CaptureMethod.Manual,
            PaymentMethod = method.Id,
            Confirm = true,
            Metadata = new Dictionary<string, string> { ["order_id"] = "o-1" },
        });
        Assert.Equal(PaymentStatus.RequiresCapture, payment.Status);
        Assert.Equal(2500, payment.AmountCapturable);
        Assert.False(string.IsNullOrEmpty(payment.RequestId));

        payment = await client.Payments.CaptureAsync(payment.Id, new CapturePaymentRequest { AmountToCapture = 2000 });
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Equal(2000, payment.AmountReceived);

        var refund = await client.Refunds.CreateAsync(new CreateRefundRequest { Payment = payment.Id, Amount = 500 });
        Assert.Equal(RefundStatus.Succeeded, refund.Status);

        var fetched = await client.Payments.GetAsync(payment.Id);
        Assert.Equal(500, fetched.AmountRefunded);
        Assert.Equal("o-1", fetched.Metadata?["order_id"]);

        var ids = new List<string>();
        await foreach (var p in client.Payments.ListAutoPagingAsync(new ListPaymentsRequest { Limit = 1 }))
        {
            ids.Add(p.Id);
        }

        Assert.Contains(payment.Id, ids);

        var events = new List<string>();
        await foreach (var e in client.Events.ListAutoPagingAsync(new ListEventsRequest { Limit = 2 }))
        {
            events.Add(e.Type.ToString());
        }

        Assert.Contains("payment.succeeded", events);
        Assert.Contains("refund.succeeded", events);
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyTwice_ReturnsTheSamePaymentMarkedReplayed()
    {
        using var client = NewClient();
        var method = await TokenizeAsync(client);
        var request = new CreatePaymentRequest { Amount = 1000, Currency = "EUR", PaymentMethod = method.Id, Confirm = true };
        var options = new RequestOptions { IdempotencyKey = "sdk-e2e-" + Guid.NewGuid().ToString("N") };

        var first = await client.Payments.CreateAsync(request, options);
        var second = await client.Payments.CreateAsync(request, options);

        Assert.Equal(first.Id, second.Id);
        Assert.False(first.IdempotentReplayed);
        Assert.True(second.IdempotentReplayed);
    }

    [Fact]
    public async Task Decline_SurfacesAsPaymentGatewayExceptionWithDeclineCodeAndPayment()
    {
        using var client = NewClient();
        var method = await TokenizeAsync(client, "4000000000009995");

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(
            new CreatePaymentRequest { Amount = 1000, Currency = "EUR", PaymentMethod = method.Id, Confirm = true }));

        Assert.Equal(402, e.Status);
        Assert.Equal(ErrorCode.CardDeclined, e.Code);
        Assert.Equal("insufficient_funds", e.DeclineCode);
        Assert.Equal(PaymentStatus.Failed, e.Payment?.Status);
        Assert.False(string.IsNullOrEmpty(e.RequestId));
        Assert.False(string.IsNullOrEmpty(e.IdempotencyKey));
    }

    [Fact]
    public async Task IllegalTransition_Is409StateConflict_NotRetried()
    {
        using var client = NewClient(maxRetries: 3);
        var method = await TokenizeAsync(client);
        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 1000, Currency = "EUR", PaymentMethod = method.Id, Confirm = true });

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CaptureAsync(payment.Id));

        Assert.Equal(409, e.Status);
        Assert.Equal(ErrorCode.PaymentStateConflict, e.Code);

        // The gateway logs each request it receives: exactly one capture arrived, so the SDK did not retry.
        var log = await File.ReadAllTextAsync(Server.LogFile);
        var captures = log.Split('\n').Count(line => line.Contains($"HTTP POST /v1/payments/{payment.Id}/capture responded", StringComparison.Ordinal));
        Assert.Equal(1, captures);
    }

    [Fact]
    public async Task OtherMerchantsPayment_IsNotFound()
    {
        var other = await Server.CreateMerchantAsync("Other");
        using var client = NewClient();
        using var otherClient = NewClient(other.SecretKey);
        var method = await TokenizeAsync(client);
        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 1000, Currency = "EUR", PaymentMethod = method.Id, Confirm = true });

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => otherClient.Payments.GetAsync(payment.Id));

        Assert.Equal(404, e.Status);
        Assert.Equal(ErrorCode.ResourceMissing, e.Code);
    }

    [Fact]
    public async Task WrongKeyType_SecretKeyTokenizing_Is403WithStableCode()
    {
        using var client = NewClient();

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2 } }));

        Assert.Equal(403, e.Status);
        Assert.Equal("publishable_key_required", e.Code.ToString());
    }
}
