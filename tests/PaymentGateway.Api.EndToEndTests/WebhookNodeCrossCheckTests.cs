using System.Diagnostics;
using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Cross-checks the gateway's signatures with the official <c>standardwebhooks</c> npm package (tests/webhooks-node):
/// runs <c>npm ci</c> when node_modules is missing, then <c>node verify.js</c> on webhooks the gateway really sent.
/// Without node and npm on PATH the test reports why and passes without checking — except in CI (<c>CI=true</c>),
/// where .ci/run installs Node.js, so a missing node is a failure rather than a silent pass.
/// </summary>
public sealed class WebhookNodeCrossCheckTests(WebhookGatewayFixture fixture, ITestOutputHelper output) : IClassFixture<WebhookGatewayFixture>
{
    [Fact]
    public async Task Official_standardwebhooks_library_verifies_what_the_gateway_sent()
    {
        var directory = NodeProjectDirectory();
        var node = FindOnPath("node");
        var npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "CI must run the standardwebhooks cross-check, but node/npm are not on PATH.");
            output.WriteLine("SKIPPED: node and npm are not on PATH; install Node.js to run the standardwebhooks cross-check.");
            return;
        }

        if (!Directory.Exists(Path.Combine(directory, "node_modules", "standardwebhooks")))
        {
            var (code, text) = await RunAsync(npm, ["ci", "--no-audit", "--no-fund"], directory, TimeSpan.FromMinutes(5));
            Assert.True(code == 0, $"npm ci failed ({code}): {text}");
        }

        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await fixture.Server.CreateMerchantAsync();
        var client = fixture.Server.Client(merchant.SecretKey);
        var (endpointId, oldSecret) = await Webhooks.CreateEndpointAsync(client, receiver.Url, "payment.created");
        var first = await Webhooks.CreatePaymentEventAsync(fixture.Server, merchant);
        var hook = (await receiver.WaitForAsync(r => r.Any(h => h.Id == first))).First(h => h.Id == first);

        // During a rotation overlap there are two signatures; the library must accept either secret.
        var rotated = (await client.PostAsync($"/v1/webhook_endpoints/{endpointId}/rotate_secret", new { overlap_seconds = 600 })).EnsureStatus(200);
        var newSecret = rotated.Str("secret") ?? throw new InvalidOperationException("no secret");
        var second = await Webhooks.CreatePaymentEventAsync(fixture.Server, merchant);
        var rotatedHook = (await receiver.WaitForAsync(r => r.Any(h => h.Id == second))).First(h => h.Id == second);

        await VerifyWithNodeAsync(node, directory, oldSecret, hook, expectValid: true);
        await VerifyWithNodeAsync(node, directory, newSecret, rotatedHook, expectValid: true);
        await VerifyWithNodeAsync(node, directory, oldSecret, rotatedHook, expectValid: true);
        await VerifyWithNodeAsync(node, directory, newSecret, hook, expectValid: false);
        await VerifyWithNodeAsync(node, directory, oldSecret, hook with { Body = hook.Body.Replace("\"livemode\":false", "\"livemode\":true", StringComparison.Ordinal) },
            expectValid: false);
    }

    private async Task VerifyWithNodeAsync(string node, string directory, string secret, ReceivedWebhook hook, bool expectValid)
    {
        var file = Path.Combine(Path.GetTempPath(), $"webhook-case-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["secret"] = secret,
            ["headers"] = new Dictionary<string, string?>
            {
                ["webhook-id"] = hook.Id,
                ["webhook-timestamp"] = hook.Timestamp,
                ["webhook-signature"] = hook.Signature,
            },
            ["body"] = hook.Body,
            ["expect_invalid"] = !expectValid,
        }));
        try
        {
            var (code, text) = await RunAsync(node, ["verify.js", file], directory, TimeSpan.FromMinutes(1));
            output.WriteLine(text);
            Assert.True(code == 0, $"node verify.js (expect {(expectValid ? "valid" : "invalid")}) exited {code}: {text}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>tests/webhooks-node, found from the test binary upwards (source paths are mapped away in CI builds).</summary>
    private static string NodeProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "webhooks-node");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/webhooks-node not found above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? new[] { name + ".cmd", name + ".exe" } : [name])
            {
                var path = Path.Combine(dir, candidate);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}.");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
