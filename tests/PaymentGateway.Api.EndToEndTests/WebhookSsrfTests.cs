using System.Net;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Webhooks;
using PaymentGateway.Host.Webhooks;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>A gateway with the production setting: webhook URLs must not reach internal networks.</summary>
public sealed class StrictWebhookGatewayFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    public async Task InitializeAsync() =>
        _server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Webhooks:AllowPrivateNetworks"] = "false" });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class WebhookSsrfTests(StrictWebhookGatewayFixture fixture) : IClassFixture<StrictWebhookGatewayFixture>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hooks")]
    [InlineData("http://127.1.2.3/hooks")]
    [InlineData("http://10.0.0.5/hooks")]
    [InlineData("http://172.16.4.4/hooks")]
    [InlineData("http://192.168.1.10/hooks")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://100.64.0.1/hooks")]
    [InlineData("http://0.0.0.0/hooks")]
    [InlineData("http://localhost:8080/hooks")]
    [InlineData("http://[::1]/hooks")]
    [InlineData("http://[::ffff:127.0.0.1]/hooks")]
    [InlineData("http://[::ffff:169.254.169.254]/hooks")]
    [InlineData("http://[fd00:ec2::254]/hooks")]
    [InlineData("http://[fe80::1]/hooks")]
    [InlineData("http://2130706433/hooks")] // 127.0.0.1 as one decimal number
    [InlineData("http://0x7f000001/hooks")] // 127.0.0.1 in hex
    public async Task Internal_addresses_are_refused(string url)
    {
        var merchant = await fixture.Server.CreateMerchantAsync();
        var response = await fixture.Server.Client(merchant.SecretKey).PostAsync("/v1/webhook_endpoints", new { url, enabled_events = new[] { "*" } });
        Problem.Assert(response, 400, "url_not_allowed", "url");
    }

    [Fact]
    public async Task Updating_to_an_internal_address_is_refused_too()
    {
        var merchant = await fixture.Server.CreateMerchantAsync();
        var client = fixture.Server.Client(merchant.SecretKey);
        var created = (await client.PostAsync("/v1/webhook_endpoints", new { url = "https://93.184.215.14/hooks", enabled_events = new[] { "*" } })).EnsureStatus(200);
        Problem.Assert(await client.PostAsync($"/v1/webhook_endpoints/{created.Str("id")}", new { url = "http://169.254.169.254/" }), 400, "url_not_allowed", "url");
    }

    [Fact]
    public async Task A_public_address_is_accepted()
    {
        var merchant = await fixture.Server.CreateMerchantAsync();
        var response = await fixture.Server.Client(merchant.SecretKey).PostAsync("/v1/webhook_endpoints",
            new { url = "https://93.184.215.14/hooks", enabled_events = new[] { "payment.succeeded" } });
        response.EnsureStatus(200);
    }

    [Fact]
    public async Task Connect_time_check_stops_dns_rebinding_to_loopback()
    {
        // The name looked public when the endpoint was registered; at delivery time it resolves to 127.0.0.1.
        await using var receiver = await WebhookReceiver.StartAsync();
        var resolver = new FixedResolver(IPAddress.Loopback);
        using var sender = new HttpWebhookSender(new WebhookUrlGuard(resolver, allowPrivateNetworks: false), resolver, TimeProvider.System);

        var result = await sender.SendAsync(new WebhookRequest
        {
            Url = new Uri($"http://rebind.example:{receiver.BaseAddress.Port}/hooks"),
            WebhookId = "evt_test",
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Signature = "v1,AAAA",
            Body = "{}"u8.ToArray(),
            Timeout = TimeSpan.FromSeconds(5),
        }, CancellationToken.None);

        Assert.Equal("address_not_allowed", result.Error);
        Assert.Null(result.StatusCode);
        Assert.Empty(receiver.Received);

        // The same sender with the development setting reaches it: the check, not the network, stopped it.
        using var devSender = new HttpWebhookSender(new WebhookUrlGuard(resolver, allowPrivateNetworks: true), resolver, TimeProvider.System);
        var allowed = await devSender.SendAsync(new WebhookRequest
        {
            Url = new Uri($"http://rebind.example:{receiver.BaseAddress.Port}/hooks"),
            WebhookId = "evt_test",
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Signature = "v1,AAAA",
            Body = "{}"u8.ToArray(),
            Timeout = TimeSpan.FromSeconds(5),
        }, CancellationToken.None);
        Assert.Equal(200, allowed.StatusCode);
    }

    [Fact]
    public async Task A_host_resolving_to_a_private_address_is_refused_at_registration()
    {
        var guard = new WebhookUrlGuard(new FixedResolver(IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.1.2.3")), allowPrivateNetworks: false);
        var error = await Assert.ThrowsAsync<PaymentGateway.Core.GatewayException>(() => guard.ValidateAsync("https://mixed.example/hooks", CancellationToken.None));
        Assert.Equal("url_not_allowed", error.Code);
    }

    private sealed class FixedResolver(params IPAddress[] addresses) : IWebhookHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(addresses);
    }
}
