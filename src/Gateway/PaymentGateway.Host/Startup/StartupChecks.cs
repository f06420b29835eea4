using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Vault;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Startup;

/// <summary>A configuration or environment problem found before the gateway starts; its message is the one line shown.</summary>
public sealed class StartupException(string message) : Exception(message);

/// <summary>
/// What is checked before the gateway builds anything, and by <c>host check-config</c>: the admin key's strength outside
/// Development, the data directory (creatable and writable) or the PostgreSQL connection string (well formed, server
/// reachable within <c>PaymentGateway:Storage:StartupTimeout</c>), the vault keys, and the listening ports. Each problem
/// is a <see cref="StartupException"/> naming the setting or path and what to do.
/// </summary>
public static class StartupChecks
{
    public const string StartupTimeoutKey = "PaymentGateway:Storage:StartupTimeout";
    public const string LockFileName = "gateway.lock";
    private const string AdminKeySetting = "PaymentGateway:AdminKey";
    private const string DataDirectorySetting = "PaymentGateway:DataDirectory";

    /// <summary>
    /// Runs every check; with <paramref name="takeWriterLock"/> also takes the SQLite data directory's single-writer lock
    /// and returns it (hold it while the gateway runs). Host commands that listen on nothing pass <paramref name="checkPorts"/> false.
    /// </summary>
    public static async Task<IDisposable?> RunAsync(IConfiguration configuration, IHostEnvironment environment, bool takeWriterLock, CancellationToken ct, bool checkPorts = true)
    {
        var options = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        if (!options.NamedAdminKeysOnly)
        {
            CheckAdminKey(options.AdminKey, environment); // with NamedAdminKeysOnly the configured key is refused anyway
        }
        _ = Observability.ObservabilityExtensions.MetricsPort(configuration);
        IDisposable? writerLock = null;
        var engine = (configuration[StorageEngines.EngineKey] ?? "sqlite").Trim().ToLowerInvariant();
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        switch (engine)
        {
            case "" or "sqlite":
                CheckDataDirectory(dataDirectory);
                writerLock = takeWriterLock ? TakeWriterLock(dataDirectory) : null;
                break;
            case "postgres" or "postgresql":
                var connectionString = configuration[StorageEngines.ConnectionStringKey] is { Length: > 0 } configured ? configured : configuration.GetConnectionString("Postgres");
                var timeout = configuration.GetValue(StartupTimeoutKey, TimeSpan.FromSeconds(30));
                await WaitForPostgresAsync(connectionString, timeout, ct);
                break;
            default:
                throw new StartupException($"{StorageEngines.EngineKey} must be 'sqlite' or 'postgres', not '{configuration[StorageEngines.EngineKey]}'.");
        }

        try
        {
            var allowGenerate = environment.IsDevelopment() || configuration.GetValue<bool>("PaymentGateway:Vault:AllowGeneratedKeyFile");
            CheckVault(options.Vault, dataDirectory, allowGenerate);
            if (checkPorts)
            {
                CheckPorts(configuration);
            }
        }
        catch
        {
            writerLock?.Dispose();
            throw;
        }

        return writerLock;
    }

    /// <summary>
    /// Outside Development the admin key must be configured and strong: at least 32 characters, at least 10 different
    /// ones, and at least 96 bits by an estimate from the characters used (length × Shannon entropy of its character
    /// frequencies), so 16 random bytes in hex (<c>openssl rand -hex 16</c>, about 115 bits) pass and a word repeated does not.
    /// </summary>
    public static void CheckAdminKey(string? adminKey, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            return;
        }

        const string Remedy = "set it to a long random value, for example the output of `openssl rand -hex 32`";
        if (string.IsNullOrEmpty(adminKey))
        {
            throw new StartupException($"{AdminKeySetting} is not set ({environment.EnvironmentName} never generates or prints keys): {Remedy}.");
        }

        if (PlaceholderMarker(adminKey) is { } marker)
        {
            throw new StartupException($"{AdminKeySetting} is a placeholder (it contains '{marker}', like the value in deploy/gateway.env.example), not a secret: {Remedy}.");
        }

