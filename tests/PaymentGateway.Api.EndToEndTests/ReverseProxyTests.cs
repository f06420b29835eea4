using System.Net;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using Payments.V1;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// TLS behind a real reverse proxy (docs/operations.md, "TLS behind nginx or Caddy"): Debian's nginx and Caddy, each
/// running the configuration under deploy/, terminate TLS in front of one gateway process; a merchant pays over HTTPS
/// REST, reads the payment back over gRPC on TLS (HTTP/2 through the proxy to the h2c port), and creates a hosted
/// checkout session whose URL is the proxy's https address. Forwarded headers count only from the configured proxy.
/// Bounded: one gateway, two proxies, about ten seconds.
/// </summary>
public sealed class ReverseProxyTests(ReverseProxyFixture stack) : IClassFixture<ReverseProxyFixture>
{
    private static readonly Method<GetPaymentRequest, GetPaymentResponse> GetPayment = new(
        MethodType.Unary, "payments.v1.PaymentGatewayService", "GetPayment",
        Marshallers.Create((GetPaymentRequest m) => m.ToByteArray(), GetPaymentRequest.Parser.ParseFrom),
        Marshallers.Create((GetPaymentResponse m) => m.ToByteArray(), GetPaymentResponse.Parser.ParseFrom));

    [ToolFact("nginx", "openssl", "caddy")]
    public Task Nginx_TerminatesTlsForRestGrpcAndCheckout_WithHttpsCheckoutUrls() =>
        AssertServedOverTlsAsync(stack.NginxPort, expectedOrigin: $"https://{ReverseProxyFixture.HostName}"); // nginx forwards $host: no port

    [ToolFact("nginx", "openssl", "caddy")]
    public Task Caddy_TerminatesTlsForRestGrpcAndCheckout_WithHttpsCheckoutUrls() =>
        AssertServedOverTlsAsync(stack.CaddyPort, expectedOrigin: $"https://{ReverseProxyFixture.HostName}:{stack.CaddyPort}"); // Caddy forwards the Host header as sent

    [ToolFact("nginx", "openssl", "caddy")]
    public async Task ForwardedHeaders_FromAPeerThatIsNotAKnownProxy_AreIgnored()
    {
        var gateway = Gateway();
        var merchant = await CreateMerchantAsync(new GatewayClient(new HttpClient { BaseAddress = gateway.BaseAddress }, stack.AdminKey));
        var direct = $"http://127.0.0.1:{gateway.BaseAddress.Port}";

        // 127.0.0.2 is the same machine but not the configured proxy (127.0.0.1): its X-Forwarded-* change nothing.
        using var untrusted = new HttpClient(LoopbackConnections.FromSourceAddress(IPAddress.Parse("127.0.0.2"))) { BaseAddress = gateway.BaseAddress };
        var spoofed = await CreateSessionAsync(untrusted, merchant.SecretKey, forwardedProto: "https", forwardedHost: "evil.example");
        Assert.Matches($"^{Regex.Escape(direct)}/checkout/cs_\\w+$", spoofed);

        // The same headers from the configured proxy's address are believed: the check above is not vacuous.
        using var trusted = new HttpClient(LoopbackConnections.FromSourceAddress(IPAddress.Loopback)) { BaseAddress = gateway.BaseAddress };
        var forwarded = await CreateSessionAsync(trusted, merchant.SecretKey, forwardedProto: "https", forwardedHost: "evil.example");
        Assert.Matches("^https://evil\\.example/checkout/cs_\\w+$", forwarded);

        // The operator is told what the gateway trusts, and that PublicBaseUrl is missing outside Development.
        var output = gateway.Output();
        Assert.Contains("believed from proxies [127.0.0.1]", output, StringComparison.Ordinal);
        Assert.Contains("PaymentGateway:PublicBaseUrl is not set", output, StringComparison.Ordinal);
    }

