using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// The PostgreSQL engine, for several stateless gateway nodes on one database. Every operation is a short
/// transaction on a pooled connection; nothing is cached in process memory, so any node can serve any request.
/// Objects are stored as JSON in a <c>data</c> column with the columns that queries need beside it; versions are
/// checked with conditional updates (<c>WHERE version = $v</c>), which under row locks makes exactly one of two
/// concurrent writers win, whichever node they run on.
/// </summary>
public sealed partial class PostgresGatewayStore : IGatewayStore, IStoreMaintenance, IAsyncDisposable
{
    // The database clock, so leases do not depend on the nodes' clocks agreeing.
    private const string DbNowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private int _disposed;

    /// <summary>Opens a pooled data source on <paramref name="connectionString"/>; disposed with the store.</summary>
    public PostgresGatewayStore(string connectionString)
        : this(NpgsqlDataSource.Create(connectionString), ownsDataSource: true)
    {
    }

    /// <summary>Uses <paramref name="dataSource"/>; disposes it with the store only when <paramref name="ownsDataSource"/>.</summary>
    public PostgresGatewayStore(NpgsqlDataSource dataSource, bool ownsDataSource = false)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    public static int LatestSchemaVersion => PostgresSchema.Migrations[^1].Version;

    string IStoreMaintenance.Engine => "postgres";

    int IStoreMaintenance.LatestSchemaVersion => LatestSchemaVersion;

