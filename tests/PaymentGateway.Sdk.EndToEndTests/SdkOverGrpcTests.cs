using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>
/// The same SDK calls over both transports against the real gateway: merchant code does not change with
/// <see cref="PaymentGatewayClientOptions.Transport"/>, and neither do results, exceptions or idempotency.
/// </summary>
public sealed class SdkOverGrpcTests : IAsyncLifetime
{
    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    private TestMerchant Merchant => _merchant ?? throw new InvalidOperationException();

    public static TheoryData<PaymentGatewayTransport> Transports => new() { PaymentGatewayTransport.Rest, PaymentGatewayTransport.Grpc };

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(withGrpcPort: true);
        _merchant = await _server.CreateMerchantAsync("SDK transport merchant");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Lifecycle_AuthorizeCaptureRefundListEvents_OverEitherTransport(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var method = await TokenizeAsync(client);
        Assert.Equal("4242", method.Card?.Last4);
        Assert.False(string.IsNullOrEmpty(method.RequestId));

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
        Assert.Equal(CaptureMethod.Manual, payment.CaptureMethod);

        payment = await client.Payments.CaptureAsync(payment.Id, new CapturePaymentRequest { AmountToCapture = 2000 });
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Equal(2000, payment.AmountReceived);

        var refund = await client.Refunds.CreateAsync(new CreateRefundRequest { Payment = payment.Id, Amount = 500, Reason = "requested_by_customer" });
        Assert.Equal(RefundStatus.Succeeded, refund.Status);
        Assert.Equal("requested_by_customer", refund.Reason);
        Assert.Equal(WithoutMetadata(refund), WithoutMetadata(await client.Refunds.GetAsync(refund.Id)));

        var fetched = await client.Payments.GetAsync(payment.Id);
        Assert.Equal(500, fetched.AmountRefunded);
        Assert.Equal("o-1", fetched.Metadata["order_id"]);

        var ids = new List<string>();
        await foreach (var p in client.Payments.ListAutoPagingAsync(new ListPaymentsRequest { Limit = 1 }))
        {
            ids.Add(p.Id);
        }

        Assert.Contains(payment.Id, ids);
        Assert.Single((await client.Refunds.ListAsync(new ListRefundsRequest { Payment = payment.Id })).Data);

        var events = new List<Event>();
        await foreach (var e in client.Events.ListAutoPagingAsync(new ListEventsRequest { Limit = 2 }))
        {
            events.Add(e);
        }

        Assert.Contains(events, e => e.Type.ToString() == "payment.succeeded" && e.Data.GetProperty("id").GetString() == payment.Id);
        Assert.Contains(events, e => e.Type.ToString() == "refund.succeeded");
    }

