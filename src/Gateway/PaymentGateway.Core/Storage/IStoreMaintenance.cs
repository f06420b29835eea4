namespace PaymentGateway.Core.Storage;

/// <summary>
/// Engine-neutral operations on the database behind an engine's <see cref="GatewayStores"/>: migrations at start-up
/// and the readiness check. Each engine supplies one.
/// </summary>
public interface IStoreMaintenance
{
    /// <summary>A short name for logs and health output ("sqlite", "postgres").</summary>
    string Engine { get; }

    /// <summary>Where the database is, for operators' messages: the SQLite file, or PostgreSQL's host, port and database (never a password).</summary>
    string Location { get; }

    /// <summary>The schema version this build expects.</summary>
    int LatestSchemaVersion { get; }

    /// <summary>
    /// Creates or upgrades the schema to <see cref="LatestSchemaVersion"/>; safe to run from several nodes at once.
    /// Throws <see cref="SchemaTooNewException"/> (and changes nothing) when the database was migrated by a newer release.
    /// </summary>
    Task<SchemaMigration> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The highest applied migration (0 for an empty database).</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>Null when the database can be reached; otherwise why not (for the readiness check).</summary>
    Task<string?> FindProblemAsync(CancellationToken cancellationToken);
}

/// <summary>The schema version before and after a migration (equal when there was nothing to do).</summary>
public readonly record struct SchemaMigration(int From, int To);

/// <summary>
/// The database's schema is newer than this build's: a newer release migrated it. An older gateway never runs on it
/// (it would not know the newer columns and rules); run that release or a newer one, or restore the backup taken before the upgrade.
/// </summary>
public sealed class SchemaTooNewException(string location, int databaseVersion, int codeVersion)
    : Exception($"The database {location} has schema version {databaseVersion}, newer than this gateway's {codeVersion} (a newer release migrated it): run that release or a newer one, or restore the backup taken before the upgrade (docs/operations.md, Upgrade).")
{
    public int DatabaseVersion { get; } = databaseVersion;

    public int CodeVersion { get; } = codeVersion;
}