    /// <summary>
    /// Applies pending migrations in one transaction under a transaction-scoped advisory lock, so nodes that start
    /// together run them once, one after the other; the others find the schema current and do nothing.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1);", cancellationToken, P(PostgresSchema.MigrationLockKey)).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL);", cancellationToken).ConfigureAwait(false);
        int current;
        await using (var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;", connection, transaction))
        {
            current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (version, sql) in PostgresSchema.Migrations)
        {
            if (version <= current)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2);", cancellationToken,
                P(version), P(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The highest applied migration (0 before the first), for readiness checks.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN -1 ELSE 0 END;");
        if (Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) < 0)
        {
            return 0;
        }

        await using var read = _dataSource.CreateCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;");
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string?> FindProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1;");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"PostgreSQL is not reachable: {e.Message}";
        }
    }

    public async Task CommitAsync(StoreChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        var versionChecks = new List<(NpgsqlBatchCommand Command, string Id)>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);

        foreach (var p in changes.NewPayments)
        {
            batch.BatchCommands.Add(InsertPaymentCommand(p));
        }

        foreach (var p in changes.UpdatedPayments)
        {
            var command = UpdatePaymentCommand(p);
            batch.BatchCommands.Add(command);
            versionChecks.Add((command, p.Id));
        }

        foreach (var r in changes.NewRefunds)
        {
            batch.BatchCommands.Add(Cmd("INSERT INTO refunds (id, merchant_id, livemode, payment_id, status, created_at, updated_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);",
                P(r.Id), P(r.MerchantId), P(r.Livemode), P(r.PaymentId), P(r.Status.ToWire()), P(r.Created.ToUnixTimeMilliseconds()),
                P(r.Updated.ToUnixTimeMilliseconds()), P(r.Version), Jsonb(JsonSerializer.Serialize(r, StorageJsonContext.Default.Refund))));
        }

        foreach (var r in changes.UpdatedRefunds)
        {
            var command = Cmd("UPDATE refunds SET status = $2, updated_at = $3, version = $4 + 1, data = $5 WHERE id = $1 AND version = $4;",
                P(r.Id), P(r.Status.ToWire()), P(r.Updated.ToUnixTimeMilliseconds()), P(r.Version), Jsonb(JsonSerializer.Serialize(r, StorageJsonContext.Default.Refund)));
            batch.BatchCommands.Add(command);
            versionChecks.Add((command, r.Id));
        }

        foreach (var m in changes.NewPaymentMethods)
        {
            batch.BatchCommands.Add(Cmd("INSERT INTO payment_methods (id, merchant_id, livemode, encrypted_number, data) VALUES ($1, $2, $3, $4, $5);",
                P(m.Id), P(m.MerchantId), P(m.Livemode), Text(m.EncryptedNumber), Jsonb(JsonSerializer.Serialize(m, StorageJsonContext.Default.StoredPaymentMethod))));
        }

        foreach (var e in changes.Events)
        {
            batch.BatchCommands.Add(InsertEventCommand(e));
        }

        foreach (var m in changes.NewMerchants)
        {
            batch.BatchCommands.Add(Cmd("INSERT INTO merchants (id, created_at, data) VALUES ($1, $2, $3);",
                P(m.Id), P(m.Created.ToUnixTimeMilliseconds()), Jsonb(JsonSerializer.Serialize(m, StorageJsonContext.Default.Merchant))));
        }

        foreach (var k in changes.NewApiKeys)
        {
            batch.BatchCommands.Add(Cmd("INSERT INTO api_keys (id, merchant_id, key_hash, data) VALUES ($1, $2, $3, $4);",
                P(k.Id), P(k.MerchantId), P(k.KeyHash), Jsonb(JsonSerializer.Serialize(k, StorageJsonContext.Default.ApiKeyRecord))));
        }

        foreach (var (name, value) in changes.Settings)
        {
            batch.BatchCommands.Add(Cmd("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value;",
                P(name), Text(value)));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (versionChecks.Count > 0 && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            // Two change sets updating the same rows in opposite orders: one is chosen to fail. Nothing of it was
            // written, exactly as when a version check fails, so the caller sees the same conflict.
            throw new ConcurrencyConflictException(versionChecks[0].Id);
        }

        foreach (var (command, id) in versionChecks)
        {
            if (command.RecordsAffected != 1)
            {
                // Disposing the transaction without committing rolls every statement of the batch back.
                throw new ConcurrencyConflictException(id);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        // Committed: the in-memory copies are now at the stored versions.
        foreach (var p in changes.UpdatedPayments)
        {
            p.Version++;
        }

        foreach (var r in changes.UpdatedRefunds)
        {
            r.Version++;
        }
    }

    public Task<Payment?> GetPaymentAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, version FROM payments WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadPayment, cancellationToken);

    public Task<Payment?> GetPaymentByIdAsync(string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, version FROM payments WHERE id = $1;", [P(id)], ReadPayment, cancellationToken);

    public Task<IReadOnlyList<Payment>> ListPaymentsAsync(string merchantId, bool livemode, PaymentListQuery query, CancellationToken cancellationToken)
    {
        var sql = new SqlFilter();
        sql.Add("merchant_id = {0}", P(merchantId));
        sql.Add("livemode = {0}", P(livemode));
        if (query.Status is { } status)
        {
            sql.Add("status = {0}", P(status.ToWire()));
        }

        return ListAsync("payments", "data, version", sql, query, ReadPayment, cancellationToken);
    }

    public Task<IReadOnlyList<Payment>> ListStaleProcessingPaymentsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        QueryListAsync("SELECT data, version FROM payments WHERE status = 'processing' AND updated_at < $1 AND (data->>'payment_method_type') IS DISTINCT FROM 'sepa_debit' ORDER BY updated_at LIMIT $2;",
            [P(updatedBefore.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadPayment, cancellationToken);

    public Task<Refund?> GetRefundAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, version FROM refunds WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadRefund, cancellationToken);

    public Task<IReadOnlyList<Refund>> ListRefundsAsync(string merchantId, bool livemode, string? paymentId, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = new SqlFilter();
        sql.Add("merchant_id = {0}", P(merchantId));
        sql.Add("livemode = {0}", P(livemode));
        if (paymentId is not null)
        {
            sql.Add("payment_id = {0}", P(paymentId));
        }

        return ListAsync("refunds", "data, version", sql, query, ReadRefund, cancellationToken);
    }

    public Task<IReadOnlyList<Refund>> ListStalePendingRefundsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        QueryListAsync("SELECT data, version FROM refunds WHERE status = 'pending' AND updated_at < $1 ORDER BY updated_at LIMIT $2;",
            [P(updatedBefore.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadRefund, cancellationToken);

    public Task<StoredPaymentMethod?> GetPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, encrypted_number FROM payment_methods WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)],
            r =>
            {
                var method = JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.StoredPaymentMethod)
                             ?? throw new InvalidDataException("Empty payment method row.");
                method.EncryptedNumber = r.IsDBNull(1) ? null : r.GetString(1);
                return method;
            }, cancellationToken);

    public Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data FROM merchants WHERE id = $1;", [P(id)], ReadMerchant, cancellationToken);

    public Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken) =>
        QueryListAsync("SELECT data FROM merchants ORDER BY id;", [], ReadMerchant, cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data FROM api_keys WHERE key_hash = $1;", [P(keyHash)],
            r => JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.ApiKeyRecord) ?? throw new InvalidDataException("Empty key row."),
            cancellationToken);

    public Task<GatewayEvent?> GetEventAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {EventColumns} FROM events WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadEvent, cancellationToken);

    public Task<IReadOnlyList<GatewayEvent>> ListEventsAsync(string merchantId, bool livemode, EventListQuery query, CancellationToken cancellationToken)
    {
        var sql = new SqlFilter();
        sql.Add("merchant_id = {0}", P(merchantId));
        sql.Add("livemode = {0}", P(livemode));
        if (query.Type is not null)
        {
            sql.Add("type = {0}", P(query.Type));
        }

        if (query.ObjectId is not null)
        {
            sql.Add("object_id = {0}", P(query.ObjectId));
        }

        return ListAsync("events", EventColumns, sql, query, ReadEvent, cancellationToken);
    }

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT value FROM settings WHERE name = $1;", [P(name)], r => r.GetString(0), cancellationToken);

    /// <summary>
    /// A new key is claimed by one INSERT … ON CONFLICT DO NOTHING: of any number of concurrent first uses, on any
    /// nodes, exactly one inserts. A key that exists is decided in a transaction holding its row lock
    /// (SELECT … FOR UPDATE), so a re-lock after release or expiry is granted to one request only.
    /// </summary>
    public async Task<IdempotencyBeginResult> BeginIdempotentRequestAsync(IdempotencyBeginRequest request, CancellationToken cancellationToken)
    {
        var now = request.Now.ToUnixTimeMilliseconds();
        var lockedUntil = now + (long)request.LockDuration.TotalMilliseconds;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var seed = Ids.New("x")[2..];
            var inserted = await ExecuteAsync(connection, null, """
                INSERT INTO idempotency_keys (merchant_id, key, request_hash, recovery_seed, state, locked_until, created_at)
                VALUES ($1, $2, $3, $4, 'started', $5, $6) ON CONFLICT (merchant_id, key) DO NOTHING;
                """, cancellationToken, P(request.MerchantId), P(request.Key), P(request.RequestHash), P(seed), P(lockedUntil), P(now)).ConfigureAwait(false);
            if (inserted == 1)
            {
                return new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Started, RecoverySeed = seed };
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            string hash, state;
            string? body;
            long rowLockedUntil;
            int status;
            await using (var select = new NpgsqlCommand("""
                SELECT request_hash, recovery_seed, state, locked_until, response_status, response_body
                FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 FOR UPDATE;
                """, connection, transaction))
            {
                select.Parameters.Add(P(request.MerchantId));
                select.Parameters.Add(P(request.Key));
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    // Purged between the insert and the select: insert again.
                    if (attempt < 3)
                    {
                        continue;
                    }

                    throw new InvalidOperationException($"Idempotency key {request.Key} vanished repeatedly while it was being claimed.");
                }

                hash = reader.GetString(0);
                seed = reader.GetString(1);
                state = reader.GetString(2);
                rowLockedUntil = reader.GetInt64(3);
                status = reader.IsDBNull(4) ? 0 : reader.GetInt32(4);
                body = reader.IsDBNull(5) ? null : reader.GetString(5);
            }

            IdempotencyBeginResult result;
            if (!string.Equals(hash, request.RequestHash, StringComparison.Ordinal))
            {
                result = new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Mismatch };
            }
            else if (state == "completed")
            {
                result = new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Replay, ResponseStatus = status, ResponseBody = body, RecoverySeed = seed };
            }
            else if (state == "started" && rowLockedUntil > now)
            {
                result = new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.InUse };
            }
            else
            {
                await ExecuteAsync(connection, transaction, "UPDATE idempotency_keys SET state = 'started', locked_until = $3 WHERE merchant_id = $1 AND key = $2;",
                    cancellationToken, P(request.MerchantId), P(request.Key), P(lockedUntil)).ConfigureAwait(false);
                result = new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Started, RecoverySeed = seed };
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
    }

    public Task CompleteIdempotentRequestAsync(IdempotencyCompletion completion, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE idempotency_keys SET state = 'completed', locked_until = 0, response_status = $3, response_body = $4 WHERE merchant_id = $1 AND key = $2;",
            cancellationToken, P(completion.MerchantId), P(completion.Key), P(completion.ResponseStatus), Text(completion.ResponseBody));

    public Task ReleaseIdempotentRequestAsync(string merchantId, string key, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE idempotency_keys SET state = 'open', locked_until = 0 WHERE merchant_id = $1 AND key = $2 AND state = 'started';",
            cancellationToken, P(merchantId), P(key));

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM idempotency_keys WHERE created_at < $1 AND state <> 'started';", cancellationToken, P(createdBefore.ToUnixTimeMilliseconds()));

    /// <summary>
    /// One upsert decides: a free or expired lease (by the database's clock) goes to the caller, a lease held by the
    /// caller is renewed, and a lease held by someone else is left alone (no row returned).
    /// </summary>
    public async Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, {DbNowMs} + $3)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at < {DbNowMs}
            RETURNING holder;
            """);
        command.Parameters.Add(P(name));
        command.Parameters.Add(P(holder));
        command.Parameters.Add(P((long)duration.TotalMilliseconds));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string;
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a container may dispose the same instance once per service it was registered as.
        if (_ownsDataSource && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    // ---------------------------------------------------------------- helpers

    private const string EventColumns = "id, merchant_id, livemode, type, object_id, created_at, data";

    private static NpgsqlBatchCommand InsertPaymentCommand(Payment p) =>
        Cmd("INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
            P(p.Id), P(p.MerchantId), P(p.Livemode), P(p.Status.ToWire()), P(p.Created.ToUnixTimeMilliseconds()), P(p.Updated.ToUnixTimeMilliseconds()),
            P(p.Version), Jsonb(JsonSerializer.Serialize(p, StorageJsonContext.Default.Payment)));

    /// <summary>The version-checked update of a payment row: the caller checks it changed exactly one row.</summary>
    private static NpgsqlBatchCommand UpdatePaymentCommand(Payment p) =>
        Cmd("UPDATE payments SET status = $2, updated_at = $3, version = $4 + 1, data = $5 WHERE id = $1 AND version = $4;",
            P(p.Id), P(p.Status.ToWire()), P(p.Updated.ToUnixTimeMilliseconds()), P(p.Version), Jsonb(JsonSerializer.Serialize(p, StorageJsonContext.Default.Payment)));

    private static NpgsqlBatchCommand InsertEventCommand(GatewayEvent e) =>
        Cmd("INSERT INTO events (id, merchant_id, livemode, type, object_id, created_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7);",
            P(e.Id), P(e.MerchantId), P(e.Livemode), P(e.Type), P(e.ObjectId), P(e.Created.ToUnixTimeMilliseconds()), Json(e.DataJson));

    private static NpgsqlParameter P(object value) => new() { Value = value };

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Int(int? value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Long(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Jsonb(string json) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json };

    private static NpgsqlParameter Json(string json) => new() { NpgsqlDbType = NpgsqlDbType.Json, Value = json };

    private static NpgsqlBatchCommand Cmd(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(p);
        }

        return command;
    }

    private static Payment ReadPayment(NpgsqlDataReader r)
    {
        var payment = JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.Payment) ?? throw new InvalidDataException("Empty payment row.");
        payment.Version = r.GetInt64(1);
        return payment;
    }

    private static Refund ReadRefund(NpgsqlDataReader r)
    {
        var refund = JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.Refund) ?? throw new InvalidDataException("Empty refund row.");
        refund.Version = r.GetInt64(1);
        return refund;
    }

    private static Merchant ReadMerchant(NpgsqlDataReader r) =>
        JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.Merchant) ?? throw new InvalidDataException("Empty merchant row.");

    private static GatewayEvent ReadEvent(NpgsqlDataReader r) => ReadEvent(r, 0);

    private static GatewayEvent ReadEvent(NpgsqlDataReader r, int offset) => new()
    {
        Id = r.GetString(offset),
        MerchantId = r.GetString(offset + 1),
        Livemode = r.GetBoolean(offset + 2),
        Type = r.GetString(offset + 3),
        ObjectId = r.GetString(offset + 4),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(offset + 5)),
        DataJson = r.GetString(offset + 6),
    };

    /// <summary>Newest-first cursor pagination over id order; <c>ending_before</c> reads upwards and reverses.</summary>
    private Task<IReadOnlyList<T>> ListAsync<T>(string table, string columns, SqlFilter sql, ListQuery query, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken)
    {
        if (query.CreatedGte is { } gte)
        {
            sql.Add("created_at >= {0}", P(gte.ToUnixTimeMilliseconds()));
        }

        if (query.CreatedLt is { } lt)
        {
            sql.Add("created_at < {0}", P(lt.ToUnixTimeMilliseconds()));
        }

        var backwards = query.EndingBefore is not null && query.StartingAfter is null;
        if (query.StartingAfter is not null)
        {
            sql.Add("id < {0}", P(query.StartingAfter));
        }

        if (query.EndingBefore is not null)
        {
            sql.Add("id > {0}", P(query.EndingBefore));
        }

        var limit = sql.Parameter(P(Math.Clamp(query.Limit, 1, 1000)));
        var text = $"SELECT {columns} FROM {table} WHERE {sql.Where} ORDER BY id {(backwards ? "ASC" : "DESC")} LIMIT {limit};";
        return QueryListAsync(text, sql.Parameters, read, cancellationToken, reverse: backwards);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> QuerySingleAsync<T>(string sql, IReadOnlyList<NpgsqlParameter> parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(p);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
    }

    private async Task<IReadOnlyList<T>> QueryListAsync<T>(string sql, IReadOnlyList<NpgsqlParameter> parameters, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken, bool reverse = false)
    {
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(p);
        }

        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(read(reader));
        }

        if (reverse)
        {
            results.Reverse();
        }

        return results;
    }

    /// <summary>A WHERE clause built from conditions with positional parameters ($1, $2, …).</summary>
    private sealed class SqlFilter
    {
        private readonly List<string> _conditions = [];

        public List<NpgsqlParameter> Parameters { get; } = [];

        public string Where => _conditions.Count == 0 ? "true" : string.Join(" AND ", _conditions);

        /// <summary>Adds a condition; <c>{0}</c> in it becomes the parameter's placeholder.</summary>
        public void Add(string condition, NpgsqlParameter parameter) =>
            _conditions.Add(condition.Replace("{0}", Parameter(parameter), StringComparison.Ordinal));

        public string Parameter(NpgsqlParameter parameter)
        {
            Parameters.Add(parameter);
            return "$" + Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
