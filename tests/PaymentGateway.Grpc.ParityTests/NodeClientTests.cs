using System.Diagnostics;
using PaymentGateway.Grpc.ParityTests.Infrastructure;

namespace PaymentGateway.Grpc.ParityTests;

/// <summary>
/// A client no one here wrote: Node.js with @grpc/grpc-js and @grpc/proto-loader from npm, using only the published
/// .proto files (tests/grpc-node/client.js), against the real gateway; and buf lint of those files.
/// </summary>
[Collection(ParityCollection.Name)]
public sealed class NodeClientTests(ParityFixture fixture)
{
    [NodeFact]
    public async Task NodeGrpcClient_FromThePublishedProtos_RunsTheLifecycle()
    {
        var merchant = await fixture.Server.CreateMerchantAsync("Node merchant");
        var address = fixture.Server.GrpcAddress ?? throw new InvalidOperationException("no gRPC address");
        await NodeTool.EnsurePackagesAsync();

        var (exit, output) = await NodeTool.RunAsync("node", "client.js", $"{address.Host}:{address.Port}", merchant.SecretKey, merchant.PublishableKey);

        Assert.True(exit == 0, $"node client.js exited {exit}:\n{output}");
        Assert.Contains("all checks passed", output, StringComparison.Ordinal);
    }

    [NodeFact]
    public async Task PublishedProtos_PassBufLint()
    {
        await NodeTool.EnsurePackagesAsync();

        var (exit, output) = await NodeTool.RunAsync("npm", "run", "--silent", "lint:proto");

        Assert.True(exit == 0, $"buf lint failed:\n{output}");
    }
}

/// <summary>A fact that needs Node.js and npm; skipped, with the reason, when they are not on PATH.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (NodeTool.Missing() is { } missing)
        {
            Skip = $"'{missing}' is not on PATH: install Node.js 20+ and npm to run the non-.NET gRPC client tests.";
        }
    }
}

internal static class NodeTool
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>tests/grpc-node in this repository.</summary>
    public static string Directory { get; } = FindClientDirectory();

    public static string? Missing() => new[] { "node", "npm" }.FirstOrDefault(tool => !OnPath(tool));

    /// <summary>Runs <c>npm ci</c> once when node_modules is missing (the lock file pins every package).</summary>
    public static async Task EnsurePackagesAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@grpc", "grpc-js")))
            {
                return;
            }

            var (exit, output) = await RunAsync("npm", "ci", "--no-audit", "--no-fund");
            Assert.True(exit == 0, $"npm ci failed:\n{output}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)) || File.Exists(Path.Combine(dir, tool + ".cmd")) || File.Exists(Path.Combine(dir, tool + ".exe")));

    private static string FindClientDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "grpc-node");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        // Built outside the tree (for example with --artifacts-path): fall back to the source location of this file.
        return Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "grpc-node"));
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";
}
