using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Storage;
using PaymentGateway.Storage.Sqlite;
using Xunit.Abstractions;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// A keyed one-shot payment on SQLite writes its idempotency key in the payment's own two writer units (the claim with
/// the created payment, the stored response with the provider's answer), counted by the writer itself; and a process
/// killed between those two commits is retried under the same key into the same payment, charged once.
/// </summary>
public sealed class SqliteKeyedWriteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Keyed_one_shot_payment_is_two_writer_units_and_its_replay_none()
    {
        await using var node = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            // No background job writes while a request is measured (the reconciler would take leases).
            ["PaymentGateway:Reconciler:Enabled"] = "false",
        });
        var database = Assert.IsType<SqliteDatabase>(node.Services.GetRequiredService<GatewayStores>().Database);
        var merchant = await node.CreateMerchantAsync();
        var pm = await Flows.TokenizeAsync(node, merchant);
        var api = node.Client(merchant.SecretKey);
        var body = new { amount = 900, currency = "EUR", payment_method = pm, confirm = true };

        // Units a request adds to the writer. Any other unit (a lease, a checkpoint's bookkeeping) only adds, so the
        // least over five requests is the request's own count.
        var paid = new List<long>();
        var replayed = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var key = "units-" + Guid.NewGuid().ToString("N");
            var before = database.WriterStatistics.Units;
            var first = (await api.PostAsync("/v1/payments", body, key)).EnsureStatus(200);
            var between = database.WriterStatistics.Units;
            var replay = (await api.PostAsync("/v1/payments", body, key)).EnsureStatus(200);
            var after = database.WriterStatistics.Units;

            Assert.Equal("succeeded", first.Str("status"));
            Assert.Equal("true", replay.Header("Idempotent-Replayed"));
            Assert.Equal(first.Body, replay.Body);

            // The answer sent is the stored one, byte for byte the payment as the API serializes it anywhere else.
            Assert.Equal("application/json", first.ContentType);
            Assert.Equal((await api.GetAsync($"/v1/payments/{first.Str("id")}")).EnsureStatus(200).Body, first.Body);

            // Serialized once: the stored answer is the response, byte for byte, and both are the payment.succeeded
            // event's snapshot (the answer reuses the event's JSON, CardAnswer).
            var (stored, succeeded) = StoredAnswerAndEvent(node.DataDirectory, key, first.Str("id")!);
            Assert.Equal(first.Body, stored);
            Assert.Equal(first.Body, succeeded);
            paid.Add(between - before);
            replayed.Add(after - between);
        }

        var unkeyed = (await api.PostAsync("/v1/payments", body)).EnsureStatus(200);
        Assert.Equal("application/json", unkeyed.ContentType);
        Assert.Equal((await api.GetAsync($"/v1/payments/{unkeyed.Str("id")}")).EnsureStatus(200).Body, unkeyed.Body);

        output.WriteLine($"writer units per keyed payment: {string.Join(", ", paid)}; per replay: {string.Join(", ", replayed)}");
        Assert.Equal(2, paid.Min());
        Assert.Equal(0, replayed.Min());
    }

    /// <summary>The key's stored response body and the payment's payment.succeeded event data, as written in the database.</summary>
    private static (string? Stored, string? Succeeded) StoredAnswerAndEvent(string dataDirectory, string key, string paymentId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "gateway.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var stored = connection.CreateCommand();
        stored.CommandText = "SELECT response_body FROM idempotency_keys WHERE key = $k;";
        stored.Parameters.AddWithValue("$k", key);
        using var succeeded = connection.CreateCommand();
        succeeded.CommandText = "SELECT data FROM events WHERE object_id = $p AND type = 'payment.succeeded';";
        succeeded.Parameters.AddWithValue("$p", paymentId);
        return (stored.ExecuteScalar() as string, succeeded.ExecuteScalar() as string);
    }

    [Fact]
    public async Task Killed_between_the_two_commits_a_retry_under_the_same_key_is_the_same_payment_charged_once()
    {
        var adminKey = "admin_test_" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string?>
        {
            ["PaymentGateway:AdminKey"] = adminKey,
            ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Reconciler:Interval"] = "00:00:00.300",
            ["PaymentGateway:Reconciler:MinAge"] = "00:00:01",
            ["PaymentGateway:Reconciler:InFlightGrace"] = "00:00:03",
            ["PaymentGateway:IdempotencyLockTimeout"] = "00:00:02",

            // The provider's answer takes long enough to kill the process while the request waits for it.
            ["PaymentGateway:Simulator:Latency"] = "00:00:30",
        };
        var node = await GatewayProcess.StartAsync(settings);
        var dataDirectory = node.DataDirectory;
        try
        {
            var merchant = (await node.Client(adminKey).PostAsync("/v1/merchants", new { name = "Fold merchant" })).EnsureStatus(200).Str("id")!;
            async Task<string> KeyAsync(string type) =>
                (await node.Client(adminKey).PostAsync($"/v1/merchants/{merchant}/api_keys", new { type, livemode = false })).EnsureStatus(200).Str("secret")!;
            var secret = await KeyAsync("secret");
            var publishable = await KeyAsync("publishable");
            var pm = (await node.Client(publishable).PostAsync("/v1/payment_methods", new
            {
                type = "card",
                card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(TestCards.Visa) },
            })).EnsureStatus(200).Str("id")!;
            var key = "fold-" + Guid.NewGuid().ToString("N");
            var body = $$"""{"amount":4321,"currency":"EUR","payment_method":"{{pm}}","confirm":true}""";

            // The request's first commit lands (payment processing and its key started, together), then it waits for the
            // provider: the process dies there.
            var cut = node.Client(secret).PostRawAsync("/v1/payments", body, key);
            var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
            (string Id, string Status, int Attempts)? row = null;
            string? keyState = null;
            while (DateTimeOffset.UtcNow < until)
            {
                (var rows, keyState) = await SnapshotAsync(dataDirectory, key);
                if (rows.Count == 1 && keyState is not null)
                {
                    row = rows[0];
                    break;
                }

                Assert.Empty(rows); // never a payment without its key, nor a key without its payment
                Assert.Null(keyState);
                await Task.Delay(20);
            }

            Assert.NotNull(row);
            Assert.Equal("processing", row.Value.Status);
            Assert.Equal("started", keyState);
            node.Kill();
            await Assert.ThrowsAnyAsync<Exception>(() => cut);
            await node.DisposeAsync();

            // Restart on the same data; the provider answers at once now.
            settings["PaymentGateway:Simulator:Latency"] = "00:00:00";
            node = await GatewayProcess.StartAsync(settings, dataDirectory);
            var api = node.Client(secret);
            ApiResponse retry;
            var retryUntil = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
            var inUse = 0;
            while (true)
            {
                retry = await api.PostRawAsync("/v1/payments", body, key);
                if (retry.Status == 409 && retry.Code == "idempotency_key_in_use" && DateTimeOffset.UtcNow < retryUntil)
                {
                    inUse++;
                    await Task.Delay(200); // the dead request's lock runs out
                    continue;
                }

                break;
            }

            retry.EnsureStatus(200);
            output.WriteLine($"retry after {inUse} in-use answers: {retry.Str("status")} {retry.Str("id")}");
            Assert.Equal(row.Value.Id, retry.Str("id"));
            Assert.Equal(4321, retry.Long("amount"));

            // The reconciler settles the cut attempt; the key replays the retry's answer, and there is still one payment
            // with one attempt at the provider.
            var settleUntil = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
            List<(string Id, string Status, int Attempts)> settled;
            while (true)
            {
                settled = await PaymentsAsync(dataDirectory);
                if (settled.All(r => r.Status != "processing") || DateTimeOffset.UtcNow > settleUntil)
                {
                    break;
                }

                await Task.Delay(250);
            }

            var only = Assert.Single(settled);
            Assert.Equal(row.Value.Id, only.Id);
            Assert.Contains(only.Status, new[] { "succeeded", "failed" });
            Assert.Equal(1, only.Attempts);
            var replay = (await api.PostRawAsync("/v1/payments", body, key)).EnsureStatus(200);
            Assert.Equal("true", replay.Header("Idempotent-Replayed"));
            Assert.Equal(retry.Body, replay.Body);
            Assert.Equal("completed", await KeyStateAsync(dataDirectory, key));
            Assert.Equal(1, await CountAsync(dataDirectory, $"SELECT count(*) FROM events WHERE object_id = '{only.Id}' AND type = 'payment.created'"));
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    private static SqliteConnection Open(string dataDirectory) =>
        new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "gateway.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);

    private static async Task<List<(string Id, string Status, int Attempts)>> PaymentsAsync(string dataDirectory)
    {
        await using var connection = Open(dataDirectory);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, status, data FROM payments";
        var rows = new List<(string, string, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var data = JsonDocument.Parse(reader.GetString(2));
            rows.Add((reader.GetString(0), reader.GetString(1), data.RootElement.TryGetProperty("attempts", out var attempts) ? attempts.GetArrayLength() : 0));
        }

        return rows;
    }

    /// <summary>The payments and the key's state as one read transaction sees them (one snapshot of the database).</summary>
    private static async Task<(List<(string Id, string Status, int Attempts)> Payments, string? KeyState)> SnapshotAsync(string dataDirectory, string key)
    {
        await using var connection = Open(dataDirectory);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT state FROM idempotency_keys WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        var state = await command.ExecuteScalarAsync() as string;
        command.Parameters.Clear();
        command.CommandText = "SELECT id, status, data FROM payments";
        var rows = new List<(string, string, int)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                using var data = JsonDocument.Parse(reader.GetString(2));
                rows.Add((reader.GetString(0), reader.GetString(1), data.RootElement.TryGetProperty("attempts", out var attempts) ? attempts.GetArrayLength() : 0));
            }
        }

        return (rows, state);
    }

    private static async Task<string?> KeyStateAsync(string dataDirectory, string key)
    {
        await using var connection = Open(dataDirectory);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM idempotency_keys WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        return await command.ExecuteScalarAsync() as string;
    }

    private static async Task<long> CountAsync(string dataDirectory, string sql)
    {
        await using var connection = Open(dataDirectory);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
