using System.Security.Cryptography;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>What the gateway process itself holds, seen from the operating system.</summary>
public sealed class HostProcessTests
{
    /// <summary>
    /// Configuration is read once at start. A configuration file watcher is recursive over the content root, where the
    /// default data directory lives, so it woke on every SQLite WAL write (about 12 % of the gateway's CPU under load,
    /// bench/RESULTS.md). Linux shows a watcher as an inotify descriptor (the suite runs on Linux, as CI does).
    /// </summary>
    [Fact]
    public async Task Gateway_process_holds_no_file_watcher()
    {
        var adminKey = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var node = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:AdminKey"] = adminKey,
            ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });

        // Some work first, so anything created lazily (on the first request or write) exists by now.
        (await node.Client(adminKey).PostAsync("/v1/merchants", new { name = "Watcher check" })).EnsureStatus(200);

        var descriptors = Directory.GetFiles($"/proc/{node.ProcessId}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Where(target => target is not null)
            .ToList();
        Assert.NotEmpty(descriptors);
        Assert.DoesNotContain(descriptors, target => target!.Contains("inotify", StringComparison.Ordinal));
    }
}
