using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using Payments.V1;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Telemetry as an operator runs it (issue 21): the real gateway process in Production, JSON logs on standard output,
/// <c>/metrics</c> on a port of its own with runtime and process series, and one log line per request carrying the
/// <c>req_…</c> id that the client saw.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private static readonly Method<ListPaymentsRequest, ListPaymentsResponse> ListPayments = Unary("ListPayments", ListPaymentsRequest.Parser, ListPaymentsResponse.Parser);
    private static readonly Method<GetPaymentRequest, GetPaymentResponse> GetPayment = Unary("GetPayment", GetPaymentRequest.Parser, GetPaymentResponse.Parser);

    private readonly string _adminKey = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly int _metricsPort = ExternalProcess.FreeLoopbackPort();
    private readonly int _grpcPort = ExternalProcess.FreeLoopbackPort();
    private GatewayProcess? _node;

    private GatewayProcess Node => _node ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _node = await GatewayProcess.StartAsync(new Dictionary<string, string?>
    {
        ["PaymentGateway:AdminKey"] = _adminKey,
        ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["PaymentGateway:Observability:MetricsUrl"] = $"http://127.0.0.1:{_metricsPort}",
        ["PaymentGateway:GrpcUrl"] = $"http://127.0.0.1:{_grpcPort}",
    });

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    [Fact]
    public async Task MetricsPort_ServesRuntimeAndProcessSeries_AndTheRestPortDoesNotServeMetrics()
    {
        using var metricsClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_metricsPort}") };
        (await Node.Client(_adminKey).GetAsync("/v1/merchants")).EnsureStatus(200); // some HTTP series too

        var scrape = await metricsClient.GetAsync("/metrics");
        Assert.Equal(200, (int)scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("dotnet_gc_", text, StringComparison.Ordinal);           // runtime: GC
        Assert.Contains("dotnet_thread_pool_", text, StringComparison.Ordinal);  // runtime: thread pool
        Assert.Contains("process_cpu_time", text, StringComparison.Ordinal);     // process: CPU
        Assert.Contains("process_memory_usage", text, StringComparison.Ordinal); // process: memory
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);

        Problem.Assert(await Node.Client(null).GetAsync("/metrics"), 404, "route_not_found");
        Problem.Assert(await Node.Client(null).GetAsync("/METRICS"), 404, "route_not_found");
        Assert.Equal(404, (int)(await metricsClient.GetAsync("/v1/merchants")).StatusCode); // only /metrics there
        Assert.Equal(404, (int)(await metricsClient.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task OneRequest_LogsOneInformationLineWithItsRequestId_AndEveryLineDuringARequestCarriesTheId()
    {
        var admin = Node.Client(_adminKey);
        var list = (await admin.GetAsync("/v1/merchants?limit=1")).EnsureStatus(200);
        var requestId = list.Header("Request-Id") ?? throw new InvalidOperationException("no Request-Id");
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);

        var lines = await LinesAsync(l => Scope(l) == requestId, expected: 1);
        var line = Assert.Single(lines);
        Assert.Equal("Information", line.GetProperty("level").GetString());
        Assert.Equal("GET", line.GetProperty("method").GetString());
        Assert.Equal("/v1/merchants", line.GetProperty("path").GetString()); // never the query
        Assert.Equal("200", line.GetProperty("status_code").GetString());
        Assert.True(double.Parse(line.GetProperty("elapsed_ms").GetString() ?? "x", System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.StartsWith("HTTP GET /v1/merchants responded 200 in ", line.GetProperty("message").GetString(), StringComparison.Ordinal);

        // No other line of the whole log is about that request (ASP.NET Core's request starting/finished, endpoint lines).
        Assert.DoesNotContain(AllLines(), l => l.GetProperty("message").GetString()?.Contains("/v1/merchants?limit=1", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(AllLines(), l => l.GetProperty("category").GetString()?.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal) == true);

        // A request that logs something else too: an idempotent replay. Both of its lines carry its id.
        (await admin.PostAsync("/v1/merchants", new { name = "Logged" }, idempotencyKey: "log-scope-1")).EnsureStatus(200);
        var replay = (await admin.PostAsync("/v1/merchants", new { name = "Logged" }, idempotencyKey: "log-scope-1")).EnsureStatus(200);
        var replayId = replay.Header("Request-Id") ?? throw new InvalidOperationException("no Request-Id");
        var replayLines = await LinesAsync(l => Scope(l) == replayId, expected: 2);
        Assert.Equal(2, replayLines.Count);
        Assert.Contains(replayLines, l => l.GetProperty("message").GetString()?.StartsWith("Idempotent replay", StringComparison.Ordinal) == true);
        Assert.All(AllLines().Where(l => l.GetProperty("message").GetString()?.StartsWith("Idempotent replay", StringComparison.Ordinal) == true),
            l => Assert.Equal(replayId, Scope(l)));
        Assert.Single(replayLines, l => l.GetProperty("message").GetString()?.StartsWith("HTTP POST /v1/merchants responded 200", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task GrpcCall_LogsOneInformationLineCarryingTheRequestIdTheClientSaw_OnSuccessAndOnError()
    {
        var admin = Node.Client(_adminKey);
        var merchant = (await admin.PostAsync("/v1/merchants", new { name = "gRPC logs" })).EnsureStatus(200).Str("id");
        var secret = (await admin.PostAsync($"/v1/merchants/{merchant}/api_keys", new { type = "secret" })).EnsureStatus(200).Str("secret")
            ?? throw new InvalidOperationException("no secret");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_grpcPort}");
        var invoker = channel.CreateCallInvoker();
        CallOptions Options() => new(new Metadata { { "authorization", "Bearer " + secret } }, deadline: DateTime.UtcNow.AddSeconds(20));

        // A call that succeeds: the id is in the response metadata.
        using var call = invoker.AsyncUnaryCall(ListPayments, null, Options(), new ListPaymentsRequest { Limit = 1 });
        await call.ResponseAsync;
        var requestId = (await call.ResponseHeadersAsync).GetValue("request-id") ?? throw new InvalidOperationException("no request-id");
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
        var line = Assert.Single(await LinesAsync(l => Scope(l) == requestId, expected: 1));
        Assert.Equal("Information", line.GetProperty("level").GetString());
        Assert.Equal("/payments.v1.PaymentGatewayService/ListPayments", line.GetProperty("method").GetString());
        Assert.Equal("OK", line.GetProperty("status_code").GetString());
        Assert.StartsWith("gRPC /payments.v1.PaymentGatewayService/ListPayments responded OK in ", line.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A call that fails: the id is in the error's RequestInfo, and the line logged for it carries it too.
        var error = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(GetPayment, null, Options(), new GetPaymentRequest { Id = "pay_unknown" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var failedId = (error.GetRpcStatus() ?? throw new InvalidOperationException("no rich status")).GetDetail<RequestInfo>()?.RequestId
            ?? throw new InvalidOperationException("no RequestInfo");
        var failed = Assert.Single(await LinesAsync(l => Scope(l) == failedId, expected: 1));
        Assert.Equal("NotFound", failed.GetProperty("status_code").GetString());
        Assert.DoesNotContain(AllLines(), l => l.GetProperty("message").GetString()?.Contains(secret, StringComparison.Ordinal) == true);
    }

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, "payments.v1.PaymentGatewayService", name,
            Marshallers.Create((TRequest m) => m.ToByteArray(), request.ParseFrom), Marshallers.Create((TResponse m) => m.ToByteArray(), response.ParseFrom));

    private static string? Scope(JsonElement line) =>
        line.TryGetProperty("scope_request_id", out var id) ? id.GetString() : null;

    private List<JsonElement> AllLines()
    {
        var lines = new List<JsonElement>();
        foreach (var text in Node.Output().Split('\n'))
        {
            var trimmed = text.Trim();
            if (!trimmed.StartsWith('{'))
            {
                continue;
            }

            try
            {
                lines.Add(JsonDocument.Parse(trimmed).RootElement.Clone());
            }
            catch (JsonException)
            {
                // a line cut by the reader mid-write; the next read has it whole
            }
        }

        return lines;
    }

    /// <summary>The log lines matching <paramref name="match"/>, waiting up to 10 s for <paramref name="expected"/> (the console logger writes from a queue).</summary>
    private async Task<List<JsonElement>> LinesAsync(Func<JsonElement, bool> match, int expected)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = AllLines().Where(match).ToList();
            if (found.Count >= expected || DateTimeOffset.UtcNow > deadline)
            {
                await Task.Delay(300); // anything more would show up now
                return AllLines().Where(match).ToList();
            }

            await Task.Delay(100);
        }
    }
}
