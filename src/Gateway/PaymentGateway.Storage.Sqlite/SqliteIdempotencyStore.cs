using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Idempotency keys on SQLite. A claim is one writer unit: it reads the key's row, asks
/// <see cref="IdempotencyDecision.Decide"/> and writes what that says before any other write runs, so two claims of
/// one key never both start.
/// </summary>
public sealed class SqliteIdempotencyStore(SqliteDatabase database) : IIdempotencyStore
{
    public Task<IdempotencyBeginResult> BeginIdempotentRequestAsync(IdempotencyBeginRequest request, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var select = ctx.Command($"SELECT {IdempotencyKeyColumns} FROM idempotency_keys WHERE merchant_id = $m AND key = $k;");
            select.Parameters.AddWithValue("$m", request.MerchantId);
            select.Parameters.AddWithValue("$k", request.Key);
            StoredIdempotencyKey? stored;
            using (var reader = select.ExecuteReader())
            {
                stored = reader.Read() ? ReadIdempotencyKey(reader) : null;
            }

            var decision = IdempotencyDecision.Decide(stored, request, IdempotencyDecision.NewRecoverySeed());
            if (decision.Write == IdempotencyKeyWrite.Insert)
            {
                var insert = ctx.Command("INSERT INTO idempotency_keys (merchant_id, key, request_hash, recovery_seed, state, locked_until, created_at) VALUES ($m, $k, $h, $s, 'started', $lu, $c);");
                insert.Parameters.AddWithValue("$m", request.MerchantId);
                insert.Parameters.AddWithValue("$k", request.Key);
                insert.Parameters.AddWithValue("$h", request.RequestHash);
                insert.Parameters.AddWithValue("$s", decision.RecoverySeed);
                insert.Parameters.AddWithValue("$lu", decision.LockedUntil.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$c", request.Now.ToUnixTimeMilliseconds());
                insert.ExecuteNonQuery();
            }
            else if (decision.Write == IdempotencyKeyWrite.Relock)
            {
                var relock = ctx.Command("UPDATE idempotency_keys SET state = 'started', locked_until = $lu WHERE merchant_id = $m AND key = $k;");
                relock.Parameters.AddWithValue("$m", request.MerchantId);
                relock.Parameters.AddWithValue("$k", request.Key);
                relock.Parameters.AddWithValue("$lu", decision.LockedUntil.ToUnixTimeMilliseconds());
                relock.ExecuteNonQuery();
            }

            return decision.Result;
        }, cancellationToken);

    public Task<StoredIdempotencyKey?> FindIdempotencyKeyAsync(string merchantId, string key, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {IdempotencyKeyColumns} FROM idempotency_keys WHERE merchant_id = $m AND key = $k;",
            c => { c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$k", key); }, ReadIdempotencyKey, cancellationToken);

    public Task CommitIdempotencyAsync(IdempotencyKeyChanges changes, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            Write(ctx, changes);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Writes a key's claim (an insert that throws <see cref="IdempotencyKeyTakenException"/> when the key exists, so
    /// the writer unit rolls back whole) and/or its response, inside the current writer unit.
    /// </summary>
    internal static void Write(WriterContext ctx, IdempotencyKeyChanges changes)
    {
        if (changes.Claim is { } claim)
        {
            var insert = ctx.Command("INSERT INTO idempotency_keys (merchant_id, key, request_hash, recovery_seed, state, locked_until, response_status, response_body, created_at) VALUES ($m, $k, $h, $s, $st, $lu, $rs, $rb, $c) ON CONFLICT (merchant_id, key) DO NOTHING;");
            insert.Parameters.AddWithValue("$m", changes.MerchantId);
            insert.Parameters.AddWithValue("$k", changes.Key);
            insert.Parameters.AddWithValue("$h", claim.RequestHash);
            insert.Parameters.AddWithValue("$s", claim.RecoverySeed);
            insert.Parameters.AddWithValue("$st", changes.Response is null ? "started" : "completed");
            insert.Parameters.AddWithValue("$lu", changes.Response is null ? claim.LockedUntil.ToUnixTimeMilliseconds() : 0);
            insert.Parameters.AddWithValue("$rs", (object?)changes.Response?.Status ?? DBNull.Value);
            insert.Parameters.AddWithValue("$rb", (object?)changes.Response?.Body ?? DBNull.Value);
            insert.Parameters.AddWithValue("$c", claim.Created.ToUnixTimeMilliseconds());
            if (insert.ExecuteNonQuery() != 1)
            {
                throw new IdempotencyKeyTakenException(changes.Key);
            }
        }
        else if (changes.Response is { } response)
        {
            Complete(ctx, changes.MerchantId, changes.Key, response.Status, response.Body);
        }
    }

    private static int Complete(WriterContext ctx, string merchantId, string key, int status, string body)
    {
        var c = ctx.Command("UPDATE idempotency_keys SET state = 'completed', locked_until = 0, response_status = $st, response_body = $b WHERE merchant_id = $m AND key = $k;");
        c.Parameters.AddWithValue("$m", merchantId);
        c.Parameters.AddWithValue("$k", key);
        c.Parameters.AddWithValue("$st", status);
        c.Parameters.AddWithValue("$b", body);
        return c.ExecuteNonQuery();
    }

    public Task CompleteIdempotentRequestAsync(IdempotencyCompletion completion, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx => Complete(ctx, completion.MerchantId, completion.Key, completion.ResponseStatus, completion.ResponseBody), cancellationToken);

    public Task ReleaseIdempotentRequestAsync(string merchantId, string key, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var c = ctx.Command("UPDATE idempotency_keys SET state = 'open', locked_until = 0 WHERE merchant_id = $m AND key = $k AND state = 'started';");
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$k", key);
            return c.ExecuteNonQuery();
        }, cancellationToken);

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var c = ctx.Command("DELETE FROM idempotency_keys WHERE created_at < $c AND state != 'started';");
            c.Parameters.AddWithValue("$c", createdBefore.ToUnixTimeMilliseconds());
            return c.ExecuteNonQuery();
        }, cancellationToken);
}
