using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// The SQLite engine. Reads use pooled connections (WAL lets them run beside the writer); every write goes through
/// <see cref="SqliteWriter"/>'s group commit. Objects are stored as JSON in a <c>data</c> column with the columns
/// that queries need beside it; versions are checked with conditional updates.
/// </summary>
public sealed partial class SqliteGatewayStore : IGatewayStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaders _readers;

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="busyTimeout">How long a statement waits for a lock held by another process before failing (default 30 s).</param>
    public SqliteGatewayStore(string databasePath, TimeSpan? busyTimeout = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Max(1, (busyTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds),
        }.ToString();
        _writer = new SqliteWriter(_connectionString);
        _readers = new SqliteReaders(_connectionString);
    }

    public string DatabasePath => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <summary>Group-commit statistics: transactions committed and units of work in them.</summary>
    public (long Commits, long Units) WriterStatistics => (_writer.Commits, _writer.Units);

    /// <summary>Checkpoints run beside the writer so far (see <see cref="SqliteCheckpointer"/>).</summary>
    public long Checkpoints => _writer.Checkpoints;

    public Task MigrateAsync(CancellationToken cancellationToken) => _writer.WriteAsync(ctx =>
    {
        ctx.Command("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);").ExecuteNonQuery();
        var current = Convert.ToInt32(ctx.Command("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;").ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (version, sql) in SqliteSchema.Migrations)
        {
            if (version <= current)
            {
                continue;
            }

            using (var command = ctx.Command(sql))
            {
                command.ExecuteNonQuery();
            }

            var record = ctx.Command("INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $t);");
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
        }

        return true;
    }, cancellationToken);

    /// <summary>The highest applied migration, for readiness checks.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static int LatestSchemaVersion => SqliteSchema.Migrations[^1].Version;

    public async Task CommitAsync(StoreChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        // Serialize outside the writer so the single writer thread only runs SQL.
        var newPayments = changes.NewPayments.Select(p => (p, Json(p))).ToList();
        var updatedPayments = changes.UpdatedPayments.Select(p => (p, Json(p))).ToList();
        var newRefunds = changes.NewRefunds.Select(r => (r, JsonSerializer.Serialize(r, StorageJsonContext.Default.Refund))).ToList();
        var updatedRefunds = changes.UpdatedRefunds.Select(r => (r, JsonSerializer.Serialize(r, StorageJsonContext.Default.Refund))).ToList();
        var methods = changes.NewPaymentMethods.Select(m => (m, JsonSerializer.Serialize(m, StorageJsonContext.Default.StoredPaymentMethod))).ToList();

        await _writer.WriteAsync(ctx =>
        {
            foreach (var (p, json) in newPayments)
            {
                InsertPayment(ctx, p, json);
            }

            foreach (var (p, json) in updatedPayments)
            {
                UpdatePayment(ctx, p, json);
            }

            foreach (var (r, json) in newRefunds)
            {
                var c = ctx.Command("INSERT INTO refunds (id, merchant_id, livemode, payment_id, status, created_at, updated_at, version, data) VALUES ($id, $m, $l, $p, $s, $c, $u, $v, $d);");
                BindRefund(c, r, json);
                c.ExecuteNonQuery();
            }

            foreach (var (r, json) in updatedRefunds)
            {
                var c = ctx.Command("UPDATE refunds SET status = $s, updated_at = $u, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
                BindRefund(c, r, json);
                if (c.ExecuteNonQuery() != 1)
                {
                    throw new ConcurrencyConflictException(r.Id);
                }
            }

            foreach (var (m, json) in methods)
            {
                var c = ctx.Command("INSERT INTO payment_methods (id, merchant_id, livemode, encrypted_number, data) VALUES ($id, $m, $l, $e, $d);");
                c.Parameters.AddWithValue("$id", m.Id);
                c.Parameters.AddWithValue("$m", m.MerchantId);
                c.Parameters.AddWithValue("$l", m.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$e", (object?)m.EncryptedNumber ?? DBNull.Value);
                c.Parameters.AddWithValue("$d", json);
                c.ExecuteNonQuery();
            }

            foreach (var e in changes.Events)
            {
                var c = ctx.Command("INSERT INTO events (id, merchant_id, livemode, type, object_id, created_at, data) VALUES ($id, $m, $l, $t, $o, $c, $d);");
                c.Parameters.AddWithValue("$id", e.Id);
                c.Parameters.AddWithValue("$m", e.MerchantId);
                c.Parameters.AddWithValue("$l", e.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$t", e.Type);
                c.Parameters.AddWithValue("$o", e.ObjectId);
                c.Parameters.AddWithValue("$c", e.Created.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", e.DataJson);
                c.ExecuteNonQuery();
            }

            foreach (var m in changes.NewMerchants)
            {
                var c = ctx.Command("INSERT INTO merchants (id, created_at, data) VALUES ($id, $c, $d);");
                c.Parameters.AddWithValue("$id", m.Id);
                c.Parameters.AddWithValue("$c", m.Created.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", JsonSerializer.Serialize(m, StorageJsonContext.Default.Merchant));
                c.ExecuteNonQuery();
            }

            foreach (var k in changes.NewApiKeys)
            {
                var c = ctx.Command("INSERT INTO api_keys (id, merchant_id, key_hash, data) VALUES ($id, $m, $h, $d);");
                c.Parameters.AddWithValue("$id", k.Id);
                c.Parameters.AddWithValue("$m", k.MerchantId);
                c.Parameters.AddWithValue("$h", k.KeyHash);
                c.Parameters.AddWithValue("$d", JsonSerializer.Serialize(k, StorageJsonContext.Default.ApiKeyRecord));
                c.ExecuteNonQuery();
            }

            foreach (var (name, value) in changes.Settings)
            {
                var c = ctx.Command("INSERT INTO settings (name, value) VALUES ($n, $v) ON CONFLICT (name) DO UPDATE SET value = excluded.value;");
                c.Parameters.AddWithValue("$n", name);
                c.Parameters.AddWithValue("$v", value);
                c.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);

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

    private static void InsertPayment(WriterContext ctx, Payment p, string json)
    {
        var c = ctx.Command("INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($id, $m, $l, $s, $c, $u, $v, $d);");
        BindPayment(c, p, json);
        c.ExecuteNonQuery();
    }

    /// <summary>The version-checked update of a payment row; another writer's change first is a conflict.</summary>
    private static void UpdatePayment(WriterContext ctx, Payment p, string json)
    {
        var c = ctx.Command("UPDATE payments SET status = $s, updated_at = $u, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
        BindPayment(c, p, json);
        if (c.ExecuteNonQuery() != 1)
        {
            throw new ConcurrencyConflictException(p.Id);
        }
    }

    public Task<Payment?> GetPaymentAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, version FROM payments WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadPayment, cancellationToken);

    public Task<Payment?> GetPaymentByIdAsync(string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, version FROM payments WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), ReadPayment, cancellationToken);

    public Task<IReadOnlyList<Payment>> ListPaymentsAsync(string merchantId, bool livemode, PaymentListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (query.Status is { } status)
        {
            filters.Add("status = $status");
        }

        return ListAsync("payments", "data, version", filters, query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (query.Status is { } s)
            {
                c.Parameters.AddWithValue("$status", s.ToWire());
            }
        }, ReadPayment, cancellationToken);
    }

    public Task<IReadOnlyList<Payment>> ListStaleProcessingPaymentsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        QueryListAsync("SELECT data, version FROM payments WHERE status = 'processing' AND updated_at < $u AND json_extract(data, '$.payment_method_type') IS NOT 'sepa_debit' ORDER BY updated_at LIMIT $n;",
            c => { c.Parameters.AddWithValue("$u", updatedBefore.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", limit); },
            ReadPayment, cancellationToken);

    public Task<Refund?> GetRefundAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, version FROM refunds WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadRefund, cancellationToken);

    public Task<IReadOnlyList<Refund>> ListRefundsAsync(string merchantId, bool livemode, string? paymentId, ListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (paymentId is not null)
        {
            filters.Add("payment_id = $p");
        }

        return ListAsync("refunds", "data, version", filters, query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (paymentId is not null)
            {
                c.Parameters.AddWithValue("$p", paymentId);
            }
        }, ReadRefund, cancellationToken);
    }

    public Task<IReadOnlyList<Refund>> ListStalePendingRefundsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        QueryListAsync("SELECT data, version FROM refunds WHERE status = 'pending' AND updated_at < $u ORDER BY updated_at LIMIT $n;",
            c => { c.Parameters.AddWithValue("$u", updatedBefore.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", limit); },
            ReadRefund, cancellationToken);

    public Task<StoredPaymentMethod?> GetPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, encrypted_number FROM payment_methods WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            r =>
            {
                var method = JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.StoredPaymentMethod)
                             ?? throw new InvalidDataException("Empty payment method row.");
                method.EncryptedNumber = r.IsDBNull(1) ? null : r.GetString(1);
                return method;
            }, cancellationToken);

    public Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data FROM merchants WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id),
            r => JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.Merchant) ?? throw new InvalidDataException("Empty merchant row."),
            cancellationToken);

    public Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken) =>
        QueryListAsync("SELECT data FROM merchants ORDER BY id;", _ => { },
            r => JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.Merchant) ?? throw new InvalidDataException("Empty merchant row."),
            cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data FROM api_keys WHERE key_hash = $h;", c => c.Parameters.AddWithValue("$h", keyHash),
            r => JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.ApiKeyRecord) ?? throw new InvalidDataException("Empty key row."),
            cancellationToken);

    public Task<GatewayEvent?> GetEventAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadEvent, cancellationToken);

    public Task<IReadOnlyList<GatewayEvent>> ListEventsAsync(string merchantId, bool livemode, EventListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (query.Type is not null)
        {
            filters.Add("type = $t");
        }

        if (query.ObjectId is not null)
        {
            filters.Add("object_id = $o");
        }

        return ListAsync("events", "id, merchant_id, livemode, type, object_id, created_at, data", filters, query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (query.Type is not null)
            {
                c.Parameters.AddWithValue("$t", query.Type);
            }

            if (query.ObjectId is not null)
            {
                c.Parameters.AddWithValue("$o", query.ObjectId);
            }
        }, ReadEvent, cancellationToken);
    }

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT value FROM settings WHERE name = $n;", c => c.Parameters.AddWithValue("$n", name), r => r.GetString(0), cancellationToken);

    public Task<IdempotencyBeginResult> BeginIdempotentRequestAsync(IdempotencyBeginRequest request, CancellationToken cancellationToken) =>
        _writer.WriteAsync(ctx =>
        {
            var now = request.Now.ToUnixTimeMilliseconds();
            var select = ctx.Command("SELECT request_hash, recovery_seed, state, locked_until, response_status, response_body FROM idempotency_keys WHERE merchant_id = $m AND key = $k;");
            select.Parameters.AddWithValue("$m", request.MerchantId);
            select.Parameters.AddWithValue("$k", request.Key);
            string? hash = null, seed = null, state = null, body = null;
            long lockedUntil = 0;
            var status = 0;
            using (var reader = select.ExecuteReader())
            {
                if (reader.Read())
                {
                    hash = reader.GetString(0);
                    seed = reader.GetString(1);
                    state = reader.GetString(2);
                    lockedUntil = reader.GetInt64(3);
                    status = reader.IsDBNull(4) ? 0 : reader.GetInt32(4);
                    body = reader.IsDBNull(5) ? null : reader.GetString(5);
                }
            }

            if (hash is null)
            {
                seed = Core.Ids.New("x")[2..];
                var insert = ctx.Command("INSERT INTO idempotency_keys (merchant_id, key, request_hash, recovery_seed, state, locked_until, created_at) VALUES ($m, $k, $h, $s, 'started', $lu, $c);");
                insert.Parameters.AddWithValue("$m", request.MerchantId);
                insert.Parameters.AddWithValue("$k", request.Key);
                insert.Parameters.AddWithValue("$h", request.RequestHash);
                insert.Parameters.AddWithValue("$s", seed);
                insert.Parameters.AddWithValue("$lu", now + (long)request.LockDuration.TotalMilliseconds);
                insert.Parameters.AddWithValue("$c", now);
                insert.ExecuteNonQuery();
                return new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Started, RecoverySeed = seed };
            }

            if (!string.Equals(hash, request.RequestHash, StringComparison.Ordinal))
            {
                return new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Mismatch };
            }

            if (state == "completed")
            {
                return new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Replay, ResponseStatus = status, ResponseBody = body, RecoverySeed = seed };
            }

            if (state == "started" && lockedUntil > now)
            {
                return new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.InUse };
            }

            var relock = ctx.Command("UPDATE idempotency_keys SET state = 'started', locked_until = $lu WHERE merchant_id = $m AND key = $k;");
            relock.Parameters.AddWithValue("$m", request.MerchantId);
            relock.Parameters.AddWithValue("$k", request.Key);
            relock.Parameters.AddWithValue("$lu", now + (long)request.LockDuration.TotalMilliseconds);
            relock.ExecuteNonQuery();
            return new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Started, RecoverySeed = seed };
        }, cancellationToken);

    public Task CompleteIdempotentRequestAsync(IdempotencyCompletion completion, CancellationToken cancellationToken) =>
        _writer.WriteAsync(ctx =>
        {
            var c = ctx.Command("UPDATE idempotency_keys SET state = 'completed', locked_until = 0, response_status = $st, response_body = $b WHERE merchant_id = $m AND key = $k;");
            c.Parameters.AddWithValue("$m", completion.MerchantId);
            c.Parameters.AddWithValue("$k", completion.Key);
            c.Parameters.AddWithValue("$st", completion.ResponseStatus);
            c.Parameters.AddWithValue("$b", completion.ResponseBody);
            return c.ExecuteNonQuery();
        }, cancellationToken);

    public Task ReleaseIdempotentRequestAsync(string merchantId, string key, CancellationToken cancellationToken) =>
        _writer.WriteAsync(ctx =>
        {
            var c = ctx.Command("UPDATE idempotency_keys SET state = 'open', locked_until = 0 WHERE merchant_id = $m AND key = $k AND state = 'started';");
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$k", key);
            return c.ExecuteNonQuery();
        }, cancellationToken);

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) =>
        _writer.WriteAsync(ctx =>
        {
            var c = ctx.Command("DELETE FROM idempotency_keys WHERE created_at < $c AND state != 'started';");
            c.Parameters.AddWithValue("$c", createdBefore.ToUnixTimeMilliseconds());
            return c.ExecuteNonQuery();
        }, cancellationToken);

    public Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        _writer.WriteAsync(ctx =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var c = ctx.Command("""
                INSERT INTO leases (name, holder, expires_at) VALUES ($n, $h, $e)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at < $now;
                """);
            c.Parameters.AddWithValue("$n", name);
            c.Parameters.AddWithValue("$h", holder);
            c.Parameters.AddWithValue("$e", now + (long)duration.TotalMilliseconds);
            c.Parameters.AddWithValue("$now", now);
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _readers.Dispose();
        return _writer.DisposeAsync();
    }

    private static string Json(Payment p) => JsonSerializer.Serialize(p, StorageJsonContext.Default.Payment);

    private static void BindPayment(SqliteCommand c, Payment p, string json)
    {
        c.Parameters.AddWithValue("$id", p.Id);
        c.Parameters.AddWithValue("$m", p.MerchantId);
        c.Parameters.AddWithValue("$l", p.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$s", p.Status.ToWire());
        c.Parameters.AddWithValue("$c", p.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$u", p.Updated.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", p.Version);
        c.Parameters.AddWithValue("$d", json);
    }

    private static void BindRefund(SqliteCommand c, Refund r, string json)
    {
        c.Parameters.AddWithValue("$id", r.Id);
        c.Parameters.AddWithValue("$m", r.MerchantId);
        c.Parameters.AddWithValue("$l", r.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$p", r.PaymentId);
        c.Parameters.AddWithValue("$s", r.Status.ToWire());
        c.Parameters.AddWithValue("$c", r.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$u", r.Updated.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", r.Version);
        c.Parameters.AddWithValue("$d", json);
    }

    private static Payment ReadPayment(SqliteDataReader r)
    {
        var payment = JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.Payment) ?? throw new InvalidDataException("Empty payment row.");
        payment.Version = r.GetInt64(1);
        return payment;
    }

    private static Refund ReadRefund(SqliteDataReader r)
    {
        var refund = JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.Refund) ?? throw new InvalidDataException("Empty refund row.");
        refund.Version = r.GetInt64(1);
        return refund;
    }

    private static GatewayEvent ReadEvent(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        MerchantId = r.GetString(1),
        Livemode = r.GetInt64(2) == 1,
        Type = r.GetString(3),
        ObjectId = r.GetString(4),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        DataJson = r.GetString(6),
    };

    private Task<IReadOnlyList<T>> ListAsync<T>(string table, string columns, List<string> filters, ListQuery query, Action<SqliteCommand> bind,
        Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        if (query.CreatedGte is not null)
        {
            filters.Add("created_at >= $gte");
        }

        if (query.CreatedLt is not null)
        {
            filters.Add("created_at < $lt");
        }

        var backwards = query.EndingBefore is not null && query.StartingAfter is null;
        if (query.StartingAfter is not null)
        {
            filters.Add("id < $after");
        }

        if (query.EndingBefore is not null)
        {
            filters.Add("id > $before");
        }

        var sql = $"SELECT {columns} FROM {table} WHERE {string.Join(" AND ", filters)} ORDER BY id {(backwards ? "ASC" : "DESC")} LIMIT $limit;";
        return QueryListAsync(sql, c =>
        {
            bind(c);
            if (query.CreatedGte is { } gte)
            {
                c.Parameters.AddWithValue("$gte", gte.ToUnixTimeMilliseconds());
            }

            if (query.CreatedLt is { } lt)
            {
                c.Parameters.AddWithValue("$lt", lt.ToUnixTimeMilliseconds());
            }

            if (query.StartingAfter is not null)
            {
                c.Parameters.AddWithValue("$after", query.StartingAfter);
            }

            if (query.EndingBefore is not null)
            {
                c.Parameters.AddWithValue("$before", query.EndingBefore);
            }

            c.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 1000));
        }, read, cancellationToken, reverse: backwards);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private async Task<T?> QuerySingleAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var session = _readers.Rent();
        var command = session.Command(sql);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
    }

    private async Task<IReadOnlyList<T>> QueryListAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read,
        CancellationToken cancellationToken, bool reverse = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var session = _readers.Rent();
        var command = session.Command(sql);
        bind(command);
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
}
