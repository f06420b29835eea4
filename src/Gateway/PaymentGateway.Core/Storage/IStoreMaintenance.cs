namespace PaymentGateway.Core.Storage;

/// <summary>
/// Engine-neutral operations on the database behind an engine's <see cref="GatewayStores"/>: migrations at start-up
/// and the readiness check. Each engine supplies one.
/// </summary>
public interface IStoreMaintenance
{
    /// <summary>A short name for logs and health output ("sqlite", "postgres").</summary>
    string Engine { get; }

    /// <summary>The schema version this build expects.</summary>
    int LatestSchemaVersion { get; }

    /// <summary>Creates or upgrades the schema; safe to run from several nodes at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The highest applied migration (0 for an empty database).</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>Null when the database can be reached; otherwise why not (for the readiness check).</summary>
    Task<string?> FindProblemAsync(CancellationToken cancellationToken);
}
