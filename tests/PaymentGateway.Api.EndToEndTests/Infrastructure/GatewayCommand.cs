using System.Diagnostics;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>What a gateway process that ended printed, and its exit code.</summary>
public sealed record GatewayExit(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public IReadOnlyList<string> ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Runs the built gateway (<c>dotnet PaymentGateway.Host.dll args…</c>) to its end, as an operator does for a start that
/// should fail or a <c>host</c> command: Production environment, configured by <paramref name="settings"/> as
/// environment variables, nothing inherited from the test host, REST and gRPC on free loopback ports unless the test
/// names them; killed after the time limit.
/// </summary>
public static class GatewayCommand
{
    public static async Task<GatewayExit> RunAsync(IDictionary<string, string?> settings, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PaymentGateway.Host.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = GatewayServer.TestRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(AppContext.BaseDirectory);
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("PaymentGateway__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Never the appsettings ports (5080, 5081): tests run in parallel with each other and with a gateway a person
        // started, and a start-up error test must meet its own error, not "port in use". A test that wants a port says so.
        if (!args.Contains("--urls", StringComparer.Ordinal) && !settings.ContainsKey("Urls"))
        {
            start.Environment["Urls"] = $"http://127.0.0.1:{ExternalProcess.FreeLoopbackPort()}";
        }
        start.Environment["PaymentGateway__GrpcUrl"] = $"http://127.0.0.1:{ExternalProcess.FreeLoopbackPort()}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        ExternalProcess.Track(process);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            ExternalProcess.Stop(process);
            throw new TimeoutException($"The gateway did not exit within 90 s:\n{await stdout}\n{await stderr}");
        }
        finally
        {
            ExternalProcess.Untrack(process);
        }

        return new GatewayExit(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }
}
