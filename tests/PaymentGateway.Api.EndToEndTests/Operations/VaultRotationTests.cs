using System.Data.Common;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests.Operations;

/// <summary>
/// Vault key rotation end to end, as the runbook does it (docs/operations.md, Vault key rotation), with the real gateway
/// process on both engines: secrets stored under key <c>old</c> (a card, an IBAN, a webhook endpoint secret, an
/// idempotent response carrying it, provider credentials); <c>new</c> made active with <c>old</c> kept; a start without
/// <c>old</c> refused with one line naming it; <c>host vault rewrap</c> stopped after two batches and run again resumes
/// where it stopped; then no text column of the database holds <c>v1:old:</c>, and a gateway with only <c>new</c> starts
/// and decrypts everything. The leased background job does the same by itself.
/// </summary>
public sealed partial class VaultRotationTests
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string NewDirectory()
    {
        var directory = Path.Combine(GatewayServer.TestRoot, "vault-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static Dictionary<string, string?> Keys(Dictionary<string, string?> storage, string keys, string active, string adminKey) => new(storage)
    {
        ["PaymentGateway:AdminKey"] = adminKey,
        ["PaymentGateway:Vault:Keys"] = keys,
        ["PaymentGateway:Vault:ActiveKeyId"] = active,
        ["PaymentGateway:Vault:FingerprintKey"] = FingerprintKey,
        ["PaymentGateway:Webhooks:AllowPrivateNetworks"] = "true",
        ["PaymentGateway:Webhooks:PollInterval"] = "00:00:00.200",
        ["PaymentGateway:Vault:RewrapEnabled"] = "false",
    };

    [Fact]
    public async Task Sqlite_RewrapUnderTheNewKey_ThenTheOldKeyIsRemoved_EverythingStillDecrypts()
    {
        var directory = NewDirectory();
        await RotateAsync(new() { ["PaymentGateway:DataDirectory"] = directory }, directory,
            () => new SqliteConnection($"Data Source={Path.Combine(directory, "gateway.db")};Pooling=false"));
    }

    [MultiNodePostgresFact]
    public async Task Postgres_RewrapUnderTheNewKey_ThenTheOldKeyIsRemoved_EverythingStillDecrypts()
    {
        var database = await MultiNodePostgres.CreateDatabaseAsync("pg_test_");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(MultiNodePostgres.ConnectionString) { Database = database }.ConnectionString;
            await RotateAsync(new()
            {
                ["PaymentGateway:DataDirectory"] = NewDirectory(),
                ["PaymentGateway:Storage:Engine"] = "postgres",
                ["PaymentGateway:Storage:ConnectionString"] = connectionString,
            }, null, () => new NpgsqlConnection(connectionString));
        }
        finally
        {
            await MultiNodePostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task RewrapJob_ReencryptsInTheBackground_ThenTheOldKeyIsNoLongerInUse()
    {
        var directory = NewDirectory();
        var admin = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var storage = new Dictionary<string, string?> { ["PaymentGateway:DataDirectory"] = directory };
        await using var receiver = await WebhookReceiver.StartAsync();
        await using (var node = await GatewayProcess.StartAsync(Keys(storage, $"old:{OldKey}", "old", admin), directory))
        {
            await SeedAsync(node, admin, receiver.Url);
        }

        Func<DbConnection> open = () => new SqliteConnection($"Data Source={Path.Combine(directory, "gateway.db")};Pooling=false");
        Assert.NotEmpty(await RowsUnderKeyAsync(open, "old"));

        var rotated = Keys(storage, $"old:{OldKey};new:{NewKey}", "new", admin);
        rotated["PaymentGateway:Vault:RewrapEnabled"] = "true";
        rotated["PaymentGateway:Vault:RewrapInterval"] = "00:00:00.500";
        rotated["PaymentGateway:Vault:RewrapBatchSize"] = "1";
        rotated["PaymentGateway:Vault:RewrapBatchesPerPass"] = "2";
        await using (var node = await GatewayProcess.StartAsync(rotated, directory))
        {
            var until = DateTimeOffset.UtcNow.AddSeconds(60);
            while (!node.Output().Contains("Vault re-encryption complete", StringComparison.Ordinal) && DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(200);
            }

            Assert.Contains("Vault re-encryption complete: every stored secret is under new", node.Output(), StringComparison.Ordinal);
            Assert.True(Regex.Matches(node.Output(), "Vault re-encryption: payment_methods.encrypted_number").Count >= 2, "progress is logged per batch");
        }

        Assert.Empty(await RowsUnderKeyAsync(open, "old"));
        await using var only = await GatewayProcess.StartAsync(Keys(storage, $"new:{NewKey}", "new", admin), directory);
    }

    private static async Task RotateAsync(Dictionary<string, string?> storage, string? directory, Func<DbConnection> open)
    {
        var admin = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var receiver = await WebhookReceiver.StartAsync();
        Seeded seeded;
        await using (var node = await GatewayProcess.StartAsync(Keys(storage, $"old:{OldKey}", "old", admin), directory))
        {
            seeded = await SeedAsync(node, admin, receiver.Url);
        }

        var before = await RowsUnderKeyAsync(open, "old");
        foreach (var table in new[] { "payment_methods", "webhook_endpoints", "idempotency_keys", "provider_accounts" })
        {
            Assert.Contains(before, c => c.StartsWith(table + ".", StringComparison.Ordinal));
        }

        // Without the old key the gateway refuses to start, naming it.
        var newOnly = Keys(storage, $"new:{NewKey}", "new", admin);
        var refused = await GatewayCommand.RunAsync(newOnly, "--urls", $"http://127.0.0.1:{ExternalProcess.FreeLoopbackPort()}");
        Assert.True(refused.ExitCode == 1, refused.StandardOutput + refused.StandardError);
        var line = Assert.Single(refused.ErrorLines);
        Assert.StartsWith("PaymentGateway could not start: The database holds secrets under vault key id 'old' (in ", line, StringComparison.Ordinal);
        Assert.Contains("host vault rewrap", line, StringComparison.Ordinal);

        // Both keys, new active: two batches of one row, then the rest from where it stopped.
        var both = Keys(storage, $"old:{OldKey};new:{NewKey}", "new", admin);
        var rewrap = RunbookCommands.Split(RunbookCommands.VaultRewrap, "/opt/paymentgateway").Arguments.Skip(1).ToArray();
        var first = await GatewayCommand.RunAsync(both, [.. rewrap, "--batch-size", "1", "--batches", "2"]);
        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Contains("stopped after 2 batches at payment_methods.encrypted_number (2 examined, 2 re-wrapped)", first.StandardOutput, StringComparison.Ordinal);
        Assert.NotEmpty(await RowsUnderKeyAsync(open, "old"));

        var rest = await GatewayCommand.RunAsync(both, rewrap);
        Assert.True(rest.ExitCode == 0, rest.StandardOutput + rest.StandardError);
        var progress = rest.StandardOutput.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("  payment_methods.encrypted_number: 0 rows examined", progress[0], StringComparison.Ordinal); // resumed after the two it did
        Assert.Contains($"re-encryption complete:", rest.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"{before.Sum(c => Count(c)) - 2} re-wrapped under 'new'", rest.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("key 'old' is no longer in use", rest.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await RowsUnderKeyAsync(open, "old"));

        // Only the new key: it starts, charges the card, signs with the endpoint's secret and replays the stored response.
        await using var node2 = await GatewayProcess.StartAsync(newOnly, directory);
        var client = node2.Client(seeded.SecretKey);
        var payment = (await client.PostAsync("/v1/payments", new { amount = 1500, currency = "EUR", payment_method = seeded.CardId, confirm = true })).EnsureStatus(200).Json;
        Assert.Equal("succeeded", payment.GetProperty("status").GetString());
        var id = payment.GetProperty("id").GetString() ?? "?";
        var delivered = await receiver.WaitForAsync(r => r.Any(w => w.Body.Contains(id, StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the payment's webhook");
        var webhook = delivered.First(w => w.Body.Contains(id, StringComparison.Ordinal));
        Assert.True(SpecVerifier.Verify(seeded.WebhookSecret, webhook.Id, webhook.Timestamp, webhook.Body, webhook.Signature));
        var replay = (await client.PostAsync("/v1/webhook_endpoints", new { url = receiver.Url, enabled_events = new[] { "*" } }, seeded.IdempotencyKey)).EnsureStatus(200).Json;
        Assert.Equal(seeded.WebhookSecret, replay.GetProperty("secret").GetString());
    }

    private sealed record Seeded(string SecretKey, string CardId, string WebhookSecret, string IdempotencyKey);

    private static async Task<Seeded> SeedAsync(GatewayProcess node, string adminKey, string webhookUrl)
    {
        var admin = node.Client(adminKey);
        var merchant = (await admin.PostAsync("/v1/merchants", new { name = "Rotating shop" })).EnsureStatus(200).Json.GetProperty("id").GetString();
        var sk = (await admin.PostAsync($"/v1/merchants/{merchant}/api_keys", new { type = "secret", livemode = false })).EnsureStatus(200).Json.GetProperty("secret").GetString() ?? "?";
        var pk = (await admin.PostAsync($"/v1/merchants/{merchant}/api_keys", new { type = "publishable", livemode = false })).EnsureStatus(200).Json.GetProperty("secret").GetString() ?? "?";
        var card = (await node.Client(pk).PostAsync("/v1/payment_methods", new { type = "card", card = new { number = "4242424242424242", exp_month = 12, exp_year = 2034, cvc = "123" } }))
            .EnsureStatus(200).Json.GetProperty("id").GetString() ?? "?";
        (await node.Client(pk).PostAsync("/v1/payment_methods", new { type = "sepa_debit", sepa_debit = new { iban = "DE89 3704 0044 0532 0130 00" }, holder_name = "A. Lovelace" })).EnsureStatus(200);
        var idempotencyKey = "rotate-" + Guid.NewGuid().ToString("N");
        var secret = (await node.Client(sk).PostAsync("/v1/webhook_endpoints", new { url = webhookUrl, enabled_events = new[] { "*" } }, idempotencyKey))
            .EnsureStatus(200).Json.GetProperty("secret").GetString() ?? "?";
        (await admin.PostAsync($"/v1/merchants/{merchant}/provider_accounts", new
        {
            provider = "stripe",
            livemode = true,
            credentials = new { api_key = "sk_live_51RotationAccountSecretValue" },
            settings = new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:9", ["raw_card_data_enabled"] = "false" },
        })).EnsureStatus(200);
        return new Seeded(sk, card, secret, idempotencyKey);
    }

    /// <summary>Every text/JSON column of every table, as <c>table.column:count</c>, whose value contains a ciphertext under <paramref name="keyId"/>.</summary>
    private static async Task<List<string>> RowsUnderKeyAsync(Func<DbConnection> open, string keyId)
    {
        await using var connection = open();
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = connection is NpgsqlConnection
                ? "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'json', 'jsonb');"
                : "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.type = 'TEXT';";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.True(columns.Count > 20, $"found the columns ({columns.Count})");
        var found = new List<string>();
        foreach (var (table, column) in columns)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = connection is NpgsqlConnection
                ? $"SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\"::text LIKE '%v1:{keyId}:%';"
                : $"SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" LIKE '%v1:{keyId}:%';";
            var n = Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            if (n > 0)
            {
                found.Add($"{table}.{column}:{n}");
            }
        }

        return found;
    }

    private static long Count(string found) => long.Parse(found[(found.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
