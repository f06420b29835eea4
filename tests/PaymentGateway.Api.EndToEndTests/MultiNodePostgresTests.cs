using System.Security.Cryptography;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Two gateway nodes (two <see cref="GatewayServer"/>s, each with its own process memory) on one PostgreSQL database,
/// created for each test on the server named by <c>PAYMENTGATEWAY_TEST_POSTGRES</c> and dropped afterwards. The
/// store, not process memory, must decide: idempotency keys, state transitions and refund limits hold across nodes.
/// Without the variable these tests are reported as skipped.
/// </summary>
public sealed class MultiNodePostgresTests : IAsyncLifetime
{
    private string? _database;
    private GatewayServer? _a;
    private GatewayServer? _b;
    private readonly string _adminKey = "admin_test_" + Guid.NewGuid().ToString("N");

    private GatewayServer A => _a ?? throw new InvalidOperationException("not started");

    private GatewayServer B => _b ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var server = MultiNodePostgres.ConnectionString ?? throw new InvalidOperationException(MultiNodePostgres.SkipReason);
        _database = await MultiNodePostgres.CreateDatabaseAsync("pg_test_");

        // Everything a node keeps outside the database is the same on both: the admin key and the vault keys.
        var settings = new Dictionary<string, string?>
        {
            ["PaymentGateway:Storage:Engine"] = "postgres",
            ["PaymentGateway:Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString,
            ["PaymentGateway:AdminKey"] = _adminKey,
            ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Reconciler:MinAge"] = "00:00:05",
        };

        // Both nodes start at once: migrations serialize on the advisory lock.
        var nodes = await Task.WhenAll(GatewayServer.StartAsync(settings), GatewayServer.StartAsync(settings));
        (_a, _b) = (nodes[0], nodes[1]);
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

    private async Task<TestMerchant> MerchantAsync()
    {
        var admin = A.Client(_adminKey);
        var merchant = (await admin.PostAsync("/v1/merchants", new { name = "Multi-node merchant" })).EnsureStatus(200);
        var id = merchant.Str("id") ?? throw new InvalidOperationException("no id");
        async Task<string> KeyAsync(GatewayServer node, string type) =>
            (await node.Client(_adminKey).PostAsync($"/v1/merchants/{id}/api_keys", new { type, livemode = false })).EnsureStatus(200).Str("secret")
            ?? throw new InvalidOperationException("no secret");

        // Keys made on different nodes work on both.
        return new TestMerchant(id, await KeyAsync(B, "secret"), await KeyAsync(A, "publishable"), null, null);
    }

    [MultiNodePostgresFact]
    public async Task Both_nodes_are_ready_on_one_schema()
    {
        foreach (var node in new[] { A, B })
        {
            var ready = await node.Client(null).GetAsync("/health/ready");
            Assert.Equal(200, ready.Status);
        }
    }

    [MultiNodePostgresFact]
    public async Task One_idempotency_key_used_concurrently_on_both_nodes_does_the_work_once()
    {
        var merchant = await MerchantAsync();
        var onA = A.Client(merchant.SecretKey);
        var onB = B.Client(merchant.SecretKey);
        for (var round = 0; round < 5; round++)
        {
            var key = "multi-node-" + Guid.NewGuid().ToString("N");
            var body = new { amount = 1000 + round, currency = "EUR", metadata = new { round = round.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

            var responses = await Task.WhenAll(
                onA.PostAsync("/v1/payments", body, key), onB.PostAsync("/v1/payments", body, key),
                onA.PostAsync("/v1/payments", body, key), onB.PostAsync("/v1/payments", body, key));

            var created = responses.Where(r => r.Status == 200).ToList();
            Assert.NotEmpty(created);
            Assert.Single(created.Select(r => r.Str("id")).Distinct());
            Assert.Single(created, r => r.Header("Idempotent-Replayed") is null);
            Assert.All(responses.Where(r => r.Status != 200), r => Problem.Assert(r, 409, "idempotency_key_in_use", "Idempotency-Key"));

            // Afterwards either node replays the one stored response.
            foreach (var client in new[] { onA, onB })
            {
                var replay = (await client.PostAsync("/v1/payments", body, key)).EnsureStatus(200);
                Assert.Equal("true", replay.Header("Idempotent-Replayed"));
                Assert.Equal(created[0].Str("id"), replay.Str("id"));
            }
        }

        var list = (await onB.GetAsync("/v1/payments?limit=100")).EnsureStatus(200);
        Assert.Equal(5, Steps.Ids(list).Count());
    }

    [MultiNodePostgresFact]
    public async Task Concurrent_refunds_across_nodes_never_exceed_the_captured_amount()
    {
        var merchant = await MerchantAsync();
        var id = await Steps.SucceededPaymentAsync(A, merchant, 1000);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? A : B).Client(merchant.SecretKey).PostAsync("/v1/refunds", new { payment = id, amount = 300 })));

        var refunded = responses.Where(r => r.Status == 200).ToList();
        Assert.InRange(refunded.Count, 1, 3);
        Assert.All(responses.Where(r => r.Status != 200), r => Assert.True(r.Status is 409 or 422, $"unexpected {r.Status}: {r.Body}"));
        var payment = (await B.Client(merchant.SecretKey).GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
        Assert.Equal(300L * refunded.Count, payment.Long("amount_refunded"));
        Assert.True(payment.Long("amount_refunded") <= payment.Long("amount_received"));

        // Retrying until the limit is reached still stops exactly at the captured amount.
        for (var i = 0; i < 10 && (await A.Client(merchant.SecretKey).GetAsync($"/v1/payments/{id}")).Long("amount_refunded") < 900; i++)
        {
            await Task.WhenAll(
                A.Client(merchant.SecretKey).PostAsync("/v1/refunds", new { payment = id, amount = 300 }),
                B.Client(merchant.SecretKey).PostAsync("/v1/refunds", new { payment = id, amount = 300 }));
        }

        var final = (await A.Client(merchant.SecretKey).GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
        Assert.Equal(900, final.Long("amount_refunded"));
        var refunds = (await B.Client(merchant.SecretKey).GetAsync($"/v1/refunds?payment={id}&limit=100")).EnsureStatus(200);
        Assert.Equal(900, refunds.Json.GetProperty("data").EnumerateArray().Where(r => r.GetProperty("status").GetString() != "failed").Sum(r => r.GetProperty("amount").GetInt64()));
    }

    [MultiNodePostgresFact]
    public async Task Capture_on_one_node_and_cancel_on_the_other_exactly_one_wins()
    {
        var merchant = await MerchantAsync();
        for (var round = 0; round < 4; round++)
        {
            var id = await Steps.AuthorizedPaymentAsync(A, merchant, 1000);

            var responses = await Task.WhenAll(
                A.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/capture", new { }),
                B.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/cancel", new { }));

            var winner = Assert.Single(responses, r => r.Status == 200);
            var loser = Assert.Single(responses, r => r.Status != 200);
            Assert.Equal(409, loser.Status);
            var payment = (await B.Client(merchant.SecretKey).GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
            Assert.Equal(winner.Str("status"), payment.Str("status"));
            Assert.Equal(payment.Str("status") == "succeeded" ? 1000 : 0, payment.Long("amount_received"));
            Assert.Equal(0, payment.Long("amount_capturable"));
        }
    }
}

/// <summary>The PostgreSQL server for the multi-node tests, from <c>PAYMENTGATEWAY_TEST_POSTGRES</c>.</summary>
internal static class MultiNodePostgres
{
    public const string EnvironmentVariable = "PAYMENTGATEWAY_TEST_POSTGRES";

    public const string SkipReason =
        "Multi-node tests need PostgreSQL: set " + EnvironmentVariable + " to a connection string (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres). .ci/run starts one.";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Creates an empty database, <paramref name="prefix"/> plus a new id, on the configured server; returns its name.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = prefix + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {name};");
        return name;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever is still connected to it.</summary>
    public static Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString ?? throw new InvalidOperationException(SkipReason));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that is reported as skipped, with the reason, when no PostgreSQL server is configured.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MultiNodePostgresFactAttribute : FactAttribute
{
    public MultiNodePostgresFactAttribute()
    {
        if (MultiNodePostgres.ConnectionString is null)
        {
            Skip = MultiNodePostgres.SkipReason;
        }
    }
}
