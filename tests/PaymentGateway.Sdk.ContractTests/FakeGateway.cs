using System.Net;
using System.Net.Sockets;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace PaymentGateway.Sdk.ContractTests;

/// <summary>WireMock playing the gateway on 127.0.0.1 (a free port), plus helpers to read what the SDK sent.</summary>
public sealed class FakeGateway : IDisposable
{
    public const string SecretKey = "sk_test_contract";

    public FakeGateway()
    {
        var port = FreeLoopbackPort();
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] });
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public WireMockServer Server { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client with tiny backoff so retry tests stay fast.</summary>
    public PaymentGatewayClient CreateClient(Action<PaymentGatewayClientOptions>? configure = null)
    {
        var options = new PaymentGatewayClientOptions
        {
            BaseAddress = BaseAddress,
            ApiKey = SecretKey,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(20),
            PerTryTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new PaymentGatewayClient(options);
    }

    /// <summary>Answers <paramref name="request"/> with each response in turn; the last one repeats.</summary>
    public void RespondInSequence(IRequestBuilder request, params IResponseBuilder[] responses)
    {
        var scenario = Guid.NewGuid().ToString();
        for (var i = 0; i < responses.Length; i++)
        {
            var mapping = Server.Given(request).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"step{i}");
            }

            if (i < responses.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"step{i + 1}");
            }

            mapping.RespondWith(responses[i]);
        }
    }

    public IReadOnlyList<IRequestMessage> Requests => Server.LogEntries.Select(e => e.RequestMessage).OfType<IRequestMessage>().ToList();

    public void Dispose() => Server.Stop();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>The query string with keys and values percent-decoded.</summary>
    public static Dictionary<string, string> DecodedQuery(IRequestMessage request) =>
        (request.RawQuery ?? "").TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => Uri.UnescapeDataString(kv[0]), kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "");

    public static IResponseBuilder Json(int status, string body, string requestId = "req_123") =>
        Response.Create()
            .WithStatusCode(status)
            .WithHeader("Content-Type", status >= 400 ? "application/problem+json" : "application/json")
            .WithHeader("Request-Id", requestId)
            .WithBody(body);

    public static IResponseBuilder Problem(int status, string code, string? declineCode = null, string? param = null, string requestId = "req_err", string? paymentJson = null) =>
        Json(status, $$"""
            {"type":"https://docs.paymentgateway.dev/errors/{{code}}","title":"Error","status":{{status}},"detail":"Detail for {{code}}.","code":"{{code}}"{{(param is null ? "" : $",\"param\":\"{param}\"")}}{{(declineCode is null ? "" : $",\"decline_code\":\"{declineCode}\"")}},"request_id":"{{requestId}}"{{(paymentJson is null ? "" : $",\"payment\":{paymentJson}")}}}
            """, requestId);

    public static string PaymentJson(string id = "pay_1", string status = "requires_capture", long amount = 1999) => $$"""
        {"id":"{{id}}","object":"payment","livemode":false,"status":"{{status}}","amount":{{amount}},"currency":"EUR",
         "amount_capturable":{{amount}},"amount_received":0,"amount_refunded":0,"capture_method":"manual",
         "payment_method":"pm_1","customer":null,"description":null,"metadata":{"order":"42"},"return_url":null,
         "provider":"simulator","next_action":null,"last_payment_error":null,"canceled_at":null,"cancellation_reason":null,
         "created":"2025-01-02T03:04:05.678Z","updated":"2025-01-02T03:04:06Z"}
        """;

    public static string RefundJson(string id = "re_1", string status = "succeeded") => $$"""
        {"id":"{{id}}","object":"refund","livemode":false,"payment":"pay_1","amount":500,"currency":"EUR","status":"{{status}}",
         "reason":null,"failure_reason":null,"metadata":{},"created":"2025-01-02T03:04:05Z","updated":"2025-01-02T03:04:05Z"}
        """;

    public static string PaymentMethodJson(string id = "pm_1") => $$"""
        {"id":"{{id}}","object":"payment_method","livemode":false,"type":"card",
         "card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030,"fingerprint":"fp_1"},
         "holder_name":"Ada","created":"2025-01-02T03:04:05Z"}
        """;

    public static string PageJson(bool hasMore, params string[] items) =>
        $$"""{"object":"list","data":[{{string.Join(",", items)}}],"has_more":{{(hasMore ? "true" : "false")}}}""";
}
