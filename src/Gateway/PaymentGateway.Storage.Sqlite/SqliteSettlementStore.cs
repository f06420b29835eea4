
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Settlement lines and payouts on SQLite; an import is one unit of the writer's group commit.</summary>
public sealed class SqliteSettlementStore(SqliteDatabase database) : ISettlementStore
{
    public async Task CommitSettlementImportAsync(SettlementImportChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var lines = changes.NewLines.Select(l => (l, JsonSerializer.Serialize(l, ReportStorageJsonContext.Default.SettlementLine))).ToList();
        var newPayouts = changes.NewPayouts.Select(p => (p, JsonSerializer.Serialize(p, ReportStorageJsonContext.Default.SettlementPayout))).ToList();
        var updatedPayouts = changes.UpdatedPayouts.Select(p => (p, JsonSerializer.Serialize(p, ReportStorageJsonContext.Default.SettlementPayout))).ToList();
        await database.CommitChangesAsync(changes, ctx =>
        {
            foreach (var (l, json) in lines)
            {
                var c = ctx.Command("""
                    INSERT INTO settlement_lines (id, merchant_id, livemode, provider_account_id, line_key, status, payment_id, refund_id, payout_id, created_at, data)
                    VALUES ($id, $m, $l, $a, $k, $s, $p, $r, $o, $c, $d);
                    """);
                c.Parameters.AddWithValue("$id", l.Id);
                c.Parameters.AddWithValue("$m", l.MerchantId);
                c.Parameters.AddWithValue("$l", l.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$a", l.ProviderAccountId);
                c.Parameters.AddWithValue("$k", l.LineKey);
                c.Parameters.AddWithValue("$s", l.Status.ToWire());
                c.Parameters.AddWithValue("$p", (object?)l.PaymentId ?? DBNull.Value);
                c.Parameters.AddWithValue("$r", (object?)l.RefundId ?? DBNull.Value);
                c.Parameters.AddWithValue("$o", (object?)l.PayoutId ?? DBNull.Value);
                c.Parameters.AddWithValue("$c", l.Created.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", json);
                c.ExecuteNonQuery();
            }

            foreach (var (p, json) in newPayouts)
            {
                var c = ctx.Command("""
                    INSERT INTO settlement_payouts (id, merchant_id, livemode, provider_account_id, payout_id, status, created_at, version, data)
                    VALUES ($id, $m, $l, $a, $o, $s, $c, 0, $d);
                    """);
                c.Parameters.AddWithValue("$id", p.Id);
                c.Parameters.AddWithValue("$m", p.MerchantId);
                c.Parameters.AddWithValue("$l", p.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$a", p.ProviderAccountId);
                c.Parameters.AddWithValue("$o", p.PayoutId);
                c.Parameters.AddWithValue("$s", p.Status);
                c.Parameters.AddWithValue("$c", p.Created.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", json);
                c.ExecuteNonQuery();
            }

            foreach (var (p, json) in updatedPayouts)
            {
                var c = ctx.Command("UPDATE settlement_payouts SET status = $s, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
                c.Parameters.AddWithValue("$s", p.Status);
                c.Parameters.AddWithValue("$v", p.Version);
                c.Parameters.AddWithValue("$d", json);
                c.Parameters.AddWithValue("$id", p.Id);
                SqliteRows.ExecuteVersioned(c, p.Id);
            }

            foreach (var e in changes.Events)
            {
                SqliteRows.InsertEvent(ctx, e);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<string>> FindExistingSettlementLineKeysAsync(string providerAccountId, IReadOnlyCollection<string> lineKeys, CancellationToken cancellationToken)
    {
        var keys = await database.QueryListAsync("SELECT line_key FROM settlement_lines WHERE provider_account_id = $a AND line_key IN (SELECT value FROM json_each($k));",
            c =>
            {
                c.Parameters.AddWithValue("$a", providerAccountId);
                c.Parameters.AddWithValue("$k", JsonSerializer.Serialize(lineKeys, ReportStorageJson.Default.IReadOnlyCollectionString));
            }, r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        return keys.ToHashSet(StringComparer.Ordinal);
    }

    public Task<SettlementLine?> GetSettlementLineAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM settlement_lines WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadLine, cancellationToken);

    public Task<IReadOnlyList<SettlementLine>> ListSettlementLinesAsync(string merchantId, bool livemode, SettlementLineListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (query.Status is not null)
        {
            filters.Add("status = $s");
        }

        if (query.PaymentId is not null)
        {
            filters.Add("payment_id = $p");
        }

        if (query.PayoutId is not null)
        {
            filters.Add("payout_id = $o");
        }

        return database.ListAsync("settlement_lines", "data", filters, query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            c.Parameters.AddWithValue("$s", (object?)query.Status?.ToWire() ?? DBNull.Value);
            c.Parameters.AddWithValue("$p", (object?)query.PaymentId ?? DBNull.Value);
            c.Parameters.AddWithValue("$o", (object?)query.PayoutId ?? DBNull.Value);
        }, ReadLine, cancellationToken);
    }

    public Task<IReadOnlyList<SettlementLine>> ListSettlementLinesOfPayoutAsync(string providerAccountId, string payoutId, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data FROM settlement_lines WHERE provider_account_id = $a AND payout_id = $o ORDER BY id;",
            c => { c.Parameters.AddWithValue("$a", providerAccountId); c.Parameters.AddWithValue("$o", payoutId); }, ReadLine, cancellationToken);

    public Task<SettlementPayout?> GetSettlementPayoutAsync(string providerAccountId, string payoutId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM settlement_payouts WHERE provider_account_id = $a AND payout_id = $o;",
            c => { c.Parameters.AddWithValue("$a", providerAccountId); c.Parameters.AddWithValue("$o", payoutId); }, ReadPayout, cancellationToken);

    public Task<IReadOnlyList<SettlementPayout>> ListSettlementPayoutsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        database.ListAsync("settlement_payouts", "data, version", ["merchant_id = $m", "livemode = $l"], query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        }, ReadPayout, cancellationToken);

    public Task<IReadOnlyList<Payment>> ListUnsettledPaymentsAsync(string merchantId, bool livemode, DateTimeOffset updatedFrom, DateTimeOffset updatedBefore, int limit,
        CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT data, version FROM payments p
            WHERE merchant_id = $m AND livemode = $l AND status = 'succeeded' AND updated_at >= $f AND updated_at < $b
            AND json_extract(data, '$.provider') IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM settlement_lines s WHERE s.payment_id = p.id)
            ORDER BY updated_at, id LIMIT $n;
            """, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            c.Parameters.AddWithValue("$f", updatedFrom.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$b", updatedBefore.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$n", limit);
        }, ReadPayment, cancellationToken);

    internal static SettlementLine ReadLine(SqliteDataReader r) =>
        JsonSerializer.Deserialize(r.GetString(0), ReportStorageJsonContext.Default.SettlementLine) ?? throw new InvalidDataException("Empty settlement line row.");

    private static SettlementPayout ReadPayout(SqliteDataReader r)
    {
        var payout = JsonSerializer.Deserialize(r.GetString(0), ReportStorageJsonContext.Default.SettlementPayout) ?? throw new InvalidDataException("Empty payout row.");
        payout.Version = r.GetInt64(1);
        return payout;
    }
}
