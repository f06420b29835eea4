using System.Security.Cryptography;
using Npgsql;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// Two in-process gateway nodes on one fresh PostgreSQL database (created per test class, dropped after), sharing an
/// admin key and vault keys: for what must reach every node (key revocation). Without a PostgreSQL server nothing
/// starts and the <see cref="MultiNodePostgresFactAttribute"/> tests report themselves skipped.
/// </summary>
public abstract class TwoPostgresNodes(string databasePrefix) : IAsyncLifetime
{
    private string? _database;
    private GatewayServer? _a;
    private GatewayServer? _b;

    protected string AdminKey { get; } = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    protected GatewayServer A => _a ?? throw new InvalidOperationException("no PostgreSQL server");

    protected GatewayServer B => _b ?? throw new InvalidOperationException("no PostgreSQL server");

    /// <summary>The connection string both nodes use (their own database on the test server).</summary>
    protected string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (MultiNodePostgres.ConnectionString is not { } server)
        {
            return;
        }

        _database = await MultiNodePostgres.CreateDatabaseAsync(databasePrefix);
        var settings = new Dictionary<string, string?>
        {
            ["PaymentGateway:Storage:Engine"] = "postgres",
            ["PaymentGateway:Storage:ConnectionString"] = ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString,
            ["PaymentGateway:AdminKey"] = AdminKey,
            ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        _a = await GatewayServer.StartAsync(settings);
        _b = await GatewayServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _a, _b })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        if (_database is not null && MultiNodePostgres.ConnectionString is not null)
        {
            await MultiNodePostgres.DropDatabaseAsync(_database);
        }
    }
}
