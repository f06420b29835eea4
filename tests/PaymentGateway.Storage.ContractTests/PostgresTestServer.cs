using Npgsql;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// The PostgreSQL server the Postgres tests use, from <c>PAYMENTGATEWAY_TEST_POSTGRES</c> (a connection string to a
/// database the user may create databases from, e.g. <c>Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres</c>).
/// CI starts a throwaway cluster and sets it; without it the Postgres tests are reported as skipped.
/// </summary>
public static class PostgresTestServer
{
    public const string EnvironmentVariable = "PAYMENTGATEWAY_TEST_POSTGRES";

    public const string SkipReason =
        "PostgreSQL tests need a server: set " + EnvironmentVariable + " to a connection string (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres). .ci/run starts one.";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Creates an empty database with a unique name and returns a connection string to it.</summary>
    public static async Task<(string Name, string ConnectionString)> CreateDatabaseAsync()
    {
        var server = ConnectionString ?? throw new InvalidOperationException(SkipReason);
        var name = "pg_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return (name, builder.ConnectionString);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever is still connected to it.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        var server = ConnectionString ?? throw new InvalidOperationException(SkipReason);
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }
}
