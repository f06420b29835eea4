using Npgsql;
using PaymentGateway.Core.Storage;
using PaymentGateway.Storage.Postgres;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>The console and audit contract on PostgreSQL, each test on a new database; a second node is a second engine with its own pool.</summary>
[RequiresPostgres]
public sealed class PostgresConsoleStoreTests : ConsoleStoreContractTests
{
    private readonly List<GatewayStores> _engines = [];
    private string? _databaseName;
    private string _connectionString = string.Empty;

    protected override string DisableAppendOnlySql => "ALTER TABLE audit_entries DISABLE TRIGGER USER;";

    protected override async Task<(IConsoleStore Console, IAuditStore Audit)> CreateAsync()
    {
        (_databaseName, _connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        return await SecondNodeAsync();
    }

    protected override async Task<(IConsoleStore Console, IAuditStore Audit)> SecondNodeAsync()
    {
        var engine = PostgresStores.Open(_connectionString);
        await engine.Maintenance.MigrateAsync(Ct);
        _engines.Add(engine);
        return (engine.Console, engine.Audit);
    }

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task CleanupAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        if (_databaseName is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_databaseName);
        }
    }

    [PostgresFact]
    public async Task Postgres_truncate_of_audit_entries_is_refused()
    {
        await Audit.AppendAsync([new PaymentGateway.Core.Audit.AuditRecord
        {
            Created = DateTimeOffset.UtcNow,
            Action = "console.sign_in",
            Actor = PaymentGateway.Core.Audit.AuditActor.System,
            Context = PaymentGateway.Core.Audit.AuditContext.None,
        }], Ct);

        var truncate = await Record.ExceptionAsync(() => ExecuteRawAsync("TRUNCATE audit_entries;"));

        Assert.IsType<PostgresException>(truncate);
        Assert.Single(await Audit.ListAsync(new AuditQuery(), Ct));
    }
}
