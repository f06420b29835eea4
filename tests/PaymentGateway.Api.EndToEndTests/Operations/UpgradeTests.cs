using Microsoft.Data.Sqlite;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Storage.Sqlite;

namespace PaymentGateway.Api.EndToEndTests.Operations;

/// <summary>
/// Upgrades as the runbook does them (docs/operations.md, Upgrade), with the real gateway process: a database made by an
/// earlier release's schema and SQL is migrated by <c>host migrate</c> and then served, on both engines; a database
/// newer than the code stops start-up and <c>host migrate</c> with exit code 1 and one line naming both versions; with
/// <c>MigrateAtStart=false</c> an older schema stops start-up with the command to run.
/// </summary>
public sealed class UpgradeTests
{
    private static readonly int Latest = new SqliteStoreMaintenance(null!).LatestSchemaVersion;

    private static string NewDirectory()
    {
        var directory = Path.Combine(GatewayServer.TestRoot, "upgrade-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string[] MigrateArguments() => [.. RunbookCommands.Split(RunbookCommands.Migrate, "/opt/paymentgateway").Arguments.Skip(1)];

    [Fact]
    public async Task Sqlite_DatabaseOfAnEarlierRelease_MigratesAndIsServedIntact()
    {
        var directory = NewDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        var release = await EarlierReleaseDatabase.CreateSqliteAsync(directory, receiver.Url);
        var settings = release.Settings(new() { ["PaymentGateway:DataDirectory"] = directory });

        await AssertUpgradedAndServedAsync(release, settings, directory, receiver);
    }

    [MultiNodePostgresFact]
    public async Task Postgres_DatabaseOfAnEarlierRelease_MigratesAndIsServedIntact()
    {
        var database = await MultiNodePostgres.CreateDatabaseAsync("pg_test_");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(MultiNodePostgres.ConnectionString) { Database = database }.ConnectionString;
            await using var receiver = await WebhookReceiver.StartAsync();
            var release = await EarlierReleaseDatabase.CreatePostgresAsync(connectionString, receiver.Url);
            var settings = release.Settings(new()
            {
                ["PaymentGateway:DataDirectory"] = NewDirectory(),
                ["PaymentGateway:Storage:Engine"] = "postgres",
                ["PaymentGateway:Storage:ConnectionString"] = connectionString,
            });

            await AssertUpgradedAndServedAsync(release, settings, null, receiver);
        }
        finally
        {
            await MultiNodePostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Start_SqliteSchemaNewerThanTheCode_Exits1NamingBothVersions()
    {
        var directory = NewDirectory();
        var release = await EarlierReleaseDatabase.CreateSqliteAsync(directory, "http://127.0.0.1:9/hook");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "gateway.db")};Pooling=false"))
        {
            await connection.OpenAsync();
            await EarlierReleaseDatabase.MarkNewerAsync(connection, Latest + 3);
        }

        var settings = release.Settings(new() { ["PaymentGateway:DataDirectory"] = directory });
        var exit = await GatewayCommand.RunAsync(settings, "--urls", $"http://127.0.0.1:{ExternalProcess.FreeLoopbackPort()}");
        AssertOneLine(exit, "PaymentGateway could not start: ", $"schema version {Latest + 3}, newer than this gateway's {Latest}", Path.Combine(directory, "gateway.db"), "restore the backup");

        var migrate = await GatewayCommand.RunAsync(settings, MigrateArguments());
        AssertOneLine(migrate, "PaymentGateway could not migrate: ", $"schema version {Latest + 3}, newer than this gateway's {Latest}");
        Assert.Equal(Latest + 3, await SqliteBackup.ReadSchemaVersionAsync(Path.Combine(directory, "gateway.db"), CancellationToken.None));
    }

    [MultiNodePostgresFact]
    public async Task Start_PostgresSchemaNewerThanTheCode_Exits1NamingBothVersions()
    {
        var database = await MultiNodePostgres.CreateDatabaseAsync("pg_test_");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(MultiNodePostgres.ConnectionString) { Database = database }.ConnectionString;
            var release = await EarlierReleaseDatabase.CreatePostgresAsync(connectionString, "http://127.0.0.1:9/hook");
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await EarlierReleaseDatabase.MarkNewerAsync(connection, Latest + 1);
            }

            var settings = release.Settings(new()
            {
                ["PaymentGateway:DataDirectory"] = NewDirectory(),
                ["PaymentGateway:Storage:Engine"] = "postgres",
                ["PaymentGateway:Storage:ConnectionString"] = connectionString,
            });
            var exit = await GatewayCommand.RunAsync(settings, "--urls", $"http://127.0.0.1:{ExternalProcess.FreeLoopbackPort()}");
            AssertOneLine(exit, "PaymentGateway could not start: ", $"'{database}'", $"schema version {Latest + 1}, newer than this gateway's {Latest}");

            var migrate = await GatewayCommand.RunAsync(settings, MigrateArguments());
            AssertOneLine(migrate, "PaymentGateway could not migrate: ", $"schema version {Latest + 1}, newer than this gateway's {Latest}");
        }
        finally
        {
            await MultiNodePostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Start_MigrateAtStartFalse_OlderSchema_Exits1NamingHostMigrate_ThenStartsAfterIt()
    {
        var directory = NewDirectory();
        var release = await EarlierReleaseDatabase.CreateSqliteAsync(directory, "http://127.0.0.1:9/hook");
        var settings = release.Settings(new() { ["PaymentGateway:DataDirectory"] = directory, ["PaymentGateway:Storage:MigrateAtStart"] = "false" });

        var exit = await GatewayCommand.RunAsync(settings, "--urls", $"http://127.0.0.1:{ExternalProcess.FreeLoopbackPort()}");
        AssertOneLine(exit, "PaymentGateway could not start: ", $"schema version {EarlierReleaseDatabase.Version}, older than this gateway's {Latest}", "PaymentGateway:Storage:MigrateAtStart is false", "host migrate");
        Assert.Equal(EarlierReleaseDatabase.Version, await SqliteBackup.ReadSchemaVersionAsync(Path.Combine(directory, "gateway.db"), CancellationToken.None));

        var migrate = await GatewayCommand.RunAsync(settings, MigrateArguments());
        Assert.True(migrate.ExitCode == 0, migrate.StandardOutput + migrate.StandardError);
        await using var node = await GatewayProcess.StartAsync(settings, directory);
        (await node.Client(release.SecretKey).GetAsync($"/v1/payments/{release.PaymentId}")).EnsureStatus(200);
    }

    [Fact]
    public async Task Migrate_WhileAGatewayRunsOnTheSqliteDirectory_Exits1NamingTheLock()
    {
        var directory = NewDirectory();
        var release = await EarlierReleaseDatabase.CreateSqliteAsync(directory, "http://127.0.0.1:9/hook");
        var settings = release.Settings(new() { ["PaymentGateway:DataDirectory"] = directory });
        await using var node = await GatewayProcess.StartAsync(settings, directory);

        var migrate = await GatewayCommand.RunAsync(settings, MigrateArguments());
        AssertOneLine(migrate, "PaymentGateway could not migrate: ", "Another gateway is already running on the SQLite data directory");
    }

    private static async Task AssertUpgradedAndServedAsync(EarlierReleaseDatabase release, Dictionary<string, string?> settings, string? directory, WebhookReceiver receiver)
    {
        var migrate = await GatewayCommand.RunAsync(settings, MigrateArguments());
        Assert.True(migrate.ExitCode == 0, migrate.StandardOutput + migrate.StandardError);
        Assert.Contains($"schema migrated from version {EarlierReleaseDatabase.Version} to {Latest}", migrate.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(migrate.StandardError);

        var again = await GatewayCommand.RunAsync(settings, MigrateArguments());
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Contains($"schema is current at version {Latest}", again.StandardOutput, StringComparison.Ordinal);

        await using var node = await GatewayProcess.StartAsync(settings, directory);
        var client = node.Client(release.SecretKey);

        var payment = (await client.GetAsync($"/v1/payments/{release.PaymentId}")).EnsureStatus(200).Json;
        Assert.Equal("succeeded", payment.GetProperty("status").GetString());
        Assert.Equal(1234, payment.GetProperty("amount").GetInt64());
        Assert.Equal(234, payment.GetProperty("amount_refunded").GetInt64());
        Assert.Equal("A-17", payment.GetProperty("metadata").GetProperty("order").GetString());
        Assert.Equal(0, payment.GetProperty("amount_disputed").GetInt64()); // a field the earlier release did not write

        var refund = (await client.GetAsync($"/v1/refunds/{release.RefundId}")).EnsureStatus(200).Json;
        Assert.Equal(234, refund.GetProperty("amount").GetInt64());
        Assert.Equal(release.PaymentId, refund.GetProperty("payment").GetString());

        var card = (await client.GetAsync($"/v1/payment_methods/{release.PaymentMethodId}")).EnsureStatus(200).Json;
        Assert.Equal("4242", card.GetProperty("card").GetProperty("last4").GetString());

        var events = (await client.GetAsync($"/v1/events?limit=100")).EnsureStatus(200).Json.GetProperty("data");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("id").GetString() == release.EventId);

        // The card the earlier release encrypted is charged again (the vault decrypts it), and the endpoint's secret it
        // encrypted signs the new payment's webhook.
        var second = (await client.PostAsync("/v1/payments", new { amount = 700, currency = "EUR", payment_method = release.PaymentMethodId, confirm = true }))
            .EnsureStatus(200).Json;
        Assert.Equal("succeeded", second.GetProperty("status").GetString());
        var delivered = await receiver.WaitForAsync(r => r.Any(w => w.Body.Contains(second.GetProperty("id").GetString() ?? "?", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "a webhook for the new payment");
        var webhook = delivered.First(w => w.Body.Contains(second.GetProperty("id").GetString() ?? "?", StringComparison.Ordinal));
        Assert.True(SpecVerifier.Verify(release.WebhookSecret, webhook.Id, webhook.Timestamp, webhook.Body, webhook.Signature), "signed with the secret the earlier release stored");
    }

    private static void AssertOneLine(GatewayExit exit, string prefix, params string[] mentions)
    {
        Assert.True(exit.ExitCode == 1, $"exit code {exit.ExitCode}\nstdout:\n{exit.StandardOutput}\nstderr:\n{exit.StandardError}");
        var line = Assert.Single(exit.ErrorLines);
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", exit.StandardOutput + exit.StandardError, StringComparison.Ordinal);
    }
}
