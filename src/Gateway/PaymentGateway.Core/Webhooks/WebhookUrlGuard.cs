using System.Net;
using System.Net.Sockets;

namespace PaymentGateway.Core.Webhooks;

/// <summary>Resolves host names for webhook URLs; substitutable in tests.</summary>
public interface IWebhookHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>
/// Server-side request forgery protection for webhook URLs. A URL is refused when its host is, or resolves to, any
/// address that is not publicly routable (loopback, private, link-local including cloud metadata, carrier-grade NAT,
/// multicast, reserved, IPv6 unique-local, and IPv4 addresses hidden in IPv4-mapped, NAT64 or 6to4 IPv6). The
/// sender checks the address again at connect time, so a DNS answer that changes later cannot get around it.
/// </summary>
public sealed class WebhookUrlGuard(IWebhookHostResolver resolver, bool allowPrivateNetworks)
{
    public const int MaxUrlLength = 2048;

    public bool AllowPrivateNetworks { get; } = allowPrivateNetworks;

    /// <summary>Checks syntax and the resolved addresses; returns the normalized URL or throws a 400 with <c>param: url</c>.</summary>
    public async Task<Uri> ValidateAsync(string? url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw GatewayException.Missing("url");
        }

        if (url.Length > MaxUrlLength || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            throw GatewayException.Invalid(ErrorCodes.UrlInvalid, "url must be an absolute http or https URL of at most 2048 characters.", "url");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw GatewayException.Invalid(ErrorCodes.UrlInvalid, "url must not contain user information or a fragment.", "url");
        }

        if (AllowPrivateNetworks)
        {
            return uri;
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolver.ResolveAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                addresses = [];
            }

            if (addresses.Length == 0)
            {
                throw GatewayException.Invalid(ErrorCodes.UrlInvalid, "url's host name does not resolve.", "url");
            }
        }

        if (addresses.Any(a => !IsPublic(a)))
        {
            throw GatewayException.Invalid(ErrorCodes.UrlNotAllowed,
                "url points to a loopback, private, link-local or otherwise internal address; webhooks go to public addresses only.", "url");
        }

        return uri;
    }

    /// <summary>True when the gateway may connect to <paramref name="address"/>.</summary>
    public bool IsAllowed(IPAddress address) => AllowPrivateNetworks || IsPublic(address);

    /// <summary>True for publicly routable unicast addresses only.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPublicV4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublicV4(address.MapToIPv4().GetAddressBytes());
        }

        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return false;
        }

        // 64:ff9b::/96 NAT64: judge the embedded IPv4 address.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            return IsPublicV4(b[12..16]);
        }

        // ::/96 (IPv4-compatible, deprecated) and the rest of ::/8 are not public.
        if (b[0] == 0)
        {
            return false;
        }

        // 2002::/16 6to4: judge the embedded IPv4 address.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPublicV4(b[2..6]);
        }

        return !(
            (b[0] & 0xfe) == 0xfc || // fc00::/7 unique local (includes fd00:ec2::254, the AWS metadata address)
            (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || // fe80::/10 link-local
            (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) || // fec0::/10 site-local (deprecated)
            b[0] == 0xff || // ff00::/8 multicast
            (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || // 2001:db8::/32 documentation
            (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) || // 2001::/32 Teredo
            (b[0] == 0x01 && b[1] == 0x00 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0)); // 100::/64 discard
    }

    private static bool IsPublicV4(ReadOnlySpan<byte> b) => !(
        b[0] == 0 || // 0.0.0.0/8 "this network"
        b[0] == 10 || // 10.0.0.0/8 private
        b[0] == 127 || // loopback
        (b[0] == 100 && (b[1] & 0xc0) == 64) || // 100.64.0.0/10 carrier-grade NAT
        (b[0] == 169 && b[1] == 254) || // 169.254.0.0/16 link-local, cloud metadata (169.254.169.254)
        (b[0] == 172 && (b[1] & 0xf0) == 16) || // 172.16.0.0/12 private
        (b[0] == 192 && b[1] == 0 && b[2] == 0) || // 192.0.0.0/24 IETF protocol assignments
        (b[0] == 192 && b[1] == 0 && b[2] == 2) || // 192.0.2.0/24 TEST-NET-1
        (b[0] == 192 && b[1] == 88 && b[2] == 99) || // 192.88.99.0/24 6to4 relay
        (b[0] == 192 && b[1] == 168) || // 192.168.0.0/16 private
        (b[0] == 198 && (b[1] & 0xfe) == 18) || // 198.18.0.0/15 benchmarking
        (b[0] == 198 && b[1] == 51 && b[2] == 100) || // 198.51.100.0/24 TEST-NET-2
        (b[0] == 203 && b[1] == 0 && b[2] == 113) || // 203.0.113.0/24 TEST-NET-3
        b[0] >= 224); // 224.0.0.0/4 multicast, 240.0.0.0/4 reserved, 255.255.255.255 broadcast
}
