using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace PaymentGateway.Cli;

/// <summary>
/// Where <c>pgw login</c> keeps a profile's key when the operating system offers better than a file: the Secret Service
/// (GNOME Keyring, KWallet) on Linux through <c>secret-tool</c>, the login keychain on macOS through <c>security</c>,
/// DPAPI (the user's Windows credentials) on Windows. The profile file then names the store instead of holding the key.
/// </summary>
public interface IKeyStore
{
    /// <summary>The name saved in the profile (<c>key_store</c>).</summary>
    string Name { get; }

    /// <summary>Saves the key; false (and nothing saved) when the store is not usable here after all.</summary>
    bool TrySave(string profile, string key, out string? protectedValue);

    /// <summary>The key saved for the profile; null when the store has none.</summary>
    string? Read(string profile, string? protectedValue);

    void Delete(string profile);
}

public static class KeyStores
{
    public const string File = "file";
    public const string SecretService = "secret-service";
    public const string Keychain = "keychain";
    public const string Dpapi = "dpapi";

    /// <summary>The store this machine offers (none: the 0600 file).</summary>
    public static IKeyStore? Offered(CliEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (OperatingSystem.IsWindows())
        {
            return new DpapiKeyStore();
        }
        if (OperatingSystem.IsMacOS())
        {
            return Find("security", env) is { } security ? new KeychainKeyStore(security) : null;
        }
        // The Secret Service lives on the user's D-Bus session: none in a container or an SSH session without one.
        return Find("secret-tool", env) is { } tool && env.Variable("DBUS_SESSION_BUS_ADDRESS") is { } bus ? new SecretServiceKeyStore(tool, bus) : null;
    }

    /// <summary>The store a saved profile names.</summary>
    public static IKeyStore? Named(string name, CliEnvironment env) => name switch
    {
        SecretService or Keychain or Dpapi => Offered(env) is { } store && store.Name == name
            ? store
            : throw new CliException(ExitCodes.Authentication, $"the profile's key is in the {name} key store, which is not reachable here; pass --api-key or PGW_API_KEY, or run pgw login again"),
        _ => null,
    };

    private static string? Find(string program, CliEnvironment env) =>
        (env.Variable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(System.IO.File.Exists);

    /// <summary>Runs a helper program with input on stdin (never a key on its command line); its exit code and stdout.</summary>
    internal static (int Exit, string Output) Run(string program, IEnumerable<string> arguments, string? input, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
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
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new CliException(ExitCodes.Usage, $"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "");
        }
        return (process.ExitCode, output.Result);
    }
}

/// <summary>Linux: the Secret Service over the user's D-Bus session, through libsecret's <c>secret-tool</c>.</summary>
internal sealed class SecretServiceKeyStore(string tool, string bus) : IKeyStore
{
    public string Name => KeyStores.SecretService;

    private Dictionary<string, string> Environment => new(StringComparer.Ordinal) { ["DBUS_SESSION_BUS_ADDRESS"] = bus };

    public bool TrySave(string profile, string key, out string? protectedValue)
    {
        protectedValue = null;
        return KeyStores.Run(tool, ["store", "--label", $"pgw profile {profile}", "service", "pgw", "profile", profile], key, Environment).Exit == 0;
    }

    public string? Read(string profile, string? protectedValue)
    {
        var (exit, output) = KeyStores.Run(tool, ["lookup", "service", "pgw", "profile", profile], null, Environment);
        return exit == 0 && output.Trim().Length > 0 ? output.Trim() : null;
    }

    public void Delete(string profile) => KeyStores.Run(tool, ["clear", "service", "pgw", "profile", profile], null, Environment);
}

/// <summary>macOS: a generic password in the login keychain, through <c>security -i</c> (commands on stdin, not argv).</summary>
internal sealed class KeychainKeyStore(string security) : IKeyStore
{
    public string Name => KeyStores.Keychain;

    public bool TrySave(string profile, string key, out string? protectedValue)
    {
        protectedValue = null;
        return key.All(c => c is > ' ' and < '\u007f' and not '"' and not '\\')
               && KeyStores.Run(security, ["-i"], $"add-generic-password -U -s pgw -a \"{Quote(profile)}\" -w \"{key}\"\n").Exit == 0;
    }

    public string? Read(string profile, string? protectedValue)
    {
        var (exit, output) = KeyStores.Run(security, ["find-generic-password", "-s", "pgw", "-a", profile, "-w"], null);
        return exit == 0 && output.Trim().Length > 0 ? output.Trim() : null;
    }

    public void Delete(string profile) => KeyStores.Run(security, ["delete-generic-password", "-s", "pgw", "-a", profile], null);

    private static string Quote(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

/// <summary>Windows: the key encrypted with DPAPI for the current user; the profile file holds only the ciphertext.</summary>
internal sealed class DpapiKeyStore : IKeyStore
{
    private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("PaymentGateway.Cli profile key");

    public string Name => KeyStores.Dpapi;

    public bool TrySave(string profile, string key, out string? protectedValue)
    {
        protectedValue = null;
        if (!OperatingSystem.IsWindows())
        {
            return false;
        }
        protectedValue = Convert.ToBase64String(ProtectedData.Protect(Encoding.UTF8.GetBytes(key), Entropy, DataProtectionScope.CurrentUser));
        return true;
    }

    public string? Read(string profile, string? protectedValue)
    {
        if (!OperatingSystem.IsWindows() || protectedValue is null)
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(ProtectedData.Unprotect(Convert.FromBase64String(protectedValue), Entropy, DataProtectionScope.CurrentUser));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    public void Delete(string profile)
    {
        // The ciphertext lives in the profile, which the caller removes.
    }
}
