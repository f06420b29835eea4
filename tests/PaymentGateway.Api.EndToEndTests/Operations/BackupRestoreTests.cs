using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Storage.Sqlite;

namespace PaymentGateway.Api.EndToEndTests.Operations;

/// <summary>
/// SQLite backup and restore as the runbook does them (docs/operations.md, Backup and Restore), with the real gateway
/// process: <c>host backup --to</c> while payments are being created, <c>host restore --from</c> into a fresh data
/// directory, a gateway started on it finds every payment acknowledged before the backup began. Bounded: at most 20 s
/// of load and 4,000 payments.
/// </summary>
public sealed class BackupRestoreTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string NewDirectory(bool create = true)
    {
        var directory = Path.Combine(GatewayServer.TestRoot, "backup-" + Guid.NewGuid().ToString("N"));
        if (create)
        {
            Directory.CreateDirectory(directory);
        }

        return directory;
    }

    private static string[] Arguments(string template, string value) => [.. RunbookCommands.Split(template, value).Arguments.Skip(1)];

    /// <summary>Production settings with the vault keys in a key file in the data directory (as make-secrets.sh writes it), so the backup carries it.</summary>
    private static async Task<Dictionary<string, string?>> SettingsWithKeyFileAsync(string dataDirectory)
    {
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "vault-keys.json"), $$"""
            { "active_key_id": "k1", "keys": { "k1": "{{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}}" }, "fingerprint_key": "{{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}}" }
            """);
        return new Dictionary<string, string?>
        {
            ["PaymentGateway:DataDirectory"] = dataDirectory,
            ["PaymentGateway:AdminKey"] = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
    }

    [Fact]
    public async Task Backup_WhilePaymentsAreCreated_RestoresIntoAFreshDirectoryWithEveryAcknowledgedPayment()
    {
        var directory = NewDirectory();
        var settings = await SettingsWithKeyFileAsync(directory);
        var adminKey = settings["PaymentGateway:AdminKey"] ?? string.Empty;
        string secretKey;
        string publishableKey;
        var acknowledged = new ConcurrentQueue<(string Id, long Amount, long At)>();
        var clock = Stopwatch.StartNew();
        long backupStarted;
        long backupEnded;
        string backup = Path.Combine(NewDirectory(create: false), "20261207T031500Z");
        await using (var node = await GatewayProcess.StartAsync(settings, directory))
        {
            var admin = node.Client(adminKey);
            var merchant = (await admin.PostAsync("/v1/merchants", new { name = "Backed-up shop" })).EnsureStatus(200).Json.GetProperty("id").GetString();
            secretKey = (await admin.PostAsync($"/v1/merchants/{merchant}/api_keys", new { type = "secret", livemode = false })).EnsureStatus(200).Json.GetProperty("secret").GetString() ?? "?";
            publishableKey = (await admin.PostAsync($"/v1/merchants/{merchant}/api_keys", new { type = "publishable", livemode = false })).EnsureStatus(200).Json.GetProperty("secret").GetString() ?? "?";
            var cardId = (await node.Client(publishableKey).PostAsync("/v1/payment_methods", new { type = "card", card = new { number = "4242424242424242", exp_month = 12, exp_year = 2034, cvc = "123" } }))
                .EnsureStatus(200).Json.GetProperty("id").GetString();

            // Four clients create payments (one in eight confirmed with the card) until told to stop.
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                var client = node.Client(secretKey);
                for (var i = 0; !stop.IsCancellationRequested && acknowledged.Count < 4_000; i++)
                {
                    var amount = 100 + (w * 100_000) + i;
                    var response = i % 8 == 0
                        ? await client.PostAsync("/v1/payments", new { amount, currency = "EUR", payment_method = cardId, confirm = true })
                        : await client.PostAsync("/v1/payments", new { amount, currency = "EUR" });
                    response.EnsureStatus(200);
                    acknowledged.Enqueue((response.Json.GetProperty("id").GetString() ?? "?", amount, clock.ElapsedTicks));
                }
            })).ToList();

            while (acknowledged.Count < 100 && !stop.IsCancellationRequested)
            {
                await Task.Delay(20);
            }

            backupStarted = clock.ElapsedTicks;
            var exit = await GatewayCommand.RunAsync(settings, Arguments(RunbookCommands.Backup, backup));
            backupEnded = clock.ElapsedTicks;
            await Task.Delay(300);
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            Assert.True(exit.ExitCode == 0, exit.StandardOutput + exit.StandardError);
            Assert.Contains("copied online", exit.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("backup complete", exit.StandardOutput, StringComparison.Ordinal);
            var during = acknowledged.Count(p => p.At > backupStarted && p.At < backupEnded);
            output.WriteLine($"{acknowledged.Count} payments in {clock.Elapsed.TotalSeconds:0.0} s; the backup took {TimeSpan.FromTicks((backupEnded - backupStarted) * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalSeconds:0.0} s, {during} payments acknowledged while it ran");
            Assert.True(during > 0, "payments were being created while the backup ran");
        }

        Assert.True(File.Exists(Path.Combine(backup, "gateway.db")) && File.Exists(Path.Combine(backup, "vault-keys.json")));
        Assert.Equal("ok", await SqliteBackup.QuickCheckAsync(Path.Combine(backup, "gateway.db"), CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(backup, "gateway.db-wal")), "one self-contained file, no WAL beside it");

        var restored = NewDirectory(create: false);
        var restoredSettings = new Dictionary<string, string?>(settings) { ["PaymentGateway:DataDirectory"] = restored };
        var restore = await GatewayCommand.RunAsync(restoredSettings, Arguments(RunbookCommands.Restore, backup));
        Assert.True(restore.ExitCode == 0, restore.StandardOutput + restore.StandardError);
        Assert.Contains("restore complete", restore.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(directory, "vault-keys.json")), await File.ReadAllTextAsync(Path.Combine(restored, "vault-keys.json")));

        await using var again = await GatewayProcess.StartAsync(restoredSettings, restored);
        var client = again.Client(secretKey);
        var before = acknowledged.Where(p => p.At < backupStarted).ToList();
        Assert.True(before.Count >= 100, $"{before.Count} payments before the backup");
        foreach (var (id, amount, _) in before)
        {
            var payment = (await client.GetAsync($"/v1/payments/{id}")).EnsureStatus(200).Json;
            Assert.Equal(amount, payment.GetProperty("amount").GetInt64());
        }

        // The restored vault key file decrypts the card: it is charged again on the restored gateway.
        var card = (await client.GetAsync("/v1/payments?limit=100")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray()
            .Select(p => p.GetProperty("payment_method")).First(m => m.ValueKind == System.Text.Json.JsonValueKind.String).GetString();
        var charged = (await client.PostAsync("/v1/payments", new { amount = 999, currency = "EUR", payment_method = card, confirm = true })).EnsureStatus(200).Json;
        Assert.Equal("succeeded", charged.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Restore_IntoANonEmptyDataDirectory_Exits1AndChangesNothing()
    {
        var directory = NewDirectory();
        var release = await EarlierReleaseDatabase.CreateSqliteAsync(directory, "http://127.0.0.1:9/hook");
        var settings = release.Settings(new() { ["PaymentGateway:DataDirectory"] = directory });
        var backup = NewDirectory(create: false);
        var exit = await GatewayCommand.RunAsync(settings, Arguments(RunbookCommands.Backup, backup));
        Assert.True(exit.ExitCode == 0, exit.StandardOutput + exit.StandardError);
        Assert.Contains("not in this backup", exit.StandardOutput, StringComparison.Ordinal); // keys configured inline

        var occupied = NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(occupied, "notes.txt"), "something that must survive");
        var restore = await GatewayCommand.RunAsync(new Dictionary<string, string?>(settings) { ["PaymentGateway:DataDirectory"] = occupied }, Arguments(RunbookCommands.Restore, backup));
        Assert.Equal(1, restore.ExitCode);
        var line = Assert.Single(restore.ErrorLines);
        Assert.Equal($"PaymentGateway could not restore: PaymentGateway:DataDirectory '{occupied}' is not empty: restore only into a new or empty directory (move the old one aside, or point PaymentGateway:DataDirectory at a new one).", line);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(occupied).Select(Path.GetFileName));

        var overwrite = await GatewayCommand.RunAsync(settings, Arguments(RunbookCommands.Backup, backup));
        Assert.Equal(1, overwrite.ExitCode);
        Assert.Contains($"The backup directory '{backup}' is not empty", Assert.Single(overwrite.ErrorLines), StringComparison.Ordinal);
    }

    [MultiNodePostgresFact]
    public async Task Postgres_PgDumpAndPgRestore_GatewayOnTheRestoredDatabaseServesTheData()
    {
        var database = await MultiNodePostgres.CreateDatabaseAsync("pg_test_");
        var server = new NpgsqlConnectionStringBuilder(MultiNodePostgres.ConnectionString);
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;
            var release = await EarlierReleaseDatabase.CreatePostgresAsync(connectionString, "http://127.0.0.1:9/hook");
            var settings = release.Settings(new()
            {
                ["PaymentGateway:DataDirectory"] = NewDirectory(),
                ["PaymentGateway:Storage:Engine"] = "postgres",
                ["PaymentGateway:Storage:ConnectionString"] = connectionString,
            });
            string paymentId;
            await using (var node = await GatewayProcess.StartAsync(settings)) // migrates to the current schema, then takes a payment
            {
                paymentId = (await node.Client(release.SecretKey).PostAsync("/v1/payments", new { amount = 4321, currency = "EUR", payment_method = release.PaymentMethodId, confirm = true }))
                    .EnsureStatus(200).Json.GetProperty("id").GetString() ?? "?";
            }

            var work = NewDirectory();
            var environment = new Dictionary<string, string> { ["PGHOST"] = server.Host ?? "127.0.0.1", ["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["PGUSER"] = server.Username ?? "postgres" };
            foreach (var template in new[] { RunbookCommands.PgDump, RunbookCommands.PgCreateRestoreTarget, RunbookCommands.PgRestore })
            {
                var (program, arguments) = RunbookCommands.Split(template, database);
                var (code, output) = await ExternalProcess.RunAsync(program, arguments, Path.Combine(work, "pg.log"), environment, TimeSpan.FromSeconds(60));
                Assert.True(code == 0, $"{RunbookCommands.Format(template, database)} exited {code}:\n{output}");
            }

            var restoredSettings = new Dictionary<string, string?>(settings)
            {
                ["PaymentGateway:Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database + "_restored" }.ConnectionString,
            };
            await using var restored = await GatewayProcess.StartAsync(restoredSettings);
            var client = restored.Client(release.SecretKey);
            Assert.Equal(4321, (await client.GetAsync($"/v1/payments/{paymentId}")).EnsureStatus(200).Json.GetProperty("amount").GetInt64());
            Assert.Equal(234, (await client.GetAsync($"/v1/payments/{release.PaymentId}")).EnsureStatus(200).Json.GetProperty("amount_refunded").GetInt64());
        }
        finally
        {
            await MultiNodePostgres.DropDatabaseAsync(database + "_restored");
            await MultiNodePostgres.DropDatabaseAsync(database);
        }
    }
}
