using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Startup;

/// <summary>
/// The schema when a gateway starts. By default pending migrations run (transactionally, under PostgreSQL's advisory
/// lock); with <c>PaymentGateway:Storage:MigrateAtStart=false</c> an older schema stops start-up instead, so that
/// upgrading is a deliberate step (<c>host migrate</c>, after a backup). A schema newer than this build stops start-up
/// in both cases (<see cref="SchemaTooNewException"/>).
/// </summary>
public static class SchemaAtStart
{
    public const string MigrateAtStartKey = "PaymentGateway:Storage:MigrateAtStart";

    public static async Task EnsureAsync(IStoreMaintenance maintenance, IConfiguration configuration, CancellationToken ct)
    {
        if (configuration.GetValue(MigrateAtStartKey, true))
        {
            await maintenance.MigrateAsync(ct).ConfigureAwait(false);
            return;
        }

        var version = await maintenance.GetSchemaVersionAsync(ct).ConfigureAwait(false);
        if (version > maintenance.LatestSchemaVersion)
        {
            throw new SchemaTooNewException(maintenance.Location, version, maintenance.LatestSchemaVersion);
        }

        if (version < maintenance.LatestSchemaVersion)
        {
            throw new StartupException($"The database {maintenance.Location} has schema version {version}, older than this gateway's {maintenance.LatestSchemaVersion}, and {MigrateAtStartKey} is false: back it up, then run `host migrate` (docs/operations.md, Upgrade).");
        }
    }
}
