using System.ComponentModel.DataAnnotations;
using System.Net;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Configuration section <c>PaymentGateway:ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c>,
/// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> the gateway believes. Nothing is trusted by default (not even
/// loopback): a request's scheme, host and client address are the connection's own unless it comes from one of these.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "PaymentGateway:ForwardedHeaders";

    private static readonly char[] Separators = [';', ',', ' '];

    /// <summary>The proxies' IP addresses, separated by <c>;</c>, <c>,</c> or spaces: <c>127.0.0.1</c>, <c>10.0.0.5;10.0.0.6</c>.</summary>
    public string? KnownProxies { get; set; }

    /// <summary>The proxies' networks in CIDR notation, separated by <c>;</c>, <c>,</c> or spaces: <c>10.20.0.0/16</c>.</summary>
    public string? KnownNetworks { get; set; }

    /// <summary>How many trusted proxies in a row are unwound from <c>X-Forwarded-For</c> (1: one nginx or Caddy in front).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>True when at least one proxy or network is configured.</summary>
    public bool Enabled => Entries(KnownProxies).Count > 0 || Entries(KnownNetworks).Count > 0;

    /// <summary>The parsed <see cref="KnownProxies"/>; entries that do not parse are left out (the validator names them).</summary>
    public IReadOnlyList<IPAddress> Proxies() =>
        [.. Entries(KnownProxies).Select(e => IPAddress.TryParse(e, out var address) ? address : null).OfType<IPAddress>()];

    /// <summary>The parsed <see cref="KnownNetworks"/>; entries that do not parse are left out (the validator names them).</summary>
    public IReadOnlyList<IPNetwork> Networks()
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in Entries(KnownNetworks))
        {
            if (TryParseNetwork(entry, out var network))
            {
                networks.Add(network);
            }
        }

        return networks;
    }

    /// <summary>What is wrong with the settings, one message per bad entry naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var entry in Entries(KnownProxies).Where(e => !IPAddress.TryParse(e, out _)))
        {
            problems.Add($"{SectionName}:{nameof(KnownProxies)}: '{entry}' is not an IP address (for a range, use {nameof(KnownNetworks)} with CIDR notation such as 10.0.0.0/8).");
        }

        foreach (var entry in Entries(KnownNetworks).Where(e => !TryParseNetwork(e, out _)))
        {
            problems.Add($"{SectionName}:{nameof(KnownNetworks)}: '{entry}' is not a network in CIDR notation such as 10.0.0.0/8 (the address must have no bits set past the prefix).");
        }

        return problems;
    }

    /// <summary>CIDR notation whose address is the network's own (10.0.0.0/8, not 10.0.0.1/8, which may mean one host).</summary>
    private static bool TryParseNetwork(string entry, out IPNetwork network)
    {
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        return IPNetwork.TryParse(entry, out network) && slash > 0
            && IPAddress.TryParse(entry.AsSpan(0, slash), out var address) && network.BaseAddress.Equals(address);
    }

    private static List<string> Entries(string? value) =>
        [.. (value ?? string.Empty).Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
