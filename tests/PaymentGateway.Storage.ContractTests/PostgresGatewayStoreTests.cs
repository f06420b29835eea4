using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;
using PaymentGateway.Storage.Postgres;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// The contract suite against PostgreSQL, each test on a new database (created on the server named by
/// PAYMENTGATEWAY_TEST_POSTGRES and dropped afterwards), plus multi-node checks: two stores on one database are two
/// gateway nodes. Without the variable every test here is reported as skipped.
/// </summary>
[RequiresPostgres]
public sealed class PostgresGatewayStoreTests : GatewayStoreContractTests
{
    /// <summary>As the host runs by default: change sets committed in groups by two writer loops.</summary>
    private const int GroupCommitWriters = 2;

    private string? _databaseName;
    private string _connectionString = string.Empty;

    protected override async Task<GatewayStores> CreateStoreAsync()
    {
        (_databaseName, _connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        var store = PostgresStores.Open(_connectionString, GroupCommitWriters);
        await store.Maintenance.MigrateAsync(Ct);
        return store;
    }

    protected override async Task<GatewayStores> ReopenStoreAsync(GatewayStores current)
    {
        await current.DisposeAsync();
        var store = PostgresStores.Open(_connectionString, GroupCommitWriters);
        await store.Maintenance.MigrateAsync(Ct);
        return store;
    }

    protected override async Task DisposeStoreAsync(GatewayStores store)
    {
        await store.DisposeAsync();
        if (_databaseName is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_databaseName);
        }
    }

    /// <summary>Another node: a second set of stores with its own connection pool on the same database.</summary>
    private GatewayStores SecondNode() => PostgresStores.Open(_connectionString, GroupCommitWriters);

