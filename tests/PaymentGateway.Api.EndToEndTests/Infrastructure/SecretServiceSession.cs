using System.Diagnostics;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// A private D-Bus session with GNOME Keyring's Secret Service on it (Debian's dbus and gnome-keyring), unlocked with a
/// throwaway password, for the CLI's key-store tests; stopped (the bus, and the keyring with it) on dispose.
/// </summary>
public sealed class SecretServiceSession : IAsyncDisposable
{
    private readonly int _busPid;
    private readonly string _home;

    private SecretServiceSession(string address, int busPid, string home)
    {
        Address = address;
        _busPid = busPid;
        _home = home;
    }

    public string Address { get; }

    public static async Task<SecretServiceSession> StartAsync(string home)
    {
        Directory.CreateDirectory(home);
        var (exit, output) = await RunAsync("dbus-daemon", ["--session", "--fork", "--print-address=1", "--print-pid=1"], null, home, null);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (exit != 0 || lines.Length < 2)
        {
            throw new InvalidOperationException($"dbus-daemon did not start: {output}");
        }
        var session = new SecretServiceSession(lines[0], int.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture), home);
        var (unlocked, said) = await RunAsync("gnome-keyring-daemon", ["--unlock", "--components=secrets"], "throwaway-test-password", home, session.Address);
        if (unlocked != 0)
        {
            await session.DisposeAsync();
            throw new InvalidOperationException($"gnome-keyring-daemon did not start: {said}");
        }
        return session;
    }

    /// <summary>What <c>secret-tool lookup</c> finds for the CLI's entry of <paramref name="profile"/>, straight from the keyring.</summary>
    public string? Lookup(string profile)
    {
        var (exit, output) = RunAsync("secret-tool", ["lookup", "service", "pgw", "profile", profile], null, _home, Address).GetAwaiter().GetResult();
        return exit == 0 && output.Length > 0 ? output.Trim() : null;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, string? input, string home, string? bus)
    {
        var start = new ProcessStartInfo(ExternalProcess.Find(program) ?? throw new InvalidOperationException($"'{program}' is not installed (see .ci/run's install step)."))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HOME"] = home;
        start.Environment["XDG_RUNTIME_DIR"] = home;
        if (bus is not null)
        {
            start.Environment["DBUS_SESSION_BUS_ADDRESS"] = bus;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output) + (await error));
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            using var bus = Process.GetProcessById(_busPid);
            bus.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        return ValueTask.CompletedTask;
    }
}