        var distinct = adminKey.Distinct().Count();
        if (adminKey.Length < 32 || distinct < 10 || EstimatedBits(adminKey) < 96)
        {
            throw new StartupException($"{AdminKeySetting} is too weak ({adminKey.Length} characters, {distinct} different, about {EstimatedBits(adminKey):0} bits; at least 32 characters, 10 different and 96 bits are required): {Remedy}.");
        }
    }

    /// <summary>
    /// The placeholder word or run an admin key contains (compared without case and separators), or null: the words
    /// example files and tutorials use instead of a secret (<c>admin_change_me_to_a_long_random_value</c> in
    /// deploy/gateway.env.example is long and varied enough to pass the entropy estimate), and keyboard or alphabet runs.
    /// A random key of 32 hex characters or more contains none of them except by a chance below 2⁻²⁴.
    /// </summary>
    public static string? PlaceholderMarker(string adminKey)
    {
        var letters = new string(adminKey.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return PlaceholderMarkers.FirstOrDefault(marker => letters.Contains(marker, StringComparison.Ordinal));
    }

    private static readonly string[] PlaceholderMarkers =
    [
        "changeme", "change", "placeholder", "example", "replace", "yourkey", "youradmin", "insert", "secret", "password",
        "passwd", "default", "sample", "dummy", "fixme", "xxxxxx", "qwerty", "abcdef0123", "0123456789", "1234567890",
        "abcdefghij", "adminkey", "letmein",
    ];

    /// <summary>Length × the Shannon entropy of the key's own character frequencies.</summary>
    public static double EstimatedBits(string value) =>
        value.Length == 0 ? 0 : value.GroupBy(c => c).Sum(g =>
        {
            var p = (double)g.Count() / value.Length;
            return -p * Math.Log2(p);
        }) * value.Length;

    private static void CheckDataDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{DataDirectorySetting} '{directory}' cannot be created ({e.Message}): create it, writable by the gateway's user, or set {DataDirectorySetting} to a writable directory.");
        }

        var probe = Path.Combine(directory, $".write-check-{Environment.ProcessId}");
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            var database = Path.Combine(directory, "gateway.db");
            if (File.Exists(database))
            {
                using var _ = new FileStream(database, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{DataDirectorySetting} '{directory}' is not writable ({e.Message}): give the gateway's user write access to it and its files, or set {DataDirectorySetting} to a writable directory.");
        }
    }

    /// <summary>
    /// One gateway per SQLite data directory: an exclusive lock on <c>gateway.lock</c> there (an advisory
    /// <c>flock</c> on Linux, released by the kernel when the process ends, even by <c>kill -9</c>).
    /// </summary>
    public static IDisposable TakeWriterLock(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new StartupException($"Another gateway is already running on the SQLite data directory '{directory}' (it holds {path}): stop it, or give this one its own {DataDirectorySetting}; several nodes on one database need PostgreSQL.");
        }
    }

    private static async Task WaitForPostgresAsync(string? connectionString, TimeSpan timeout, CancellationToken ct)
    {
        const string Setting = StorageEngines.ConnectionStringKey;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupException($"{StorageEngines.EngineKey} is 'postgres' but no connection string is set: set {Setting} (or ConnectionStrings:Postgres).");
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new StartupException($"{Setting} is not a valid connection string ({e.Message}): write it as Host=…;Database=…;Username=…;Passfile=….");
        }

        var until = DateTimeOffset.UtcNow + timeout;
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                await using var connection = new NpgsqlConnection(parsed.ConnectionString);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(Math.Clamp((until - DateTimeOffset.UtcNow).TotalSeconds, 1, 10)));
                await connection.OpenAsync(attempt.Token);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or SocketException && !ct.IsCancellationRequested)
            {
                if (e is PostgresException { SqlState: "28P01" or "28000" or "3D000" } denied)
                {
                    throw new StartupException($"PostgreSQL at {parsed.Host}:{parsed.Port} refused the connection ({denied.MessageText}): check the user, password (Passfile) and database in {Setting}.");
                }

                if (DateTimeOffset.UtcNow >= until)
                {
                    var reason = e is OperationCanceledException ? "timed out" : (e.InnerException ?? e).Message;
                    throw new StartupException($"PostgreSQL at {parsed.Host}:{parsed.Port} is unreachable after {attempts} attempts in {timeout.TotalSeconds:0} s ({reason}): check that the server runs and {Setting}, or wait longer with {StartupTimeoutKey}.");
                }

                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private static void CheckVault(VaultOptions vault, string dataDirectory, bool allowGenerate)
    {
        var keyFile = Path.IsPathRooted(vault.KeyFile) ? vault.KeyFile : Path.Combine(dataDirectory, vault.KeyFile);
        var source = string.IsNullOrWhiteSpace(vault.Keys)
            ? $"The vault key file '{keyFile}' (PaymentGateway:Vault:KeyFile)"
            : "PaymentGateway:Vault:Keys or PaymentGateway:Vault:FingerprintKey";
        if (string.IsNullOrWhiteSpace(vault.Keys) && !File.Exists(keyFile))
        {
            if (allowGenerate)
            {
                return; // generated at start (Development, or Vault:AllowGeneratedKeyFile)
            }

            throw new StartupException($"No vault keys: {source} does not exist. Restore it from your backup, create one with deploy/make-secrets.sh, or set PaymentGateway:Vault:Keys and FingerprintKey.");
        }

        try
        {
            _ = VaultKeyLoader.Load(vault, dataDirectory, allowGenerate: false, NullLogger.Instance);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new StartupException($"{source} is malformed ({e.Message}): keys are 32 random bytes in base64 (`openssl rand -base64 32`), written as id:base64 pairs separated by ';' in Vault:Keys.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{source} cannot be read ({e.Message}): make it readable by the gateway's user.");
        }
    }

    private static void CheckPorts(IConfiguration configuration)
    {
        foreach (var (setting, value) in new[] { ("urls (--urls, ASPNETCORE_URLS)", configuration["urls"]), (Grpc.GrpcHostExtensions.GrpcUrlSetting, configuration[Grpc.GrpcHostExtensions.GrpcUrlSetting]),
            (Observability.ObservabilityExtensions.MetricsUrlSetting, configuration[Observability.ObservabilityExtensions.MetricsUrlSetting]) })
        {
            foreach (var url in (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
                var hostAndPort = schemeEnd < 0 ? url : url[(schemeEnd + 3)..].TrimEnd('/');
                var colon = hostAndPort.LastIndexOf(':');
                if (colon < 0 || !int.TryParse(hostAndPort[(colon + 1)..], out var port) || port == 0)
                {
                    continue;
                }

                var host = hostAndPort[..colon].Trim('[', ']');
                var address = host switch
                {
                    "*" or "+" or "0.0.0.0" => IPAddress.Any,
                    "::" => IPAddress.IPv6Any,
                    "localhost" => IPAddress.Loopback,
                    _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
                };
                if (address is null)
                {
                    continue;
                }

                using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    probe.Bind(new IPEndPoint(address, port));
                    probe.Listen(1);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    throw new StartupException($"Port {port} on {host} is already in use ({setting} = {url}): stop what listens there (ss -ltnp 'sport = :{port}') or choose another address in {setting}.");
                }
                catch (SocketException e)
                {
                    throw new StartupException($"Cannot listen on {url} ({setting}): {e.Message}.");
                }
            }
        }
    }
}