    private async Task<object?> ScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return await command.ExecuteScalarAsync();
    }

    [PostgresFact]
    public async Task Postgres_migrations_run_concurrently_from_three_nodes_produce_one_schema()
    {
        var (name, connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        try
        {
            var nodes = Enumerable.Range(0, 3).Select(_ => PostgresStores.Open(connectionString)).ToList();
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.Maintenance.MigrateAsync(Ct))));
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.Maintenance.MigrateAsync(Ct))));

            foreach (var node in nodes)
            {
                Assert.Equal(node.Maintenance.LatestSchemaVersion, await node.Maintenance.GetSchemaVersionAsync(Ct));
            }

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var count = new NpgsqlCommand("SELECT MAX(version), COUNT(*) - COUNT(DISTINCT version) FROM schema_migrations;", connection);
                await using var reader = await count.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.Equal(nodes[0].Maintenance.LatestSchemaVersion, reader.GetInt64(0)); // versions may have gaps (numbered per feature)
                Assert.Equal(0, reader.GetInt64(1));
            }

            var payment = Payment(NewMerchantId());
            await nodes[0].Payments.CommitAsync(Changes(c => c.NewPayments.Add(payment)), Ct);
            Assert.NotNull(await nodes[2].Payments.GetPaymentByIdAsync(payment.Id, Ct));
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(name);
        }
    }

    [PostgresFact]
    public async Task Postgres_schema_version_is_zero_before_migrating_and_the_database_is_reachable()
    {
        var (name, connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        try
        {
            await using var store = PostgresStores.Open(connectionString);
            var maintenance = store.Maintenance;
            Assert.Null(await maintenance.FindProblemAsync(Ct));
            Assert.Equal(0, await store.Maintenance.GetSchemaVersionAsync(Ct));
            await store.Maintenance.MigrateAsync(Ct);
            Assert.Equal(maintenance.LatestSchemaVersion, await store.Maintenance.GetSchemaVersionAsync(Ct));
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(name);
        }

        await using var unreachable = PostgresStores.Open(new NpgsqlConnectionStringBuilder(_connectionString) { Port = 1, Timeout = 2 }.ConnectionString);
        Assert.NotNull(await unreachable.Maintenance.FindProblemAsync(Ct));
    }

    [PostgresFact]
    public async Task Postgres_metadata_values_the_trigger_wrote_stay_after_migration_17_and_follow_later_changes()
    {
        var (name, connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        try
        {
            // A database as migration 16 left it: a payment inserted by SQL, its value rows written by the trigger.
            var payment = SearchPayment(NewMerchantId(), 0, 900, "EUR", metadata: new() { ["order_id"] = "ord-16" });
            await using (var database = new PostgresDatabase(connectionString))
            {
                await new PostgresStoreMaintenance(database).MigrateAsync(16, Ct);
            }

            async Task<long> ScalarOnAsync(string sql)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($1, $2, false, 'processing', 0, 0, 0, $3::jsonb);", connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = payment.Id });
                insert.Parameters.Add(new NpgsqlParameter { Value = payment.MerchantId });
                insert.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(payment, StorageJsonContext.Default.Payment) });
                await insert.ExecuteNonQueryAsync();
            }

            const string Triggers = "SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'payments_metadata_%';";
            Assert.Equal(2, await ScalarOnAsync(Triggers));
            Assert.Equal(1, await ScalarOnAsync("SELECT COUNT(*) FROM payment_metadata_values;"));

            await using var store = PostgresStores.Open(connectionString, GroupCommitWriters);
            await store.Maintenance.MigrateAsync(Ct);
            Assert.Equal(0, await ScalarOnAsync(Triggers));
            Assert.Equal(0, await ScalarOnAsync("SELECT COUNT(*) FROM pg_proc WHERE proname = 'payments_metadata_values';"));
            await AssertTriggerWrittenValuesFollowTheStoreAsync(store, payment);
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(name);
        }
    }

    [PostgresFact]
    public async Task Postgres_idempotency_begin_from_two_nodes_starts_exactly_once()
    {
        await using var other = SecondNode();
        var merchant = NewMerchantId();
        for (var round = 0; round < 5; round++)
        {
            var key = $"race-{round}";
            var request = new IdempotencyBeginRequest { MerchantId = merchant, Key = key, RequestHash = "h", Now = T0, LockDuration = TimeSpan.FromSeconds(30) };
            var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                Task.Run(() => (i % 2 == 0 ? Store : other).Idempotency.BeginIdempotentRequestAsync(request, Ct))));

            Assert.Single(results, r => r.Outcome == IdempotencyBeginOutcome.Started);
            Assert.Equal(15, results.Count(r => r.Outcome == IdempotencyBeginOutcome.InUse));
        }

        // A released key is re-claimed by exactly one node too, with the same seed.
        var first = await Store.Idempotency.BeginIdempotentRequestAsync(new IdempotencyBeginRequest { MerchantId = merchant, Key = "relock", RequestHash = "h", Now = T0, LockDuration = TimeSpan.FromSeconds(30) }, Ct);
        await other.Idempotency.ReleaseIdempotentRequestAsync(merchant, "relock", Ct);
        var retry = new IdempotencyBeginRequest { MerchantId = merchant, Key = "relock", RequestHash = "h", Now = T0.AddSeconds(1), LockDuration = TimeSpan.FromSeconds(30) };
        var again = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).Idempotency.BeginIdempotentRequestAsync(retry, Ct))));
        var started = Assert.Single(again, r => r.Outcome == IdempotencyBeginOutcome.Started);
        Assert.Equal(first.RecoverySeed, started.RecoverySeed);
    }

    [PostgresFact]
    public async Task Postgres_optimistic_updates_from_two_nodes_let_exactly_one_win()
    {
        await using var other = SecondNode();
        var merchant = NewMerchantId();
        var payment = Payment(merchant);
        await CommitAsync(c => c.NewPayments.Add(payment));

        var copies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? Store : other).Payments.GetPaymentByIdAsync(payment.Id, Ct)));
        var outcomes = await Task.WhenAll(copies.Select((copy, i) =>
        {
            Assert.NotNull(copy);
            copy.Status = PaymentStatus.Canceled;
            copy.ProviderReference = $"node-{i % 2}-{i}";
            return Task.Run(() => Outcome((i % 2 == 0 ? Store : other).Payments.CommitAsync(Changes(c =>
            {
                c.UpdatedPayments.Add(copy);
                c.Events.Add(Event(merchant, copy.Id, created: T0.AddSeconds(i)));
            }), Ct)));
        }));

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.IsType<ConcurrencyConflictException>(o));
        Assert.Equal(1L, await ScalarAsync("SELECT version FROM payments WHERE id = $1;", payment.Id));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM events WHERE object_id = $1;", payment.Id));
    }

    [PostgresFact]
    public async Task Postgres_webhook_claims_from_two_nodes_are_disjoint_and_cover_every_due_delivery()
    {
        await using var other = SecondNode();
        var merchant = NewMerchantId();
        var at = T0.AddDays(-1);
        var endpoint = new WebhookEndpoint
        {
            Id = Core.Ids.New(Core.Ids.WebhookEndpoint, at),
            MerchantId = merchant,
            Livemode = false,
            Url = "https://merchant.example/hooks",
            EnabledEvents = [WebhookEndpoint.AllEvents],
            Secrets = [new WebhookSecret { Id = "wsk_1", Encrypted = "v1:k1:X:Y", Created = at }],
            Created = at,
            Updated = at,
        };
        await Store.Webhooks.CreateWebhookEndpointAsync(endpoint, null, Ct);
        await CommitAsync(c => c.Events.AddRange(Enumerable.Range(0, 60).Select(i => Event(merchant, $"pay_{i}", created: T0.AddSeconds(i)))));

        // Fan-out from both nodes at once takes each event once.
        var fanned = await Task.WhenAll(
            Task.Run(() => Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 7, Ct)), Task.Run(() => other.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 7, Ct)),
            Task.Run(() => Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct)), Task.Run(() => other.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct)));
        while (await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct) is var more && more > 0)
        {
            fanned = [.. fanned, more];
        }

        Assert.Equal(60, fanned.Sum());
        Assert.Equal(60L, await ScalarAsync("SELECT COUNT(*) FROM webhook_deliveries;"));

        var now = DateTimeOffset.UtcNow.AddSeconds(1);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).Webhooks.ClaimWebhookDeliveriesAsync(new WebhookClaimRequest { Holder = $"node-{i}", Now = now, LeaseDuration = TimeSpan.FromSeconds(30), Limit = 10 }, Ct))));

        var ids = claims.SelectMany(c => c.Select(d => d.Delivery.Id)).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(60, ids.Count);
        for (var i = 0; i < claims.Length; i++)
        {
            foreach (var claimed in claims[i])
            {
                Assert.Equal($"node-{i}", await ScalarAsync("SELECT lease_holder FROM webhook_deliveries WHERE id = $1;", claimed.Delivery.Id));
            }
        }
    }

    /// <summary>
    /// An endpoint's delete (with its audit entry, as the API does it) and an attempt finishing on one of its deliveries
    /// take the endpoint's row and the delivery's in the same order, so neither is chosen as a deadlock victim (a 500 for
    /// the delete, found by the PostgreSQL fuzz run). A third transaction holds the endpoint's row until both wait on it:
    /// the delete first, then the attempt; had the attempt taken the delivery's row before waiting, releasing the
    /// endpoint would hand it to the delete, which then needs the delivery's row: a deadlock.
    /// </summary>
    [PostgresFact]
    public async Task Postgres_deleting_an_endpoint_while_an_attempt_on_it_finishes_does_not_deadlock()
    {
        var merchant = NewMerchantId();
        var endpoint = Endpoint(merchant);
        await Store.Webhooks.CreateWebhookEndpointAsync(endpoint, null, Ct);
        await CommitAsync(c => c.Events.Add(Event(merchant, "pay_1")));
        await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct);
        var claimed = Assert.Single(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a"), Ct));

        await using var blocker = new NpgsqlConnection(_connectionString);
        await blocker.OpenAsync(Ct);
        await using var hold = await blocker.BeginTransactionAsync(Ct);
        await using (var select = new NpgsqlCommand("SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR UPDATE;", blocker, hold))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = endpoint.Id });
            await select.ExecuteScalarAsync(Ct);
        }

        var audit = new AuditRecord
        {
            Created = DateTimeOffset.UtcNow,
            Action = "webhook_endpoint.deleted",
            Actor = AuditActor.AdminKey,
            MerchantId = merchant,
            TargetType = "webhook_endpoint",
            TargetId = endpoint.Id,
            Context = new AuditContext { Ip = "127.0.0.1", UserAgent = "contract", RequestId = "req_delete" },
        };
        var delete = Task.Run(() => Store.Webhooks.DeleteWebhookEndpointAsync(merchant, false, endpoint.Id, DateTimeOffset.UtcNow, audit, Ct));
        await WaitForLockWaitersAsync(1);
        var complete = Task.Run(() => Store.Webhooks.CompleteWebhookAttemptAsync(
            Completion(claimed, "a", succeeded: false, WebhookDeliveryStatus.Pending, DateTimeOffset.UtcNow.AddMinutes(5)), Ct));
        await WaitForLockWaitersAsync(2);
        await hold.RollbackAsync(Ct);

        Assert.True(await delete);
        Assert.False((await complete).LeaseHeld);
        Assert.Null(await Store.Webhooks.GetWebhookEndpointAsync(merchant, false, endpoint.Id, Ct));
        Assert.Equal(WebhookDeliveryStatus.Canceled, (await Store.Webhooks.GetWebhookDeliveryAsync(merchant, false, claimed.Delivery.Id, Ct))?.Status);
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM audit_entries WHERE target_id = $1;", endpoint.Id));
    }

    /// <summary>Waits until <paramref name="count"/> sessions on this test's database wait for a lock.</summary>
    private async Task WaitForLockWaitersAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock';"),
                   System.Globalization.CultureInfo.InvariantCulture) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} session(s) waited for a lock within 30 s");
            await Task.Delay(20, Ct);
        }
    }

    [PostgresFact]
    public async Task Postgres_lease_is_held_by_one_of_two_nodes()
    {
        await using var other = SecondNode();
        var name = "reconciler-" + Guid.NewGuid().ToString("N");
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).Leases.TryAcquireLeaseAsync(name, $"node-{i}", TimeSpan.FromSeconds(30), Ct))));
        Assert.Single(results, held => held);
    }

    [PostgresFact]
    public async Task Postgres_encrypted_number_lives_in_its_column_and_objects_are_jsonb()
    {
        var merchant = NewMerchantId();
        var method = PaymentMethod(merchant, encryptedNumber: "v1:SECRET-CIPHERTEXT-7d1e0b:AAAA==");
        await CommitAsync(c => c.NewPaymentMethods.Add(method));

        var json = Assert.IsType<string>(await ScalarAsync("SELECT data::text FROM payment_methods WHERE id = $1;", method.Id));
        Assert.DoesNotContain("SECRET-CIPHERTEXT", json, StringComparison.Ordinal);
        Assert.Equal(method.EncryptedNumber, await ScalarAsync("SELECT encrypted_number FROM payment_methods WHERE id = $1;", method.Id));
        Assert.Equal("jsonb", await ScalarAsync("SELECT pg_typeof(data)::text FROM payments LIMIT 1;") ?? "jsonb");
        Assert.Equal("jsonb", await ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_name = 'payments' AND column_name = 'data';"));
    }
}
