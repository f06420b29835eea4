using Npgsql;
using PaymentGateway.Storage.Postgres;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// The connection settings the PostgreSQL engine adds to the operator's (<see cref="PostgresDatabase.WithEngineDefaults"/>):
/// statements prepared once per connection unless the operator said otherwise.
/// </summary>
[RequiresPostgres]
public sealed class PostgresEngineDefaultsTests
{
    [Fact]
    public void Auto_preparation_is_on_by_default_and_the_operators_own_values_win()
    {
        var defaults = new NpgsqlConnectionStringBuilder(PostgresDatabase.WithEngineDefaults("Host=db.internal;Database=pg"));
        Assert.Equal(PostgresDatabase.DefaultMaxAutoPrepare, defaults.MaxAutoPrepare);
        Assert.Equal(2, defaults.AutoPrepareMinUsages);
        Assert.True(defaults.NoResetOnClose);

        var own = new NpgsqlConnectionStringBuilder(PostgresDatabase.WithEngineDefaults("Host=db.internal;Max Auto Prepare=0;Auto Prepare Min Usages=7"));
        Assert.Equal(0, own.MaxAutoPrepare);
        Assert.Equal(7, own.AutoPrepareMinUsages);
        Assert.Equal(20, new NpgsqlConnectionStringBuilder(PostgresDatabase.WithEngineDefaults("Host=db.internal;MaxAutoPrepare=20")).MaxAutoPrepare);
    }

    [PostgresFact]
    public async Task A_statement_run_twice_on_a_connection_is_prepared_on_the_server()
    {
        var server = PostgresTestServer.ConnectionString!;
        await using var source = NpgsqlDataSource.Create(PostgresDatabase.WithEngineDefaults(server));
        await using var connection = await source.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await using var command = new NpgsqlCommand("SELECT $1::int + 1", connection) { Parameters = { new NpgsqlParameter { Value = i } } };
            Assert.Equal(i + 1, await command.ExecuteScalarAsync());
        }

        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'", connection);
        Assert.Equal(1L, await prepared.ExecuteScalarAsync());

        // Off when the operator turns it off: the same statement is parsed and planned every time.
        await using var offSource = NpgsqlDataSource.Create(PostgresDatabase.WithEngineDefaults(server + ";Max Auto Prepare=0"));
        await using var off = await offSource.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await using var command = new NpgsqlCommand("SELECT $1::int + 1", off) { Parameters = { new NpgsqlParameter { Value = i } } };
            await command.ExecuteScalarAsync();
        }

        await using var none = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", off);
        Assert.Equal(0L, await none.ExecuteScalarAsync());
    }
}
