using System.Globalization;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Migrations and readiness for the SQLite engine; readiness also requires the database file to exist.</summary>
public sealed class SqliteStoreMaintenance(SqliteDatabase database) : IStoreMaintenance
{
    public string Engine => "sqlite";

    public int LatestSchemaVersion => SqliteSchema.Migrations[^1].Version;

    /// <summary>Applies pending migrations in one writer unit (one transaction), recording each in <c>schema_migrations</c>.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => database.WriteAsync(ctx =>
    {
        ctx.Command("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);").ExecuteNonQuery();
        var current = Convert.ToInt32(ctx.Command("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;").ExecuteScalar(), CultureInfo.InvariantCulture);
        foreach (var (version, sql) in SqliteSchema.Migrations)
        {
            if (version <= current)
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

        return true;
    }, cancellationToken);

    /// <summary>The highest applied migration, for readiness checks.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public Task<string?> FindProblemAsync(CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(database.DatabasePath) ? null : $"database file {database.DatabasePath} is missing");
}
