using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// <c>kill -9</c> of a gateway OS process while clients pay, then a restart on the same data: every payment
/// acknowledged to a client (a 2xx received) is there in the acknowledged state (or settled further, if it was
/// acknowledged as processing), every request cut by the kill is settled by the reconciler or by the client's retry
/// under the same idempotency key, and no key ever makes a second payment or a second provider attempt.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public Task Sqlite_kill_minus_9_during_load_loses_no_acknowledged_payment_and_charges_nothing_twice() =>
        CrashAndRecoverAsync(new Dictionary<string, string?>(), dataDirectory =>
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "gateway.db"), Pooling = false }.ConnectionString);
            return Task.FromResult<DbConnection>(connection);
        });

    [MultiNodePostgresFact]
    public async Task Postgres_kill_minus_9_during_load_loses_no_acknowledged_payment_and_charges_nothing_twice()
    {
        var server = MultiNodePostgres.ConnectionString!;
        var database = await MultiNodePostgres.CreateDatabaseAsync("pg_test_");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            await CrashAndRecoverAsync(
                new Dictionary<string, string?> { ["PaymentGateway:Storage:Engine"] = "postgres", ["PaymentGateway:Storage:ConnectionString"] = connectionString },
                _ => Task.FromResult<DbConnection>(new NpgsqlConnection(connectionString)));
        }
        finally
        {
            await MultiNodePostgres.DropDatabaseAsync(database);
        }
    }

    private async Task CrashAndRecoverAsync(Dictionary<string, string?> engine, Func<string, Task<DbConnection>> openDatabase)
    {
        var adminKey = "admin_test_" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string?>(engine)
        {
            ["PaymentGateway:AdminKey"] = adminKey,
            ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Reconciler:Interval"] = "00:00:00.300",
            ["PaymentGateway:Reconciler:MinAge"] = "00:00:01",

            // A request cut by the kill leaves its attempt started; after this long the reconciler takes it.
            ["PaymentGateway:Reconciler:InFlightGrace"] = "00:00:03",

            // ...and its idempotency key may be taken over by the client's retry.
            ["PaymentGateway:IdempotencyLockTimeout"] = "00:00:02",
        };

        var node = await GatewayProcess.StartAsync(settings);
        var dataDirectory = node.DataDirectory;
        try
        {
            var merchant = (await node.Client(adminKey).PostAsync("/v1/merchants", new { name = "Crash merchant" })).EnsureStatus(200).Str("id")!;
            async Task<string> KeyAsync(string type) =>
                (await node.Client(adminKey).PostAsync($"/v1/merchants/{merchant}/api_keys", new { type, livemode = false })).EnsureStatus(200).Str("secret")!;
            var secret = await KeyAsync("secret");
            var publishable = await KeyAsync("publishable");
            async Task<string> TokenizeAsync(string number) =>
                (await node.Client(publishable).PostAsync("/v1/payment_methods", new
                {
                    type = "card",
                    card = new { number, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(number) },
                })).EnsureStatus(200).Str("id")!;
            var visa = await TokenizeAsync(TestCards.Visa);
            var lostAnswer = await TokenizeAsync(TestCards.UnknownOutcome);

            // Load: workers pay one-shot with their own idempotency keys (every tenth with the lost-answer card)
            // until the process dies under them.
            var sent = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // key -> raw body
            var acknowledged = new ConcurrentDictionary<string, ApiResponse>(StringComparer.Ordinal);
            var counter = 0;
            var client = node.Client(secret);
            var workers = Enumerable.Range(0, 12).Select(w => Task.Run(async () =>
            {
                // Until the process is gone: a worker stops at its first request the dead process cannot answer, so every
                // worker ends with one request the kill cut or refused. (Stopping workers once the kill was sent let a
                // group commit answer all twelve in-flight requests just before the process died, leaving none cut.)
                while (true)
                {
                    var n = Interlocked.Increment(ref counter);
                    var key = $"crash-{n}";
                    var body = $$"""{"amount":{{1000 + n}},"currency":"EUR","payment_method":"{{(n % 10 == 0 ? lostAnswer : visa)}}","confirm":true}""";
                    sent[key] = body;
                    try
                    {
                        var response = await client.PostRawAsync("/v1/payments", body, key);
                        if (response.Status is >= 200 and < 300)
                        {
                            acknowledged[key] = response;
                        }
                        else
                        {
                            Assert.Fail($"{key}: unexpected {response.Status} {response.Body}");
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return; // the process is gone
                    }
                }
            })).ToList();

            // Kill somewhere in the middle of the load.
            var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
            while (acknowledged.Count < 150 && DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(10);
            }

            await Task.Delay(Random.Shared.Next(0, 50));
            node.Kill();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(40));
            Assert.True(acknowledged.Count >= 20, $"only {acknowledged.Count} payments before the kill");
            var inFlight = sent.Keys.Where(k => !acknowledged.ContainsKey(k)).ToList();
            Assert.True(inFlight.Count >= 12, $"{inFlight.Count} requests without an answer"); // each worker's last one
            output.WriteLine($"killed pid {node.ProcessId}: {acknowledged.Count} acknowledged ({acknowledged.Values.Count(a => a.Str("status") == "processing")} as processing), {inFlight.Count} in flight");

            // Restart on the same data.
            await node.DisposeAsync();
            node = await GatewayProcess.StartAsync(settings, dataDirectory);
            var api = node.Client(secret);

            // Every acknowledged payment is there as acknowledged, and its key replays the acknowledged response.
            foreach (var (key, ack) in acknowledged)
            {
                var now = (await api.GetAsync($"/v1/payments/{ack.Str("id")}")).EnsureStatus(200);
                Assert.Equal(ack.Long("amount"), now.Long("amount"));
                if (ack.Str("status") != "processing")
                {
                    Assert.Equal(ack.Str("status"), now.Str("status"));
                }

                var replay = (await api.PostRawAsync("/v1/payments", sent[key], key)).EnsureStatus(200);
                Assert.Equal("true", replay.Header("Idempotent-Replayed"));
                Assert.Equal(ack.Body, replay.Body);
            }

            // Every request cut by the kill: the client retries with the same key and bytes, and gets one payment.
            var retried = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in inFlight)
            {
                ApiResponse response;
                var retryUntil = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
                do
                {
                    response = await api.PostRawAsync("/v1/payments", sent[key], key);
                    if (response.Status == 409 && response.Code == "idempotency_key_in_use")
                    {
                        await Task.Delay(200); // the dead request's lock runs out
                        continue;
                    }

                    break;
                }
                while (DateTimeOffset.UtcNow < retryUntil);
                response.EnsureStatus(200);
                retried[key] = response.Str("id")!;
            }

            // Nothing left in processing: the reconciler settles lost answers and attempts cut by the kill.
            var ids = acknowledged.Values.Select(a => a.Str("id")!).Concat(retried.Values).ToList();
            Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
            var settleUntil = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
            List<(string Id, string Status, int Attempts)> rows;
            while (true)
            {
                rows = await PaymentsAsync(openDatabase, dataDirectory);
                if (rows.All(r => r.Status != "processing") || DateTimeOffset.UtcNow > settleUntil)
                {
                    break;
                }

                await Task.Delay(250);
            }

            Assert.All(rows, r => Assert.True(r.Status != "processing", $"{r.Id} is still processing"));
            output.WriteLine($"after restart: {rows.Count} payments, {rows.Count(r => r.Status == "succeeded")} succeeded, {rows.Count(r => r.Status == "failed")} failed");

            // One payment per key, no orphan: the database holds exactly the payments the clients know of, and each
            // went to the provider once.
            Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => r.Id).Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Equal(1, r.Attempts));
            foreach (var (key, ack) in acknowledged.Where(a => a.Value.Str("status") == "processing"))
            {
                Assert.Contains(rows.Single(r => r.Id == ack.Str("id")).Status, new[] { "succeeded", "failed" });
            }

            var events = await EventCountsAsync(openDatabase, dataDirectory);
            foreach (var row in rows)
            {
                Assert.Equal(1, events.GetValueOrDefault((row.Id, "payment.created")));
                Assert.Equal(row.Status == "succeeded" ? 1 : 0, events.GetValueOrDefault((row.Id, "payment.succeeded")));
                Assert.Equal(row.Status == "failed" ? 1 : 0, events.GetValueOrDefault((row.Id, "payment.failed")));
            }
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    private static async Task<List<(string Id, string Status, int Attempts)>> PaymentsAsync(Func<string, Task<DbConnection>> openDatabase, string dataDirectory)
    {
        await using var connection = await openDatabase(dataDirectory);
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

    private static async Task<Dictionary<(string ObjectId, string Type), int>> EventCountsAsync(Func<string, Task<DbConnection>> openDatabase, string dataDirectory)
    {
        await using var connection = await openDatabase(dataDirectory);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT object_id, type, count(*) FROM events GROUP BY object_id, type";
        var counts = new Dictionary<(string, string), int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[(reader.GetString(0), reader.GetString(1))] = Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture);
        }

        return counts;
    }
}
