using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Three gateway OS processes (the built host run with <c>dotnet PaymentGateway.Host.dll</c>, configured only by
/// environment variables) on one PostgreSQL database, sharing nothing but the database, the admin key and the vault
/// keys. Started once for the class; a database is created on the server named by <c>PAYMENTGATEWAY_TEST_POSTGRES</c>
/// and dropped afterwards. Without the variable the tests are reported as skipped.
/// </summary>
public sealed class ThreeNodeCluster : IAsyncLifetime
{
    private readonly List<GatewayProcess> _nodes = [];

    public string AdminKey { get; } = "admin_test_" + Guid.NewGuid().ToString("N");

    public string? Database { get; private set; }

    public string ConnectionString { get; private set; } = string.Empty;

    public IReadOnlyList<GatewayProcess> Nodes => _nodes;

    public WebhookReceiver? Receiver { get; private set; }

    /// <summary>Everything a node needs besides its port and data directory: the same for every node.</summary>
    public static Dictionary<string, string?> NodeSettings(string connectionString, string adminKey, string vaultKeys, string fingerprintKey) => new()
    {
        ["PaymentGateway:Storage:Engine"] = "postgres",
        ["PaymentGateway:Storage:ConnectionString"] = connectionString,
        ["PaymentGateway:AdminKey"] = adminKey,
        ["PaymentGateway:Vault:Keys"] = vaultKeys,
        ["PaymentGateway:Vault:FingerprintKey"] = fingerprintKey,

        // Short background leases so the test sees the reconciler and the dispatcher move between nodes quickly.
        ["PaymentGateway:Reconciler:Interval"] = "00:00:00.300",
        ["PaymentGateway:Reconciler:MinAge"] = "00:00:01",
        ["PaymentGateway:Reconciler:InFlightGrace"] = "00:00:05",
        ["PaymentGateway:Webhooks:AllowPrivateNetworks"] = "true",
        ["PaymentGateway:Webhooks:PollInterval"] = "00:00:00.200",
        // Generous, so a slow CI machine does not turn one delivery into a timed-out attempt and a retry.
        ["PaymentGateway:Webhooks:AttemptTimeout"] = "00:00:20",
        ["PaymentGateway:Webhooks:LeaseDuration"] = "00:00:30",
    };

    public async Task InitializeAsync()
    {
        if (MultiNodePostgres.ConnectionString is not { } server)
        {
            return; // the tests are skipped
        }

        Database = await MultiNodePostgres.CreateDatabaseAsync("pg_test_");

        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = Database }.ConnectionString;
        Receiver = await WebhookReceiver.StartAsync();
        var settings = NodeSettings(ConnectionString, AdminKey, "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        // All three start at once: the migration runs once, serialized on the advisory lock.
        var starts = Enumerable.Range(0, 3).Select(_ => GatewayProcess.StartAsync(settings)).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        finally
        {
            _nodes.AddRange(starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        if (Database is not null && MultiNodePostgres.ConnectionString is not null)
        {
            await MultiNodePostgres.DropDatabaseAsync(Database);
        }
    }

    /// <summary>A merchant made through node 0, its secret key made on node 1 and its publishable key on node 2.</summary>
    public async Task<TestMerchant> MerchantAsync()
    {
        var merchant = (await Nodes[0].Client(AdminKey).PostAsync("/v1/merchants", new { name = "Three-node merchant" })).EnsureStatus(200);
        var id = merchant.Str("id") ?? throw new InvalidOperationException("no id");
        async Task<string> KeyAsync(GatewayProcess node, string type) =>
            (await node.Client(AdminKey).PostAsync($"/v1/merchants/{id}/api_keys", new { type, livemode = false })).EnsureStatus(200).Str("secret")
            ?? throw new InvalidOperationException("no secret");
        return new TestMerchant(id, await KeyAsync(Nodes[1], "secret"), await KeyAsync(Nodes[2], "publishable"), null, null);
    }

    public async Task<string> TokenizeAsync(GatewayProcess node, TestMerchant merchant, string number)
    {
        var response = await node.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(number) },
        });
        return response.EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no id");
    }

    /// <summary>Rows of a query against the cluster's database, each as column name to value.</summary>
    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
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
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}

public sealed class MultiProcessPostgresTests(ThreeNodeCluster cluster) : IClassFixture<ThreeNodeCluster>
{
    private IReadOnlyList<GatewayProcess> Nodes => cluster.Nodes;

    [MultiNodePostgresFact]
    public async Task Same_idempotency_keys_sent_to_three_processes_at_once_make_one_payment_and_one_charge_each()
    {
        Assert.Equal(3, Nodes.Count);
        var merchant = await cluster.MerchantAsync();
        var receiver = cluster.Receiver!;
        await Webhooks.CreateEndpointAsync(Nodes[0].Client(merchant.SecretKey), receiver.Url);

        // Cards are tokenized on one node and charged on the others: the vault key is shared.
        const int Keys = 12;
        var work = new List<(string Key, object Body)>();
        for (var k = 0; k < Keys; k++)
        {
            var pm = await cluster.TokenizeAsync(Nodes[k % 3], merchant, k % 2 == 0 ? TestCards.Visa : TestCards.Mastercard);
            work.Add(("order-" + k.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8], new
            {
                amount = 1000 + k,
                currency = "EUR",
                payment_method = pm,
                confirm = true,
                metadata = new { order = k.ToString(CultureInfo.InvariantCulture) },
            }));
        }

