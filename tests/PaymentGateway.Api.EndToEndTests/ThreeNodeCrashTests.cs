using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Three gateway OS processes on one PostgreSQL database under keyed one-shot load spread across them; one is killed
/// with <c>kill -9</c> mid-load and not restarted. The clients fail over: every request cut by the kill is sent again,
/// same key and bytes, to a surviving node. Afterwards every acknowledged payment is there as acknowledged and replays
/// on every surviving node, every cut request made exactly one payment, the surviving nodes' reconciler settled what
/// the dead node left in flight, and no key made a second payment or a second provider attempt. Bounded: about a
/// minute on a busy CI machine.
/// </summary>
public sealed class ThreeNodeCrashTests(ITestOutputHelper output)
{
    [MultiNodePostgresFact]
    public async Task Kill_minus_9_of_one_of_three_nodes_under_load_loses_nothing_and_charges_nothing_twice()
    {
        var server = MultiNodePostgres.ConnectionString!;
        var database = await MultiNodePostgres.CreateDatabaseAsync("pg_test_");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        var adminKey = "admin_test_" + Guid.NewGuid().ToString("N");
        var settings = ThreeNodeCluster.NodeSettings(connectionString, adminKey, "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        // A request cut by the kill leaves its attempt started; after this long a surviving node's reconciler takes it,
        // and the client's retry may take over its idempotency key.
        settings["PaymentGateway:Reconciler:InFlightGrace"] = "00:00:03";
        settings["PaymentGateway:IdempotencyLockTimeout"] = "00:00:02";

        var nodes = new List<GatewayProcess>();
        try
        {
            var starts = Enumerable.Range(0, 3).Select(_ => GatewayProcess.StartAsync(settings)).ToList();
            try
            {
                await Task.WhenAll(starts);
            }
            finally
            {
                nodes.AddRange(starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
            }

            var merchant = (await nodes[0].Client(adminKey).PostAsync("/v1/merchants", new { name = "Three-node crash merchant" })).EnsureStatus(200).Str("id")!;
            async Task<string> KeyAsync(GatewayProcess node, string type) =>
                (await node.Client(adminKey).PostAsync($"/v1/merchants/{merchant}/api_keys", new { type, livemode = false })).EnsureStatus(200).Str("secret")!;
            var secret = await KeyAsync(nodes[1], "secret");
            var publishable = await KeyAsync(nodes[2], "publishable");
            async Task<string> TokenizeAsync(GatewayProcess node, string number) =>
                (await node.Client(publishable).PostAsync("/v1/payment_methods", new
                {
                    type = "card",
                    card = new { number, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(number) },
                })).EnsureStatus(200).Str("id")!;
            var visa = await TokenizeAsync(nodes[0], TestCards.Visa);
            var lostAnswer = await TokenizeAsync(nodes[2], TestCards.UnknownOutcome);

            // Load: request n goes to node n % 3, every tenth with the lost-answer card, until node 1 dies.
            var clients = nodes.Select(n => n.Client(secret)).ToList();
            var victim = nodes[1];
            var sent = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // key -> raw body
            var acknowledged = new ConcurrentDictionary<string, ApiResponse>(StringComparer.Ordinal);
            var counter = 0;
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref counter);
                    var key = "crash3-" + n.ToString(CultureInfo.InvariantCulture);
                    var body = $$"""{"amount":{{1000 + n}},"currency":"EUR","payment_method":"{{(n % 10 == 0 ? lostAnswer : visa)}}","confirm":true}""";
                    sent[key] = body;
                    try
                    {
                        var response = await clients[n % 3].PostRawAsync("/v1/payments", body, key);
                        Assert.True(response.Status is >= 200 and < 300, $"{key} on node {n % 3}: unexpected {response.Status} {response.Body}");
                        acknowledged[key] = response;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        Assert.Equal(1, n % 3); // only the killed node's requests are cut
                    }
                }
            })).ToList();

            var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
            while (acknowledged.Count < 240 && DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(10);
            }

            await Task.Delay(Random.Shared.Next(0, 50));
            victim.Kill();
            await Task.Delay(300); // the survivors keep taking load while the victim's requests fail
            await stop.CancelAsync();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
            var survivors = new[] { clients[0], clients[2] };
            var inFlight = sent.Keys.Where(k => !acknowledged.ContainsKey(k)).ToList();
            Assert.True(acknowledged.Count >= 30, $"only {acknowledged.Count} payments before the kill");
            Assert.NotEmpty(inFlight); // four workers were on the killed node
            output.WriteLine($"killed node 1 (pid {victim.ProcessId}): {acknowledged.Count} acknowledged across three nodes, {inFlight.Count} cut");

            // Every acknowledged payment is there as acknowledged on both survivors, and its key replays the response.
            var i = 0;
            foreach (var (key, ack) in acknowledged)
            {
                var api = survivors[i++ % 2];
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

            // Failover: each cut request again, same key and bytes, on a surviving node: one payment each.
            var retried = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in inFlight)
            {
                var api = survivors[i++ % 2];
                ApiResponse response;
                var retryUntil = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
                do
                {
                    response = await api.PostRawAsync("/v1/payments", sent[key], key);
                    if (response.Status == 409 && response.Code == "idempotency_key_in_use")
                    {
                        await Task.Delay(200); // the dead node's lock on the key runs out
                        continue;
                    }

                    break;
                }
                while (DateTimeOffset.UtcNow < retryUntil);
                response.EnsureStatus(200);
                retried[key] = response.Str("id")!;
            }

            var ids = acknowledged.Values.Select(a => a.Str("id")!).Concat(retried.Values).ToList();
            Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

            // Nothing left in processing: the survivors' reconciler settles lost answers and what the dead node cut.
            var settleUntil = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
            List<Dictionary<string, object?>> rows;
            while (true)
            {
                rows = await QueryAsync(connectionString,
                    "SELECT id, status, jsonb_array_length(data->'attempts') AS attempts FROM payments WHERE merchant_id = @m", ("m", merchant));
                if (rows.All(r => (string)r["status"]! != "processing") || DateTimeOffset.UtcNow > settleUntil)
                {
                    break;
                }

                await Task.Delay(250);
            }

            Assert.All(rows, r => Assert.True((string)r["status"]! != "processing", $"{r["id"]} is still processing"));
            output.WriteLine($"after failover: {rows.Count} payments, {rows.Count(r => (string)r["status"]! == "succeeded")} succeeded, {rows.Count(r => (string)r["status"]! == "failed")} failed");

            // One payment per key and no orphan, each sent to the provider once, one creation and one outcome event each.
            Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => (string)r["id"]!).Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Equal(1, Convert.ToInt32(r["attempts"], CultureInfo.InvariantCulture)));
            var events = await QueryAsync(connectionString,
                "SELECT object_id, type, count(*) AS n FROM events WHERE merchant_id = @m GROUP BY object_id, type", ("m", merchant));
            int Count(string id, string type) =>
                events.Where(e => (string)e["object_id"]! == id && (string)e["type"]! == type).Select(e => Convert.ToInt32(e["n"], CultureInfo.InvariantCulture)).SingleOrDefault();
            foreach (var row in rows)
            {
                var id = (string)row["id"]!;
                var status = (string)row["status"]!;
                Assert.Equal(1, Count(id, "payment.created"));
                Assert.Equal(status == "succeeded" ? 1 : 0, Count(id, "payment.succeeded"));
                Assert.Equal(status == "failed" ? 1 : 0, Count(id, "payment.failed"));
            }

            // One idempotency record per key, each completed.
            var keys = await QueryAsync(connectionString, "SELECT key, state FROM idempotency_keys WHERE merchant_id = @m", ("m", merchant));
            Assert.Equal(sent.Keys.Order(StringComparer.Ordinal), keys.Select(k => (string)k["key"]!).Order(StringComparer.Ordinal));
            Assert.All(keys, k => Assert.Equal("completed", (string)k["state"]!));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            await MultiNodePostgres.DropDatabaseAsync(database);
        }
    }

    private static async Task<List<Dictionary<string, object?>>> QueryAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var c = 0; c < reader.FieldCount; c++)
            {
                row[reader.GetName(c)] = reader.IsDBNull(c) ? null : reader.GetValue(c);
            }

            rows.Add(row);
        }

        return rows;
    }
}
