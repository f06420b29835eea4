using Npgsql;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Idempotency keys on PostgreSQL; <see cref="IdempotencyDecision"/> decides every claim.</summary>
public sealed class PostgresIdempotencyStore(PostgresDatabase database) : IIdempotencyStore
{
    /// <summary>
    /// A key's first use needs no row: the decision for a missing row is written by one INSERT … ON CONFLICT DO
    /// NOTHING, so of any number of concurrent first uses, on any nodes, exactly one inserts. A key that exists is read
    /// in a transaction holding its row lock (SELECT … FOR UPDATE), decided on that row and the decision written before
    /// the lock is released, so a re-lock after release or expiry is granted to one request only.
    /// </summary>
    public async Task<IdempotencyBeginResult> BeginIdempotentRequestAsync(IdempotencyBeginRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var seed = IdempotencyDecision.NewRecoverySeed();
            var first = IdempotencyDecision.Decide(null, request, seed);
            var inserted = await PostgresDatabase.ExecuteAsync(connection, null, """
                INSERT INTO idempotency_keys (merchant_id, key, request_hash, recovery_seed, state, locked_until, created_at)
                VALUES ($1, $2, $3, $4, 'started', $5, $6) ON CONFLICT (merchant_id, key) DO NOTHING;
                """, cancellationToken, P(request.MerchantId), P(request.Key), P(request.RequestHash), P(seed),
                P(first.LockedUntil.ToUnixTimeMilliseconds()), P(request.Now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            if (inserted == 1)
            {
                return first.Result;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            StoredIdempotencyKey? stored = null;
            await using (var select = new NpgsqlCommand($"SELECT {IdempotencyKeyColumns} FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 FOR UPDATE;",
                connection, transaction))
            {
                select.Parameters.Add(P(request.MerchantId));
                select.Parameters.Add(P(request.Key));
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    stored = ReadIdempotencyKey(reader);
                }
            }

            if (stored is null)
            {
                // Purged between the insert and the select: insert again.
                if (attempt < 3)
                {
                    continue;
                }

                throw new InvalidOperationException($"Idempotency key {request.Key} vanished repeatedly while it was being claimed.");
            }

            var decision = IdempotencyDecision.Decide(stored, request, seed);
            if (decision.Write == IdempotencyKeyWrite.Relock)
            {
                await PostgresDatabase.ExecuteAsync(connection, transaction, "UPDATE idempotency_keys SET state = 'started', locked_until = $3 WHERE merchant_id = $1 AND key = $2;",
                    cancellationToken, P(request.MerchantId), P(request.Key), P(decision.LockedUntil.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return decision.Result;
        }
    }

    public Task<StoredIdempotencyKey?> FindIdempotencyKeyAsync(string merchantId, string key, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {IdempotencyKeyColumns} FROM idempotency_keys WHERE merchant_id = $1 AND key = $2;",
            [P(merchantId), P(key)], ReadIdempotencyKey, cancellationToken);

    public Task CommitIdempotencyAsync(IdempotencyKeyChanges changes, CancellationToken cancellationToken)
    {
        var batch = new CheckedBatch();
        Add(batch, changes);
        return database.ExecuteAsync(batch, _ => null, cancellationToken);
    }

    /// <summary>
    /// Adds a key's claim (a plain insert: a key that exists fails the whole transaction, which the database turns into
    /// <see cref="IdempotencyKeyTakenException"/>) and/or its response to <paramref name="batch"/>.
    /// </summary>
    internal static void Add(CheckedBatch batch, IdempotencyKeyChanges changes)
    {
        if (changes.Claim is { } claim)
        {
            var completed = changes.Response is not null;
            batch.AddClaim(Cmd("""
                INSERT INTO idempotency_keys (merchant_id, key, request_hash, recovery_seed, state, locked_until, response_status, response_body, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);
                """, P(changes.MerchantId), P(changes.Key), P(claim.RequestHash), P(claim.RecoverySeed), P(completed ? "completed" : "started"),
                P(completed ? 0L : claim.LockedUntil.ToUnixTimeMilliseconds()), Int(changes.Response?.Status), Text(changes.Response?.Body),
                P(claim.Created.ToUnixTimeMilliseconds())), changes.Key);
        }
        else if (changes.Response is { } response)
        {
            batch.Add(Cmd(CompleteSql, P(changes.MerchantId), P(changes.Key), P(response.Status), Text(response.Body)));
        }
    }

    private const string CompleteSql =
        "UPDATE idempotency_keys SET state = 'completed', locked_until = 0, response_status = $3, response_body = $4 WHERE merchant_id = $1 AND key = $2;";

    public Task CompleteIdempotentRequestAsync(IdempotencyCompletion completion, CancellationToken cancellationToken) =>
        database.ExecuteAsync(CompleteSql, cancellationToken, P(completion.MerchantId), P(completion.Key), P(completion.ResponseStatus), Text(completion.ResponseBody));

    public Task ReleaseIdempotentRequestAsync(string merchantId, string key, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE idempotency_keys SET state = 'open', locked_until = 0 WHERE merchant_id = $1 AND key = $2 AND state = 'started';",
            cancellationToken, P(merchantId), P(key));

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) =>
        database.ExecuteAsync("DELETE FROM idempotency_keys WHERE created_at < $1 AND state <> 'started';", cancellationToken, P(createdBefore.ToUnixTimeMilliseconds()));
}