        // Every key twice on every node, all at once.
        var sent = work.SelectMany(w => Enumerable.Range(0, 6).Select(i => (w.Key, Task: Nodes[i % 3].Client(merchant.SecretKey).PostAsync("/v1/payments", w.Body, w.Key)))).ToList();
        await Task.WhenAll(sent.Select(s => s.Task));

        var paymentIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, body) in work)
        {
            var responses = sent.Where(s => s.Key == key).Select(s => s.Task.Result).ToList();
            Assert.All(responses.Where(r => r.Status != 200), r => Problem.Assert(r, 409, "idempotency_key_in_use", "Idempotency-Key"));
            var ok = responses.Where(r => r.Status == 200).ToList();
            Assert.NotEmpty(ok);
            Assert.Single(ok, r => r.Header("Idempotent-Replayed") is null);
            Assert.Single(ok.Select(r => r.Body).Distinct());
            Assert.Equal("succeeded", ok[0].Str("status"));

            // Afterwards every node replays the very same response.
            foreach (var node in Nodes)
            {
                var replay = (await node.Client(merchant.SecretKey).PostAsync("/v1/payments", body, key)).EnsureStatus(200);
                Assert.Equal("true", replay.Header("Idempotent-Replayed"));
                Assert.Equal(ok[0].Body, replay.Body);
            }

            paymentIds[key] = ok[0].Str("id")!;
        }

        // The database agrees: one payment per key, each with exactly one provider attempt (one charge), one
        // completed idempotency record per key.
        var payments = await cluster.QueryAsync(
            "SELECT id, status, jsonb_array_length(data->'attempts') AS attempts FROM payments WHERE merchant_id = @m", ("m", merchant.Id));
        Assert.Equal(Keys, payments.Count);
        Assert.Equal(paymentIds.Values.Order(StringComparer.Ordinal), payments.Select(p => (string)p["id"]!).Order(StringComparer.Ordinal));
        Assert.All(payments, p => Assert.Equal(1, Convert.ToInt32(p["attempts"], CultureInfo.InvariantCulture)));
        Assert.All(payments, p => Assert.Equal("succeeded", p["status"]));
        var keys = await cluster.QueryAsync("SELECT key, state, response_status FROM idempotency_keys WHERE merchant_id = @m AND key LIKE 'order-%'", ("m", merchant.Id));
        Assert.Equal(Keys, keys.Count);
        Assert.All(keys, k => Assert.Equal(200, Convert.ToInt32(k["response_status"], CultureInfo.InvariantCulture)));

        // No lost or doubled events: each payment has each of its lifecycle events exactly once.
        var events = await cluster.QueryAsync("SELECT id, type, object_id FROM events WHERE merchant_id = @m AND object_id LIKE 'pay_%'", ("m", merchant.Id));
        Assert.Equal(events.Count, events.Select(e => e["id"]).Distinct().Count());
        foreach (var id in paymentIds.Values)
        {
            var types = events.Where(e => (string)e["object_id"]! == id).Select(e => (string)e["type"]!).ToList();
            Assert.Equal(types.Count, types.Distinct().Count());
            Assert.Contains("payment.created", types);
            Assert.Contains("payment.succeeded", types);
        }

        // Webhook delivery is not duplicated across nodes: every event arrives once, in one attempt.
        await AssertEveryEventDeliveredOnceAsync(merchant, receiver);
    }

    [MultiNodePostgresFact]
    public async Task Concurrent_partial_captures_and_refunds_on_three_processes_stay_within_the_limits_and_lost_answers_are_reconciled_once()
    {
        Assert.Equal(3, Nodes.Count);
        var merchant = await cluster.MerchantAsync();
        var receiver = cluster.Receiver!;
        await Webhooks.CreateEndpointAsync(Nodes[1].Client(merchant.SecretKey), receiver.Url);
        var pm = await cluster.TokenizeAsync(Nodes[0], merchant, TestCards.Visa);

        // Lost answers (the provider's reply never arrives), one per node; some node's reconciler settles each.
        var lost = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            var lostPm = await cluster.TokenizeAsync(Nodes[n], merchant, TestCards.UnknownOutcome);
            var created = (await Nodes[n].Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 700, currency = "EUR", payment_method = lostPm, confirm = true }))
                .EnsureStatus(200);
            Assert.Equal("processing", created.Str("status"));
            lost.Add(created.Str("id")!);
        }

        const int Payments = 4;
        long[] captureAmounts = [600, 700, 400, 900, 500, 800];
        for (var p = 0; p < Payments; p++)
        {
            var authorized = (await Nodes[p % 3].Client(merchant.SecretKey).PostAsync("/v1/payments",
                new { amount = 1000, currency = "EUR", capture_method = "manual", payment_method = pm, confirm = true })).EnsureStatus(200);
            Assert.Equal("requires_capture", authorized.Str("status"));
            var id = authorized.Str("id")!;

            // Six different partial captures at once across the nodes: one wins, the rest conflict.
            var captures = await Task.WhenAll(captureAmounts.Select((amount, i) =>
                Nodes[i % 3].Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = amount })));
            var won = Assert.Single(captures, r => r.Status == 200);
            Assert.All(captures.Where(r => r.Status != 200), r => Problem.Assert(r, 409, "payment_state_conflict"));
            var received = won.Long("amount_received");
            Assert.Contains(received, captureAmounts);
            Assert.True(received <= 1000);

            // Refunds of 150 from every node at once, then again until the limit is hit: never above the capture.
            for (var round = 0; round < 8; round++)
            {
                var refunds = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                    Nodes[i % 3].Client(merchant.SecretKey).PostAsync("/v1/refunds", new { payment = id, amount = 150 })));
                Assert.All(refunds, r => Assert.True(r.Status is 200 or 409 or 422, $"unexpected {r.Status}: {r.Body}"));
                var state = (await Nodes[round % 3].Client(merchant.SecretKey).GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
                Assert.True(state.Long("amount_refunded") <= state.Long("amount_received"), state.Body);
                if (state.Long("amount_refunded") + 150 > received)
                {
                    break;
                }
            }

            var final = (await Nodes[2].Client(merchant.SecretKey).GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
            Assert.Equal(received, final.Long("amount_received"));
            Assert.Equal(received - (received % 150), final.Long("amount_refunded"));

            // The database: refund rows add up to the payment's refunded amount, each refund has its events once.
            var rows = await cluster.QueryAsync("SELECT id, status, (data->>'amount')::bigint AS amount FROM refunds WHERE payment_id = @p", ("p", id));
            var succeeded = rows.Where(r => (string)r["status"]! == "succeeded").ToList();
            Assert.Equal(final.Long("amount_refunded"), succeeded.Sum(r => (long)r["amount"]!));
            var events = await cluster.QueryAsync(
                "SELECT type, count(*) AS n FROM events WHERE object_id = @p OR object_id IN (SELECT id FROM refunds WHERE payment_id = @p) GROUP BY type", ("p", id));
            var counts = events.ToDictionary(e => (string)e["type"]!, e => (long)e["n"]!, StringComparer.Ordinal);
            Assert.Equal(1, counts["payment.created"]);
            Assert.Equal(1, counts["payment.authorized"]);
            Assert.Equal(1, counts["payment.succeeded"]);
            Assert.Equal(rows.Count, counts.GetValueOrDefault("refund.created"));
            Assert.Equal(succeeded.Count, counts.GetValueOrDefault("refund.succeeded"));
            Assert.False(counts.ContainsKey("payment.canceled"));
        }

        // Every lost answer is settled (not left in processing), with exactly one final event, by exactly one node.
        foreach (var id in lost)
        {
            var settled = await Steps.PollPaymentAsync(Nodes[0].Client(merchant.SecretKey), id, p => p.Str("status") != "processing", TimeSpan.FromSeconds(30));
            Assert.Contains(settled.Str("status"), new[] { "succeeded", "failed" });
            var types = await cluster.QueryAsync("SELECT type FROM events WHERE object_id = @p", ("p", id));
            Assert.Single(types, t => (string)t["type"]! is "payment.succeeded" or "payment.failed");
            Assert.Single(types, t => (string)t["type"]! == "payment.processing");
            var reconciledBy = Nodes.Sum(n => Occurrences(n.Output(), "Reconciled payment " + id));
            Assert.Equal(1, reconciledBy);
        }

        await AssertEveryEventDeliveredOnceAsync(merchant, receiver);
    }

    private async Task AssertEveryEventDeliveredOnceAsync(TestMerchant merchant, WebhookReceiver receiver)
    {
        // The merchant's api_key.created events were written before its webhook endpoint existed, so none goes to it.
        var eventIds = (await cluster.QueryAsync("SELECT id FROM events WHERE merchant_id = @m AND type NOT LIKE 'api_key.%'", ("m", merchant.Id))).Select(e => (string)e["id"]!).ToHashSet(StringComparer.Ordinal);
        await receiver.WaitForAsync(r => eventIds.IsSubsetOf(r.Select(h => h.Id ?? string.Empty)), TimeSpan.FromSeconds(40), "every event delivered");
        await Task.Delay(TimeSpan.FromSeconds(1)); // time for a duplicate to show up, if a node were to send one
        var mine = receiver.Received.Where(h => h.Id is not null && eventIds.Contains(h.Id)).ToList();
        Assert.Equal(eventIds.Count, mine.Count);
        var deliveries = await cluster.QueryAsync("SELECT status, attempt_count FROM webhook_deliveries WHERE merchant_id = @m", ("m", merchant.Id));
        Assert.Equal(eventIds.Count, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(1, Convert.ToInt32(d["attempt_count"], CultureInfo.InvariantCulture)));
    }

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
