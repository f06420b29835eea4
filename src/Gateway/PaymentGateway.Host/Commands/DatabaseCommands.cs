using PaymentGateway.Core;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;
using PaymentGateway.Host.Startup;
using PaymentGateway.Storage.Sqlite;

namespace PaymentGateway.Host.Commands;

/// <summary>
/// The database commands of the runbook (docs/operations.md, Backup, Restore, Upgrade): <c>host migrate</c> applies
/// pending migrations; <c>host backup --to DIR</c> writes an online, consistent copy of the SQLite database (VACUUM INTO)
/// and the vault key file into a new directory; <c>host restore --from DIR</c> puts such a copy into an empty data
/// directory. Each prints what it did and exits 0, or prints one line on standard error and exits 1.
/// </summary>
public static class DatabaseCommands
{
    public const string DatabaseFileName = "gateway.db";
    public const string KeyFileName = "vault-keys.json";

    /// <summary>
    /// Applies pending migrations with the service's configuration. On SQLite it takes the data directory's writer lock
    /// (refusing while a gateway runs there); on PostgreSQL the migration's advisory lock makes it safe beside running nodes.
    /// </summary>
    public static async Task<int> MigrateAsync(string[] configuration, TextWriter console)
    {
        var builder = CreateBuilder(configuration);
        try
        {
            using var writerLock = await StartupChecks.RunAsync(builder.Configuration, builder.Environment, takeWriterLock: true, CancellationToken.None, checkPorts: false);
            builder.AddPaymentGateway();
            await using var app = builder.Build();
            var maintenance = app.Services.GetRequiredService<IStoreMaintenance>();
            var migration = await maintenance.MigrateAsync(CancellationToken.None);
            await console.WriteLineAsync(migration.From == migration.To
                ? $"schema is current at version {migration.To} ({maintenance.Engine}, {maintenance.Location}); nothing to do"
                : $"schema migrated from version {migration.From} to {migration.To} ({maintenance.Engine}, {maintenance.Location})");
            return 0;
        }
        catch (Exception e) when (StartupFailure.Describe(e, "migrate") is { } line)
        {
            await Console.Error.WriteLineAsync(line);
            return 1;
        }
    }

    /// <summary>An online backup of the SQLite database and the vault key file into <paramref name="target"/> (new or empty); safe beside a running gateway.</summary>
    public static async Task<int> BackupAsync(string[] configuration, string target, TextWriter console)
    {
        var builder = CreateBuilder(configuration);
        try
        {
            RequireSqlite(builder.Configuration, "back up", "pg_dump or continuous archiving (PITR)");
            (await StartupChecks.RunAsync(builder.Configuration, builder.Environment, takeWriterLock: false, CancellationToken.None, checkPorts: false))?.Dispose();
            var options = Options(builder.Configuration);
            var directory = Path.GetFullPath(target);
            RequireEmpty(directory, $"The backup directory '{directory}' is not empty: give a new or empty directory (each backup gets its own).");
            CreatePrivateDirectory(directory);

            var database = Path.Combine(Path.GetFullPath(options.DataDirectory), DatabaseFileName);
            var copy = Path.Combine(directory, DatabaseFileName);
            await SqliteBackup.CopyAsync(database, copy, CancellationToken.None);
            var version = await SqliteBackup.ReadSchemaVersionAsync(copy, CancellationToken.None);
            await console.WriteLineAsync($"database {database} (schema version {version}) copied online to {copy} ({new FileInfo(copy).Length} bytes)");

            if (KeyFilePath(options) is { } keyFile)
            {
                var keyCopy = Path.Combine(directory, KeyFileName);
                CopyPrivate(keyFile, keyCopy);
                await console.WriteLineAsync($"vault key file {keyFile} copied to {keyCopy}");
            }
            else
            {
                await console.WriteLineAsync("vault keys come from PaymentGateway:Vault:Keys and FingerprintKey: they are not in this backup; keep them in your secret store");
            }

            await console.WriteLineAsync($"backup complete: {directory} (store the vault key file apart from the database copy)");
            return 0;
        }
        catch (Exception e) when (Describe(e, "back up") is { } line)
        {
            await Console.Error.WriteLineAsync(line);
            return 1;
        }
    }

