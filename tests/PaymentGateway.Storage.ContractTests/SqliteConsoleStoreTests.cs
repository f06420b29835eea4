using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Storage;
using PaymentGateway.Storage.Sqlite;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>The console and audit contract on SQLite, each test on a new database file.</summary>
public sealed class SqliteConsoleStoreTests : ConsoleStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "paymentgateway-tests", Guid.NewGuid().ToString("N"));
    private readonly List<GatewayStores> _engines = [];

    private string DatabasePath => Path.Combine(_directory, "gateway.db");

    protected override string DisableAppendOnlySql => "DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;";

    protected override async Task<(IConsoleStore Console, IAuditStore Audit)> CreateAsync()
    {
        var engine = SqliteStores.Open(DatabasePath);
        await engine.Maintenance.MigrateAsync(Ct);
        _engines.Add(engine);
        return (engine.Console, engine.Audit);
    }

    protected override Task<(IConsoleStore Console, IAuditStore Audit)> SecondNodeAsync() => CreateAsync();

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task CleanupAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
