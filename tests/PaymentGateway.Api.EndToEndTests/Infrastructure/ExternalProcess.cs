using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// A program the suite runs beside the gateway (Debian's nginx, Caddy, Prometheus, Alertmanager, openssl), always in
/// the foreground: its output goes to a log file, and it is killed with its children on dispose and when the test host
/// exits, so nothing outlives a failed test. Ports are chosen by the caller with <see cref="FreeLoopbackPort"/>.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter _log;

    static ExternalProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                Stop(process);
            }
        };
    }

    /// <summary>Kills <paramref name="process"/> if the test host exits first (GatewayProcess uses this too).</summary>
    internal static void Track(Process process) => Running[process.Id] = process;

    /// <summary>Forgets a process that has been stopped.</summary>
    internal static void Untrack(Process process) => Running.TryRemove(process.Id, out _);

    private ExternalProcess(Process process, string name, StreamWriter log)
    {
        _process = process;
        Name = name;
        _log = log;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The program's full path on PATH, or null when it is not installed.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="program"/> with its output appended to <paramref name="logFile"/>.</summary>
    public static ExternalProcess Start(string program, IEnumerable<string> arguments, string logFile, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Find(program) ?? throw new InvalidOperationException($"'{program}' is not installed (see .ci/run's install step)."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(logFile) ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logFile, append: true, new UTF8Encoding(false)) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var external = new ExternalProcess(process, program, log);
        process.OutputDataReceived += (_, e) => external.Append(e.Data);
        process.ErrorDataReceived += (_, e) => external.Append(e.Data);
        process.Start();
        Track(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return external;
    }

    /// <summary>Runs <paramref name="program"/> to completion (bounded by <paramref name="timeout"/>); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string logFile,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        await using var process = Start(program, arguments, logFile, environment);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{program} did not finish within {timeout ?? TimeSpan.FromSeconds(30)}:\n{process.Output()}");
        }

        process._process.WaitForExit(); // drains the redirected output
        return (process._process.ExitCode, process.Output());
    }

    /// <summary>What the program printed so far.</summary>
    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts connections; fails early if the program exits.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan? timeout = null)
    {
        var until = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTimeOffset.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before listening on {port}:\n{Output()}");
            }

            try
            {
                using var client = new TcpClient(AddressFamily.InterNetwork);
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{Name} is not listening on {port} after {timeout ?? TimeSpan.FromSeconds(30)}:\n{Output()}");
    }

    public async ValueTask DisposeAsync()
    {
        Stop(_process);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        Untrack(_process);
        lock (_output)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after dispose is dropped.
            }
        }
    }

    /// <summary>Kills the process and its children, if it still runs.</summary>
    internal static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // nginx: the master and its workers
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
