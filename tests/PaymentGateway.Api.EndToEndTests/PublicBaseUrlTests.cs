using Microsoft.Extensions.Options;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Where the absolute URLs the gateway emits come from (docs/decisions.md, "Deploy: TLS, proxies, compose, alerts"):
/// <c>PaymentGateway:PublicBaseUrl</c> when set, whatever the request says; otherwise the request's own scheme and
/// host, which forwarded headers may replace only when they come from a configured proxy. ReverseProxyTests covers
/// the same through real nginx and Caddy.
/// </summary>
public sealed class PublicBaseUrlTests
{
    [Fact]
    public async Task PublicBaseUrl_WinsOverTrustedForwardedHeaders_ForCheckoutAndThreeDSecureUrls()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:PublicBaseUrl"] = "https://pay.example.test/",
            ["PaymentGateway:ForwardedHeaders:KnownProxies"] = "127.0.0.1", // the test client is a trusted proxy
        });
        var merchant = await server.CreateMerchantAsync();
        var api = server.Client(merchant.SecretKey);
        api.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "http");
        api.Http.DefaultRequestHeaders.Add("X-Forwarded-Host", "other.example");

        var session = (await api.PostAsync("/v1/checkout/sessions", CheckoutSessionTests.SessionBody())).EnsureStatus(200);
        Assert.Equal($"https://pay.example.test/checkout/{session.Str("id")}", session.Str("url"));

        var payment = (await Flows.PayAsync(server, merchant, number: TestCards.ThreeDSecure)).EnsureStatus(200);
        Assert.Equal("requires_action", payment.Str("status"));
        var challenge = payment.Json.GetProperty("next_action").GetProperty("redirect_to_url").GetProperty("url").GetString();
        Assert.StartsWith("https://pay.example.test/simulator/challenge/", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedHeaders_WithNoProxyConfigured_AreIgnoredEvenFromLoopback()
    {
        // ASP.NET Core's own default would trust loopback; the gateway trusts nothing it was not told to.
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:PublicBaseUrl"] = "" });
        var merchant = await server.CreateMerchantAsync();
        var api = server.Client(merchant.SecretKey);
        api.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        api.Http.DefaultRequestHeaders.Add("X-Forwarded-Host", "evil.example");

        var session = (await api.PostAsync("/v1/checkout/sessions", CheckoutSessionTests.SessionBody())).EnsureStatus(200);

        Assert.Equal($"{server.BaseAddress.ToString().TrimEnd('/')}/checkout/{session.Str("id")}", session.Str("url"));
    }

    [Theory]
    [InlineData("PaymentGateway:ForwardedHeaders:KnownProxies", "127.0.0.1;10.0.0.300", "PaymentGateway:ForwardedHeaders:KnownProxies: '10.0.0.300' is not an IP address")]
    [InlineData("PaymentGateway:ForwardedHeaders:KnownNetworks", "10.0.0.1/8", "PaymentGateway:ForwardedHeaders:KnownNetworks: '10.0.0.1/8' is not a network")]
    [InlineData("PaymentGateway:ForwardedHeaders:ForwardLimit", "0", "ForwardLimit")]
    [InlineData("PaymentGateway:PublicBaseUrl", "pay.example.com", "PaymentGateway:PublicBaseUrl must be an absolute https:// (or http://) origin")]
    [InlineData("PaymentGateway:PublicBaseUrl", "https://pay.example.com/shop", "PaymentGateway:PublicBaseUrl must be an absolute https:// (or http://) origin")]
    [InlineData("PaymentGateway:PublicBaseUrl", "ftp://pay.example.com", "PaymentGateway:PublicBaseUrl must be an absolute https:// (or http://) origin")]
    public async Task Startup_WithAMalformedProxyOrPublicBaseUrlSetting_FailsNamingIt(string setting, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayServer.StartAsync(new Dictionary<string, string?> { [setting] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