    private async Task AssertServedOverTlsAsync(int proxyPort, string expectedOrigin)
    {
        var certificate = stack.Certificate ?? throw new InvalidOperationException("the reverse proxy stack did not start");
        var proxy = new Uri($"https://{ReverseProxyFixture.HostName}:{proxyPort}");
        using var http = new HttpClient(certificate.Handler()) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(30) };

        // REST over HTTPS: a merchant, a card token (publishable key) and a payment (secret key), all through the proxy.
        var merchant = await CreateMerchantAsync(new GatewayClient(http, stack.AdminKey));
        var pm = (await new GatewayClient(http, merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = "737" },
        })).EnsureStatus(200).Str("id");
        var payment = (await new GatewayClient(http, merchant.SecretKey).PostAsync("/v1/payments", new { amount = 1500, currency = "EUR", payment_method = pm, confirm = true }))
            .EnsureStatus(200);
        Assert.Equal("succeeded", payment.Str("status"));
        Assert.Equal("max-age=31536000", payment.Header("Strict-Transport-Security"));

        // gRPC over TLS: HTTP/2 to the proxy, which passes it to the gateway's h2c port.
        using (var channel = GrpcChannel.ForAddress(proxy, new GrpcChannelOptions { HttpHandler = certificate.Handler() }))
        {
            var read = await channel.CreateCallInvoker().AsyncUnaryCall(GetPayment, null,
                new CallOptions(new Metadata { { "authorization", "Bearer " + merchant.SecretKey } }, deadline: DateTime.UtcNow.AddSeconds(20)),
                new GetPaymentRequest { Id = payment.Str("id") });
            Assert.Equal(payment.Str("id"), read.Payment.Id);
            Assert.Equal(Payments.V1.PaymentStatus.Succeeded, read.Payment.Status);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest())).Status);
        }

        // Hosted checkout: the URL is the proxy's https address, whatever X-Forwarded-* the client itself sent (the
        // proxy replaces them), and the page opens through the proxy.
        var url = await CreateSessionAsync(http, merchant.SecretKey, forwardedProto: "http", forwardedHost: "evil.example");
        Assert.Matches($"^{Regex.Escape(expectedOrigin)}/checkout/cs_\\w+$", url);
        using (var page = await http.GetAsync(new Uri(url).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("id=\"card-number\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // /metrics stays on the private network: the proxy refuses it however it is spelled; the node still serves it.
        foreach (var path in new[] { "/metrics", "/METRICS", "/metrics/" })
        {
            using var metrics = await http.GetAsync(path);
            Assert.True(metrics.StatusCode == HttpStatusCode.NotFound, $"{path} through the proxy answered {(int)metrics.StatusCode}");
            Assert.DoesNotContain("paymentgateway_", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var node = new HttpClient { BaseAddress = Gateway().BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await node.GetAsync("/metrics")).StatusCode);
    }

    private GatewayProcess Gateway() => stack.Gateway ?? throw new InvalidOperationException("the reverse proxy stack did not start");

    private static async Task<TestMerchant> CreateMerchantAsync(GatewayClient admin)
    {
        var id = (await admin.PostAsync("/v1/merchants", new { name = "Behind a proxy" })).EnsureStatus(200).Str("id");
        async Task<string> KeyAsync(string type) =>
            (await admin.PostAsync($"/v1/merchants/{id}/api_keys", new { type, livemode = false })).EnsureStatus(200).Str("secret")
            ?? throw new InvalidOperationException("no secret");
        return new TestMerchant(id ?? throw new InvalidOperationException("no id"), await KeyAsync("secret"), await KeyAsync("publishable"), null, null);
    }

    /// <summary>Creates a checkout session with the given X-Forwarded-* on the request; returns its <c>url</c>.</summary>
    private static async Task<string> CreateSessionAsync(HttpClient http, string secretKey, string forwardedProto, string forwardedHost)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/checkout/sessions")
        {
            Content = JsonContent(CheckoutSessionTests.SessionBody()),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secretKey);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", forwardedProto);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", forwardedHost);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"checkout session: {(int)response.StatusCode} {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("url").GetString() ?? "";
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, TestJson.Options), System.Text.Encoding.UTF8, "application/json");
}
