using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Settlement lines and payouts on PostgreSQL; an import is one batch in one transaction.</summary>
public sealed class PostgresSettlementStore(PostgresDatabase database) : ISettlementStore
{
    public async Task CommitSettlementImportAsync(SettlementImportChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var batch = new CheckedBatch();
        foreach (var l in changes.NewLines)
        {
            batch.Add(Cmd("""
                INSERT INTO settlement_lines (id, merchant_id, livemode, provider_account_id, line_key, status, payment_id, refund_id, payout_id, created_at, data)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);
                """, P(l.Id), P(l.MerchantId), P(l.Livemode), P(l.ProviderAccountId), P(l.LineKey), P(l.Status.ToWire()), Text(l.PaymentId), Text(l.RefundId),
                Text(l.PayoutId), P(l.Created.ToUnixTimeMilliseconds()), Jsonb(JsonSerializer.Serialize(l, ReportStorageJsonContext.Default.SettlementLine))));
        }

        foreach (var p in changes.NewPayouts)
        {
            batch.Add(Cmd("""
                INSERT INTO settlement_payouts (id, merchant_id, livemode, provider_account_id, payout_id, status, created_at, version, data)
                VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8);
                """, P(p.Id), P(p.MerchantId), P(p.Livemode), P(p.ProviderAccountId), P(p.PayoutId), P(p.Status), P(p.Created.ToUnixTimeMilliseconds()),
                Jsonb(JsonSerializer.Serialize(p, ReportStorageJsonContext.Default.SettlementPayout))));
        }

        foreach (var p in changes.UpdatedPayouts)
        {
            batch.AddVersionChecked(Cmd("UPDATE settlement_payouts SET status = $1, version = version + 1, data = $2 WHERE id = $3 AND version = $4;",
                P(p.Status), Jsonb(JsonSerializer.Serialize(p, ReportStorageJsonContext.Default.SettlementPayout)), P(p.Id), P(p.Version)), p.Id);
        }

        foreach (var e in changes.Events)
        {
            batch.Add(PostgresRows.InsertEvent(e));
        }

        await database.ExecuteAsync(batch, e => e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            ? changes.ConflictObjectId
            : null, cancellationToken).ConfigureAwait(false);
        changes.MarkCommitted();
    }

    public async Task<IReadOnlySet<string>> FindExistingSettlementLineKeysAsync(string providerAccountId, IReadOnlyCollection<string> lineKeys, CancellationToken cancellationToken)
    {
        var keys = await database.QueryListAsync("SELECT line_key FROM settlement_lines WHERE provider_account_id = $1 AND line_key = ANY($2);",
            [P(providerAccountId), new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = lineKeys.ToArray() }],
            r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        return keys.ToHashSet(StringComparer.Ordinal);
    }

    public Task<SettlementLine?> GetSettlementLineAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM settlement_lines WHERE id = $1 AND merchant_id = $2 AND livemode = $3;", [P(id), P(merchantId), P(livemode)], ReadLine, cancellationToken);

    public Task<IReadOnlyList<SettlementLine>> ListSettlementLinesAsync(string merchantId, bool livemode, SettlementLineListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = SqlFilter.Scope(merchantId, livemode);
        if (query.Status is { } status)
        {
            sql.Add("status = {0}", P(status.ToWire()));
        }

        if (query.PaymentId is not null)
        {
            sql.Add("payment_id = {0}", P(query.PaymentId));
        }

        if (query.PayoutId is not null)
        {
            sql.Add("payout_id = {0}", P(query.PayoutId));
        }

        return database.ListAsync("settlement_lines", "data", sql, query, ReadLine, cancellationToken);
    }

    public Task<IReadOnlyList<SettlementLine>> ListSettlementLinesOfPayoutAsync(string providerAccountId, string payoutId, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data FROM settlement_lines WHERE provider_account_id = $1 AND payout_id = $2 ORDER BY id;", [P(providerAccountId), P(payoutId)], ReadLine,
            cancellationToken);

    public Task<SettlementPayout?> GetSettlementPayoutAsync(string providerAccountId, string payoutId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM settlement_payouts WHERE provider_account_id = $1 AND payout_id = $2;", [P(providerAccountId), P(payoutId)],
            ReadPayout, cancellationToken);

    public Task<IReadOnlyList<SettlementPayout>> ListSettlementPayoutsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        database.ListAsync("settlement_payouts", "data, version", SqlFilter.Scope(merchantId, livemode), query, ReadPayout, cancellationToken);

    public Task<IReadOnlyList<Payment>> ListUnsettledPaymentsAsync(string merchantId, bool livemode, DateTimeOffset updatedFrom, DateTimeOffset updatedBefore, int limit,
        CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT data, version FROM payments p
            WHERE merchant_id = $1 AND livemode = $2 AND status = 'succeeded' AND updated_at >= $3 AND updated_at < $4 AND data->>'provider' IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM settlement_lines s WHERE s.payment_id = p.id)
            ORDER BY updated_at, id LIMIT $5;
            """, [P(merchantId), P(livemode), P(updatedFrom.ToUnixTimeMilliseconds()), P(updatedBefore.ToUnixTimeMilliseconds()), P(limit)], ReadPayment, cancellationToken);

    internal static SettlementLine ReadLine(NpgsqlDataReader r) =>
        JsonSerializer.Deserialize(r.GetString(0), ReportStorageJsonContext.Default.SettlementLine) ?? throw new InvalidDataException("Empty settlement line row.");

    private static SettlementPayout ReadPayout(NpgsqlDataReader r)
    {
        var payout = JsonSerializer.Deserialize(r.GetString(0), ReportStorageJsonContext.Default.SettlementPayout) ?? throw new InvalidDataException("Empty payout row.");
        payout.Version = r.GetInt64(1);
        return payout;
    }
}
