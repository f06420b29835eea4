using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Cli;
using Payments.V1;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// <c>pgw logs tail</c> against a real gateway with its gRPC port: the lines of this merchant's REST requests and gRPC
/// calls as they finish (method, path without its query, status, request id), never another merchant's.
/// </summary>
public sealed class CliLogsTailTests : IAsyncLifetime
{
    private static readonly Method<GetPaymentRequest, GetPaymentResponse> GetPayment = new(
        MethodType.Unary, "payments.v1.PaymentGatewayService", "GetPayment",
        Marshallers.Create((GetPaymentRequest m) => m.ToByteArray(), GetPaymentRequest.Parser.ParseFrom),
        Marshallers.Create((GetPaymentResponse m) => m.ToByteArray(), GetPaymentResponse.Parser.ParseFrom));

    private readonly string _config = Path.Combine(GatewayServer.TestRoot, "pgw-" + Guid.NewGuid().ToString("N"));
    private GatewayServer? _server;

    private GatewayServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(withGrpcPort: true);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (Directory.Exists(_config))
        {
            Directory.Delete(_config, recursive: true);
        }
    }

    private (Task<int> Run, StringWriter Output) Tail(string key, CancellationToken ct, params string[] args)
    {
        var output = new StringWriter();
        var vars = new Dictionary<string, string> { ["PGW_API_KEY"] = key, ["PGW_BASE_URL"] = Server.BaseAddress.ToString(), ["PGW_CONFIG_DIR"] = _config };
        return (CliApp.RunAsync(["logs", "tail", .. args], new CliEnvironment(TextWriter.Synchronized(output), TextWriter.Null, vars), ct), output);
    }

    [Fact]
    public async Task LogsTail_ShowsThisMerchantsRestAndGrpcRequests_WithStatusPathAndRequestId_AndNoOtherMerchants()
    {
        var merchant = await Server.CreateMerchantAsync();
        var other = await Server.CreateMerchantAsync("Other merchant");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (tail, output) = Tail(merchant.SecretKey, cts.Token, "--count", "3");
        while (!output.ToString().Contains("Ready.", StringComparison.Ordinal) && !tail.IsCompleted)
        {
            await Task.Delay(50, cts.Token);
        }

        // Another merchant's request first: if it leaked into this merchant's log it would be one of the three lines.
        Assert.Equal(404, (await Server.Client(other.SecretKey).GetAsync("/v1/payments/pay_othermerchant")).Status);
        var missing = await Server.Client(merchant.SecretKey).GetAsync("/v1/payments/pay_doesnotexist?expand=secret");
        var list = await Server.Client(merchant.SecretKey).GetAsync("/v1/payments?limit=2");
        using (var channel = GrpcChannel.ForAddress(Server.GrpcAddress ?? throw new InvalidOperationException("no gRPC port")))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(GetPayment, null,
                new CallOptions(new Metadata { { "authorization", "Bearer " + merchant.SecretKey } }, deadline: DateTime.UtcNow.AddSeconds(20)),
                new GetPaymentRequest { Id = "pay_grpcmissing" }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
        }

        Assert.Equal(0, await tail.WaitAsync(cts.Token));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("Ready.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^\d\d:\d\d:\d\d  GET /v1/payments/pay_doesnotexist  404  \d+\.\d ms  " + missing.Header("Request-Id") + "$", lines[0]);
        Assert.Matches(@"^\d\d:\d\d:\d\d  GET /v1/payments  200  \d+\.\d ms  " + list.Header("Request-Id") + "$", lines[1]);
        Assert.Matches(@"^\d\d:\d\d:\d\d  gRPC /payments\.v1\.PaymentGatewayService/GetPayment  404 NOT_FOUND  \d+\.\d ms  req_\w+$", lines[2]);
        Assert.DoesNotContain("expand", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pay_othermerchant", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsTail_JsonErrorsOnly_PrintsOneRequestLogObjectPerLine_ForFailedRequestsOnly()
    {
        var merchant = await Server.CreateMerchantAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (tail, output) = Tail(merchant.SecretKey, cts.Token, "--json", "--errors", "--count", "1");
        var client = Server.Client(merchant.SecretKey);

        // --json prints nothing until a line comes, so keep making one good and one failing request until it has one.
        while (!tail.IsCompleted)
        {
            Assert.Equal(200, (await client.GetAsync("/v1/payments?limit=1")).Status);
            Assert.Equal(400, (await client.PostAsync("/v1/payments", new { amount = -5, currency = "EUR" })).Status);
            await Task.WhenAny(tail, Task.Delay(100, cts.Token));
        }

        Assert.Equal(0, await tail);
        using var line = JsonDocument.Parse(output.ToString().Trim());
        var log = line.RootElement;
        Assert.Equal("request_log", log.GetProperty("object").GetString());
        Assert.Equal("rest", log.GetProperty("transport").GetString());
        Assert.Equal("POST", log.GetProperty("method").GetString());
        Assert.Equal("/v1/payments", log.GetProperty("path").GetString());
        Assert.Equal(400, log.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, log.GetProperty("grpc_status").ValueKind);
        Assert.False(log.GetProperty("livemode").GetBoolean());
        Assert.StartsWith("req_", log.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(log.GetProperty("duration_ms").GetDouble() >= 0);
    }

    [Fact]
    public async Task LogsTail_WithAPublishableKey_IsRefused_Exit3()
    {
        var merchant = await Server.CreateMerchantAsync();
        var errors = new StringWriter();
        var vars = new Dictionary<string, string> { ["PGW_API_KEY"] = merchant.PublishableKey, ["PGW_BASE_URL"] = Server.BaseAddress.ToString(), ["PGW_CONFIG_DIR"] = _config };
        var exit = await CliApp.RunAsync(["logs", "tail"], new CliEnvironment(TextWriter.Null, errors, vars), CancellationToken.None);
        Assert.Equal(ExitCodes.Authentication, exit);
        Assert.Contains("secret_key_required", errors.ToString(), StringComparison.Ordinal);
    }
}
