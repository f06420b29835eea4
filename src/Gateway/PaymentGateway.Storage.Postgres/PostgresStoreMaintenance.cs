using System.Globalization;
using Npgsql;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Migrations and readiness for the PostgreSQL engine.</summary>
public sealed class PostgresStoreMaintenance(PostgresDatabase database) : IStoreMaintenance
{
    public string Engine => "postgres";

    public string Location
    {
        get
        {
            var settings = new NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString);
            return $"'{settings.Database}' on {settings.Host}:{settings.Port}";
        }
    }

    public int LatestSchemaVersion => PostgresSchema.Migrations[^1].Version;

    public Task<SchemaMigration> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(LatestSchemaVersion, cancellationToken);

    /// <summary>
    /// Applies pending migrations up to <paramref name="targetVersion"/> in one transaction under a transaction-scoped
    /// advisory lock, so nodes that start together run them once, one after the other; the others find the schema
    /// current and do nothing. A lower target builds an earlier release's schema (the upgrade tests do).
    /// </summary>
    public async Task<SchemaMigration> MigrateAsync(int targetVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresDatabase.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1);", cancellationToken, P(PostgresSchema.MigrationLockKey)).ConfigureAwait(false);
        await PostgresDatabase.ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL);", cancellationToken).ConfigureAwait(false);
        int current;
        await using (var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;", connection, transaction))
        {
            current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (current > LatestSchemaVersion)
        {
            throw new SchemaTooNewException(Location, current, LatestSchemaVersion);
        }

        foreach (var (version, sql) in PostgresSchema.Migrations)
        {
            if (version <= current || version > targetVersion)
            {
                continue;
            }

            await PostgresDatabase.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            await PostgresDatabase.ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2);", cancellationToken,
                P(version), P(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SchemaMigration(current, Math.Max(current, Math.Min(targetVersion, LatestSchemaVersion)));
    }

    /// <summary>The highest applied migration (0 before the first), for readiness checks.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN -1 ELSE 0 END;");
        if (Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) < 0)
        {
            return 0;
        }

        await using var read = database.DataSource.CreateCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;");
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async Task<string?> FindProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = database.DataSource.CreateCommand("SELECT 1;");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"PostgreSQL is not reachable: {e.Message}";
        }
    }
}
