using System.Net;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.UnitTests;

public sealed class WebhookUrlGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("192.0.0.1")]
    [InlineData("192.0.2.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("64:ff9b::a00:1")] // NAT64 of 10.0.0.1
    [InlineData("2002:7f00:1::")] // 6to4 of 127.0.0.1
    [InlineData("2001:db8::1")]
    public void Internal_addresses_are_not_public(string address)
    {
        Assert.False(WebhookUrlGuard.IsPublic(IPAddress.Parse(address)));
        Assert.False(new WebhookUrlGuard(new NoDns(), allowPrivateNetworks: false).IsAllowed(IPAddress.Parse(address)));
        Assert.True(new WebhookUrlGuard(new NoDns(), allowPrivateNetworks: true).IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void Public_addresses_are_public(string address)
    {
        Assert.True(WebhookUrlGuard.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://127.0.0.1/x")]
    [InlineData("http://[::1]/x")]
    [InlineData("http://[::ffff:127.0.0.1]/x")]
    [InlineData("http://0x7f.1/x")]
    [InlineData("http://2130706433/x")]
    [InlineData("http://internal.example/x")]
    public async Task Urls_reaching_internal_addresses_are_refused(string url)
    {
        var guard = new WebhookUrlGuard(new FixedDns(IPAddress.Parse("10.9.8.7")), allowPrivateNetworks: false);
        var error = await Assert.ThrowsAsync<GatewayException>(() => guard.ValidateAsync(url, CancellationToken.None));
        Assert.Equal(ErrorCodes.UrlNotAllowed, error.Code);
        Assert.Equal("url", error.Param);
    }

    [Theory]
    [InlineData("ftp://a.example/x")]
    [InlineData("/relative")]
    [InlineData("https://user:pw@a.example/x")]
    [InlineData("https://a.example/x#frag")]
    [InlineData("not a url")]
    public async Task Malformed_urls_are_invalid(string url)
    {
        var guard = new WebhookUrlGuard(new FixedDns(IPAddress.Parse("93.184.215.14")), allowPrivateNetworks: false);
        var error = await Assert.ThrowsAsync<GatewayException>(() => guard.ValidateAsync(url, CancellationToken.None));
        Assert.Equal(ErrorCodes.UrlInvalid, error.Code);
    }

    [Fact]
    public async Task Unresolvable_hosts_are_invalid_and_public_hosts_pass()
    {
        var none = new WebhookUrlGuard(new FixedDns(), allowPrivateNetworks: false);
        Assert.Equal(ErrorCodes.UrlInvalid, (await Assert.ThrowsAsync<GatewayException>(() => none.ValidateAsync("https://nx.example/x", CancellationToken.None))).Code);
        var guard = new WebhookUrlGuard(new FixedDns(IPAddress.Parse("93.184.215.14")), allowPrivateNetworks: false);
        Assert.Equal("https://shop.example/hooks?a=1", (await guard.ValidateAsync("https://shop.example/hooks?a=1", CancellationToken.None)).AbsoluteUri);
    }

    [Fact]
    public async Task The_development_setting_allows_loopback()
    {
        var guard = new WebhookUrlGuard(new NoDns(), allowPrivateNetworks: true);
        Assert.Equal("http://127.0.0.1:9999/x", (await guard.ValidateAsync("http://127.0.0.1:9999/x", CancellationToken.None)).AbsoluteUri);
    }

    private sealed class FixedDns(params IPAddress[] addresses) : IWebhookHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(addresses);
    }

    private sealed class NoDns : IWebhookHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => throw new InvalidOperationException("no DNS in this test");
    }
}
