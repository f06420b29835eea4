using System.Globalization;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Migrations and readiness for the SQLite engine; readiness also requires the database file to exist.</summary>
public sealed class SqliteStoreMaintenance(SqliteDatabase database) : IStoreMaintenance
{
    public string Engine => "sqlite";

    public string Location => database.DatabasePath;

    public int LatestSchemaVersion => SqliteSchema.Migrations[^1].Version;

    public Task<SchemaMigration> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(LatestSchemaVersion, cancellationToken);

    /// <summary>
    /// Applies pending migrations up to <paramref name="targetVersion"/> in one writer unit (one transaction), recording
    /// each in <c>schema_migrations</c>. A lower target builds an earlier release's schema (the upgrade tests do).
    /// </summary>
    public Task<SchemaMigration> MigrateAsync(int targetVersion, CancellationToken cancellationToken) => database.WriteAsync(ctx =>
    {
        ctx.Command("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);").ExecuteNonQuery();
        var current = Convert.ToInt32(ctx.Command("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;").ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current > LatestSchemaVersion)
        {
            throw new SchemaTooNewException(Location, current, LatestSchemaVersion);
        }

        foreach (var (version, sql) in SqliteSchema.Migrations)
        {
            if (version <= current || version > targetVersion)
            {
                continue;
            }

            using (var command = ctx.Command(sql))
            {
                command.ExecuteNonQuery();
            }

            var record = ctx.Command("INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $t);");
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
        }

        return new SchemaMigration(current, Math.Max(current, Math.Min(targetVersion, LatestSchemaVersion)));
    }, cancellationToken);

    /// <summary>The highest applied migration (0 before the first), for readiness checks and <c>host migrate</c>.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";
        if (Convert.ToInt32(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public Task<string?> FindProblemAsync(CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(database.DatabasePath) ? null : $"database file {database.DatabasePath} is missing");
}