    /// <summary>Restores a backup made by <see cref="BackupAsync"/> into the configured data directory, which must be new or empty.</summary>
    public static async Task<int> RestoreAsync(string[] configuration, string source, TextWriter console)
    {
        var builder = CreateBuilder(configuration);
        try
        {
            RequireSqlite(builder.Configuration, "restore", "pg_restore or PITR");
            var options = Options(builder.Configuration);
            var dataDirectory = Path.GetFullPath(options.DataDirectory);
            var from = Path.GetFullPath(source);
            var backup = Path.Combine(from, DatabaseFileName);
            if (!File.Exists(backup))
            {
                throw new StartupException($"'{from}' holds no {DatabaseFileName}: give the directory that `host backup --to` wrote.");
            }

            RequireEmpty(dataDirectory, $"PaymentGateway:DataDirectory '{dataDirectory}' is not empty: restore only into a new or empty directory (move the old one aside, or point PaymentGateway:DataDirectory at a new one).");
            var check = await SqliteBackup.QuickCheckAsync(backup, CancellationToken.None);
            if (check != "ok")
            {
                throw new StartupException($"The backup {backup} is damaged (SQLite quick_check: {check}): restore another backup.");
            }

            var version = await SqliteBackup.ReadSchemaVersionAsync(backup, CancellationToken.None);
            var keyBackup = Path.Combine(from, KeyFileName);
            var keyFile = KeyFilePath(options, dataDirectory);
            var restoreKey = keyFile is not null && File.Exists(keyBackup);
            if (restoreKey && keyFile is not null && File.Exists(keyFile) && !File.ReadAllBytes(keyFile).AsSpan().SequenceEqual(File.ReadAllBytes(keyBackup)))
            {
                throw new StartupException($"The vault key file '{keyFile}' (PaymentGateway:Vault:KeyFile) exists and differs from the backup's {keyBackup}: move it aside or point PaymentGateway:Vault:KeyFile elsewhere; the backup's cards need the backup's keys.");
            }

            CreatePrivateDirectory(dataDirectory);
            var restored = Path.Combine(dataDirectory, DatabaseFileName);
            CopyPrivate(backup, restored);
            await console.WriteLineAsync($"database {backup} (schema version {version}) restored to {restored}");
            if (restoreKey && keyFile is not null)
            {
                if (File.Exists(keyFile))
                {
                    await console.WriteLineAsync($"vault key file {keyFile} is already the backup's");
                }
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(keyFile) ?? dataDirectory);
                    CopyPrivate(keyBackup, keyFile);
                    await console.WriteLineAsync($"vault key file {keyBackup} restored to {keyFile}");
                }
            }
            else
            {
                await console.WriteLineAsync(keyFile is null
                    ? "vault keys come from PaymentGateway:Vault:Keys: configure the keys the backup's records were written with"
                    : $"the backup holds no vault key file: put the keys it was written with at {keyFile}");
            }

            await console.WriteLineAsync("restore complete: start the gateway on this data directory");
            return 0;
        }
        catch (Exception e) when (Describe(e, "restore") is { } line)
        {
            await Console.Error.WriteLineAsync(line);
            return 1;
        }
    }

    private static WebApplicationBuilder CreateBuilder(string[] configuration)
    {
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. configuration]);
        builder.Logging.ClearProviders();
        return builder;
    }

    private static GatewayOptions Options(IConfiguration configuration) =>
        configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();

    private static void RequireSqlite(IConfiguration configuration, string verb, string instead)
    {
        if ((configuration[StorageEngines.EngineKey] ?? "sqlite").Trim().ToLowerInvariant() is not ("" or "sqlite"))
        {
            throw new StartupException($"host commands {verb} SQLite only; {StorageEngines.EngineKey} is '{configuration[StorageEngines.EngineKey]}': use {instead} (docs/operations.md, Backup and Restore).");
        }
    }

    private static void RequireEmpty(string directory, string message)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new StartupException(message);
        }

        if (File.Exists(directory))
        {
            throw new StartupException(message);
        }
    }

    /// <summary>The vault key file to copy, or null when the keys are configured inline (Vault:Keys).</summary>
    private static string? KeyFilePath(GatewayOptions options, string? dataDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(options.Vault.Keys))
        {
            return null;
        }

        var directory = dataDirectory ?? Path.GetFullPath(options.DataDirectory);
        return Path.IsPathRooted(options.Vault.KeyFile) ? options.Vault.KeyFile : Path.Combine(directory, options.Vault.KeyFile);
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Copies through a temporary name and renames, owner-only from the first byte; the target must not exist.</summary>
    private static void CopyPrivate(string from, string to)
    {
        var temporary = to + ".partial";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var input = File.OpenRead(from))
        using (var output = new FileStream(temporary, options))
        {
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
        }

        File.Move(temporary, to);
    }

    private static string? Describe(Exception e, string action) => e switch
    {
        IOException or UnauthorizedAccessException when e is not FileNotFoundException => $"PaymentGateway could not {action}: {e.Message}",
        FileNotFoundException f => $"PaymentGateway could not {action}: {f.Message} Check PaymentGateway:DataDirectory.",
        InvalidDataException d => $"PaymentGateway could not {action}: {d.Message}",
        _ => StartupFailure.Describe(e, action),
    };
}
