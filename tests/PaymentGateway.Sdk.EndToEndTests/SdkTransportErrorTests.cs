using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;
using Xunit.Abstractions;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>
/// Simple mistakes get messages that say what is wrong, against a real gateway with a REST and a gRPC port: a refused
/// connection, the wrong port for the transport, https to a plain-text port and a key the gateway does not know. Only
/// a failure after which the request may have taken effect tells the caller to repeat it with its idempotency key.
/// </summary>
public sealed class SdkTransportErrorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MaybeDone = "find out whether it took effect";
    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    public static TheoryData<PaymentGatewayTransport> Transports => new() { PaymentGatewayTransport.Rest, PaymentGatewayTransport.Grpc };

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(withGrpcPort: true);
        _merchant = await _server.CreateMerchantAsync("SDK error message merchant");
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
    public async Task RefusedConnection_SaysNothingWasSent_AndNamesTheTransportsPort(PaymentGatewayTransport transport)
    {
        var e = await CreateFailsAsync(new Uri("http://127.0.0.1:1"), transport);

        Assert.Equal(0, e.Status);
        Assert.StartsWith("Nothing was sent: the connection to the payment gateway was refused.", e.Message, StringComparison.Ordinal);
        Assert.Contains(transport == PaymentGatewayTransport.Grpc ? "the gRPC port" : "the REST port", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(MaybeDone, e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(e.IdempotencyKey));
    }

    [Fact]
    public async Task GrpcTransport_PointedAtTheRestPort_SaysItIsProbablyTheRestPort()
    {
        var e = await CreateFailsAsync(Server.BaseAddress, PaymentGatewayTransport.Grpc);

        Assert.Equal(0, e.Status);
        Assert.StartsWith("Nothing was done: the address", e.Message, StringComparison.Ordinal);
        Assert.Contains("gateway's REST port", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(MaybeDone, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestTransport_PointedAtTheGrpcPort_SaysItMayBeTheGrpcPort()
    {
        var e = await CreateFailsAsync(Server.GrpcAddress ?? throw new InvalidOperationException(), PaymentGatewayTransport.Rest);

        Assert.Equal((400, null), (e.Status, e.Code));
        Assert.Contains("BaseAddress may be the gateway's gRPC port; nothing was done.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(MaybeDone, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Https_ToThePlainTextPort_IsATlsFailure_AndNothingWasSent(PaymentGatewayTransport transport)
    {
        var plain = transport == PaymentGatewayTransport.Grpc ? Server.GrpcAddress ?? throw new InvalidOperationException() : Server.BaseAddress;
        var e = await CreateFailsAsync(new UriBuilder(plain) { Scheme = "https" }.Uri, transport);

        Assert.Equal(0, e.Status);
        Assert.StartsWith("Nothing was sent: the TLS handshake with the payment gateway failed", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(MaybeDone, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task UnknownKey_Is401_WithAHintAboutKeyTypes(PaymentGatewayTransport transport)
    {
        using var client = Client(transport == PaymentGatewayTransport.Grpc ? Server.GrpcAddress : Server.BaseAddress, transport, "sk_test_" + new string('q', 32));

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.ListAsync());

        output.WriteLine(e.Message);
        Assert.Equal((401, ErrorCode.ApiKeyInvalid), (e.Status, e.Code));
        Assert.Contains("Check ApiKey: server calls need a secret key", e.Message, StringComparison.Ordinal);
    }

    private async Task<PaymentGatewayException> CreateFailsAsync(Uri address, PaymentGatewayTransport transport)
    {
        using var client = Client(address, transport, _merchant?.SecretKey ?? throw new InvalidOperationException());
        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 100, Currency = "EUR" }));
        output.WriteLine(e.Message);
        return e;
    }

    private static PaymentGatewayClient Client(Uri? address, PaymentGatewayTransport transport, string key) => new(new PaymentGatewayClientOptions
    {
        BaseAddress = address ?? throw new InvalidOperationException(),
        ApiKey = key,
        Transport = transport,
        MaxRetries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        Timeout = TimeSpan.FromSeconds(10),
        PerTryTimeout = TimeSpan.FromSeconds(5),
    });
}
