using System.Diagnostics;
using System.Net;
using System.Text;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// The built gateway (<c>PaymentGateway.Host.dll</c>, copied next to the tests) as its own OS process, started with
/// <c>dotnet &lt;dll&gt;</c> and configured only through environment variables and the command line, as an operator
/// runs it. Its console output goes to a file in its data directory. <see cref="Kill"/> is <c>kill -9</c>; disposing
/// kills whatever still runs, and every process still alive when the test host exits is killed too.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _output;
    private readonly object _outputGate = new();

    private GatewayProcess(Process process, Uri baseAddress, string dataDirectory, string outputFile, StreamWriter output)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        OutputFile = outputFile;
        _output = output;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    /// <summary>stdout and stderr of the process.</summary>
    public string OutputFile { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts a node with <paramref name="settings"/> (configuration keys such as <c>PaymentGateway:Storage:Engine</c>,
    /// passed as <c>PaymentGateway__Storage__Engine</c> environment variables) and waits until <c>/health/ready</c>
    /// answers 200. Reuses <paramref name="dataDirectory"/> when given (a restart on the same data).
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(IDictionary<string, string?> settings, string? dataDirectory = null, TimeSpan? readyTimeout = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PaymentGateway.Host.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The gateway host is not next to the tests; build the solution first.", dll);
        }

        dataDirectory ??= Path.Combine(GatewayServer.TestRoot, "process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var baseAddress = new Uri($"http://127.0.0.1:{ExternalProcess.FreeLoopbackPort()}");
        var outputFile = Path.Combine(dataDirectory, $"node-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}-{Guid.NewGuid().ToString("N")[..6]}.log");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(AppContext.BaseDirectory);

        // Nothing from the test host's own configuration leaks into the node.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("PaymentGateway__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["PaymentGateway__DataDirectory"] = dataDirectory;
        start.Environment["PaymentGateway__PublicBaseUrl"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["PaymentGateway__GrpcUrl"] = string.Empty;
        start.Environment["PaymentGateway__SeedDemoMerchant"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        var output = new StreamWriter(outputFile, append: false, Encoding.UTF8) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new GatewayProcess(process, baseAddress, dataDirectory, outputFile, output);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        ExternalProcess.Track(process); // killed if the test host exits first
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await node.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>A client with the given bearer key (or none).</summary>
    public GatewayClient Client(string? key) => new(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) }, key);

    /// <summary><c>kill -9</c>: no shutdown, no flush, no finally blocks in the gateway.</summary>
    public void Kill()
    {
        ExternalProcess.Stop(_process);
        _process.WaitForExit(10_000);
        ExternalProcess.Untrack(_process);
    }

    /// <summary>What the process printed so far.</summary>
    public string Output()
    {
        lock (_outputGate)
        {
            using var stream = new FileStream(OutputFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
    }

    /// <summary>CPU seconds (user + system) the process has used, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public double CpuSeconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        lock (_outputGate)
        {
            _output.Dispose();
        }

        ExternalProcess.Untrack(_process);
        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Gateway process exited with {_process.ExitCode} before it was ready:\n{Output()}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Gateway process not ready after {timeout}:\n{Output()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            try
            {
                _output.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after dispose is dropped.
            }
        }
    }
}