    [Fact]
    public async Task SameCalls_GiveEqualObjects_OverRestAndGrpc()
    {
        using var rest = NewClient(PaymentGatewayTransport.Rest);
        using var grpc = NewClient(PaymentGatewayTransport.Grpc);
        var method = await TokenizeAsync(rest);
        var payment = await rest.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 1234,
            Currency = "EUR",
            PaymentMethod = method.Id,
            Confirm = true,
            Customer = "shopper-1", // free text; a cus_ value must name a customer (docs/saved-cards.md)
            Description = "d",
            ReturnUrl = "https://shop.example/r",
        });

        var overRest = await rest.Payments.GetAsync(payment.Id);
        var overGrpc = await grpc.Payments.GetAsync(payment.Id);
        Assert.Equal(WithoutMetadata(overRest), WithoutMetadata(overGrpc));
        Assert.Equal(overRest.Metadata, overGrpc.Metadata);
        Assert.Equal(overRest.Disputes, overGrpc.Disputes);
        Assert.Equal(await rest.PaymentMethods.GetAsync(method.Id), await grpc.PaymentMethods.GetAsync(method.Id));
        var restEvents = await rest.Events.ListAsync(new ListEventsRequest { Limit = 3 });
        var grpcEvents = await grpc.Events.ListAsync(new ListEventsRequest { Limit = 3 });
        Assert.Equal(restEvents.Data.Select(e => (e.Id, e.Type)), grpcEvents.Data.Select(e => (e.Id, e.Type)));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Create_SameIdempotencyKeyTwice_ReturnsTheSamePaymentMarkedReplayed(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var method = await TokenizeAsync(client);
        var request = new CreatePaymentRequest { Amount = 1000, Currency = "EUR", PaymentMethod = method.Id, Confirm = true };
        var options = new RequestOptions { IdempotencyKey = "sdk-e2e-" + Guid.NewGuid().ToString("N") };

        var first = await client.Payments.CreateAsync(request, options);
        var second = await client.Payments.CreateAsync(request, options);

        Assert.Equal(first.Id, second.Id);
        Assert.False(first.IdempotentReplayed);
        Assert.True(second.IdempotentReplayed);

        var reused = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(request with { Amount = 999 }, options));
        Assert.Equal(422, reused.Status);
        Assert.Equal(ErrorCode.IdempotencyKeyReused, reused.Code);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Decline_SurfacesAsPaymentGatewayExceptionWithDeclineCodeAndPayment(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var method = await TokenizeAsync(client, "4000000000009995");

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(
            new CreatePaymentRequest { Amount = 1000, Currency = "EUR", PaymentMethod = method.Id, Confirm = true }));

        Assert.Equal(402, e.Status);
        Assert.Equal(ErrorCode.CardDeclined, e.Code);
        Assert.Equal("insufficient_funds", e.DeclineCode);
        Assert.Equal("payment_method", e.Param);
        Assert.Equal(PaymentStatus.Failed, e.Payment?.Status);
        Assert.Equal("urn:paymentgateway:error:card_declined", e.Type);
        Assert.False(string.IsNullOrEmpty(e.RequestId));
        Assert.False(string.IsNullOrEmpty(e.IdempotencyKey));
        Assert.DoesNotContain("4000000000009995", e.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Errors_HaveTheSameStatusAndCode_OverEitherTransport(PaymentGatewayTransport transport)
    {
        var other = await Server.CreateMerchantAsync("Other");
        using var client = NewClient(transport);
        using var otherClient = NewClient(transport, other.SecretKey);
        var method = await TokenizeAsync(client);
        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 1000, Currency = "EUR", PaymentMethod = method.Id, Confirm = true });

        var notFound = await Assert.ThrowsAsync<PaymentGatewayException>(() => otherClient.Payments.GetAsync(payment.Id));
        Assert.Equal((404, ErrorCode.ResourceMissing), (notFound.Status, notFound.Code));

        var conflict = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CaptureAsync(payment.Id));
        Assert.Equal((409, ErrorCode.PaymentStateConflict), (conflict.Status, conflict.Code));

        var keyType = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2 } }));
        Assert.Equal((403, ErrorCode.PublishableKeyRequired), (keyType.Status, keyType.Code));

        var invalid = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 0, Currency = "EUR" }));
        Assert.Equal((400, ErrorCode.AmountInvalid, "amount"), (invalid.Status, invalid.Code, invalid.Param));

        using var badKey = NewClient(transport, "sk_test_" + new string('x', 32));
        var unauthenticated = await Assert.ThrowsAsync<PaymentGatewayException>(() => badKey.Payments.ListAsync());
        Assert.Equal((401, ErrorCode.ApiKeyInvalid), (unauthenticated.Status, unauthenticated.Code));
    }

    [Fact]
    public async Task Grpc_UnreachableGateway_IsATransportFailureWithStatusZero()
    {
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions
        {
            BaseAddress = new Uri("http://127.0.0.1:1"),
            ApiKey = Merchant.SecretKey,
            Transport = PaymentGatewayTransport.Grpc,
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        });

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 100, Currency = "EUR" }));

        Assert.Equal(0, e.Status);
        Assert.Null(e.Code);
        Assert.False(string.IsNullOrEmpty(e.IdempotencyKey));
        Assert.Contains("Nothing was sent", e.Message, StringComparison.Ordinal);
    }

    // Records compare dictionaries by reference; metadata is compared on its own where it matters.
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>Without the collections (compared apart by their items: a record compares them by reference).</summary>
    private static Payment WithoutMetadata(Payment payment) => payment with { Metadata = NoMetadata, Disputes = [] };

    private static Refund WithoutMetadata(Refund refund) => refund with { Metadata = NoMetadata };

    private PaymentGatewayClient NewClient(PaymentGatewayTransport transport, string? key = null) => new(new PaymentGatewayClientOptions
    {
        BaseAddress = transport == PaymentGatewayTransport.Grpc ? Server.GrpcAddress : Server.BaseAddress,
        ApiKey = key ?? Merchant.SecretKey,
        Transport = transport,
        MaxRetries = 2,
    });

    private async Task<PaymentMethod> TokenizeAsync(PaymentGatewayClient client, string number = "4242424242424242") =>
        await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = number, ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" }, HolderName = "Ada" },
            new RequestOptions { ApiKey = Merchant.PublishableKey });
}
