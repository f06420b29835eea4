using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;

namespace PaymentGateway.Sdk.ContractTests;

public sealed class DependencyInjectionTests : IDisposable
{
    private readonly FakeGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task AddPaymentGatewayClient_FromConfiguration_SendsThroughTheResiliencePipeline()
    {
        _gateway.RespondInSequence(
            Request.Create().WithPath("/v1/payments").UsingPost(),
            FakeGateway.Problem(503, "provider_unavailable"),
            FakeGateway.Json(200, FakeGateway.PaymentJson()));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PaymentGateway:BaseAddress"] = _gateway.BaseAddress.ToString(),
            ["PaymentGateway:ApiKey"] = "sk_test_from_config",
            ["PaymentGateway:MaxRetries"] = "3",
            ["PaymentGateway:RetryDelay"] = "00:00:00.001",
        }).Build();
        var services = new ServiceCollection();
        services.AddPaymentGatewayClient(configuration.GetSection("PaymentGateway"));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<PaymentGatewayClient>();
        await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 1, Currency = "EUR" });

        Assert.Same(client, provider.GetRequiredService<PaymentGatewayClient>());
        var requests = _gateway.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("Bearer sk_test_from_config", FakeGateway.Header(requests[0], "Authorization"));
        Assert.Equal(FakeGateway.Header(requests[0], "Idempotency-Key"), FakeGateway.Header(requests[1], "Idempotency-Key"));
    }

    [Fact]
    public async Task AddPaymentGatewayClient_FromDelegate_Works()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments/pay_1").UsingGet()).RespondWith(FakeGateway.Json(200, FakeGateway.PaymentJson()));
        var services = new ServiceCollection();
        services.AddPaymentGatewayClient(o =>
        {
            o.BaseAddress = _gateway.BaseAddress;
            o.ApiKey = "sk_test_delegate";
        });
        await using var provider = services.BuildServiceProvider();

        var payment = await provider.GetRequiredService<PaymentGatewayClient>().Payments.GetAsync("pay_1");

        Assert.Equal("pay_1", payment.Id);
        Assert.Equal("Bearer sk_test_delegate", FakeGateway.Header(Assert.Single(_gateway.Requests), "Authorization"));
    }

    [Fact]
    public void InvalidOptions_FailStartupValidation()
    {
        var services = new ServiceCollection();
        services.AddPaymentGatewayClient(o => o.BaseAddress = new Uri("http://127.0.0.1:1"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ApiKey is required", error.Message);
    }

    [Fact]
    public void InvalidOptions_FailTheStandaloneConstructor()
    {
        var error = Assert.Throws<ArgumentException>(() => new PaymentGatewayClient(new PaymentGatewayClientOptions { ApiKey = "sk_test_x", MaxRetries = -1 }));

        Assert.Contains("BaseAddress is required", error.Message);
        Assert.Contains("MaxRetries", error.Message);
    }

    [Fact]
    public async Task Operations_CanBeMockedByOverriding()
    {
        PaymentGatewayClient client = new MockClient();

        var payment = await client.Payments.GetAsync("pay_mock");

        Assert.Equal("pay_mock", payment.Id);
    }

    private sealed class MockClient : PaymentGatewayClient
    {
        public override PaymentsOperations Payments { get; } = new MockPayments();
    }

    private sealed class MockPayments : PaymentsOperations
    {
        public override Task<Payment> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Payment
            {
                Id = id,
                Livemode = false,
                Status = PaymentStatus.Succeeded,
                Amount = 1,
                Currency = "EUR",
                AmountCapturable = 0,
                AmountReceived = 1,
                AmountRefunded = 0,
                CaptureMethod = CaptureMethod.Automatic,
                Created = DateTimeOffset.UnixEpoch,
                Updated = DateTimeOffset.UnixEpoch,
            });
    }
}
