using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.DisputeRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Disputes, their encrypted evidence files and the simulator's dispute notices on SQLite; a commit is one writer unit.</summary>
public sealed class SqliteDisputeStore(SqliteDatabase database) : IDisputeStore
{
    public async Task CommitDisputesAsync(DisputeChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        var newDisputes = changes.NewDisputes.Select(d => (d, Json(d))).ToList();
        var updatedDisputes = changes.UpdatedDisputes.Select(d => (d, Json(d))).ToList();
        var payments = changes.UpdatedPayments.Select(p => (p, SqliteRows.Json(p))).ToList();
        // Another writer stored this provider dispute (or file) first: nothing of this change set was written.
        await database.CommitChangesAsync(changes, ctx =>
        {
            foreach (var (d, json) in newDisputes)
            {
                var c = ctx.Command("""
                    INSERT INTO disputes (id, merchant_id, livemode, payment_id, provider, provider_dispute_id, status, evidence_due_by, created_at, updated_at, version, data)
                    VALUES ($id, $m, $l, $p, $pr, $pd, $s, $e, $c, $u, $v, $d);
                    """);
                Bind(c, d, json);
                c.ExecuteNonQuery();
            }

            foreach (var (d, json) in updatedDisputes)
            {
                var c = ctx.Command("UPDATE disputes SET status = $s, evidence_due_by = $e, updated_at = $u, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
                Bind(c, d, json);
                SqliteRows.ExecuteVersioned(c, d.Id);
            }

            foreach (var (p, json) in payments)
            {
                SqliteRows.UpdatePayment(ctx, p, json);
            }

            foreach (var f in changes.NewFiles)
            {
                var c = ctx.Command("INSERT INTO dispute_files (id, dispute_id, merchant_id, livemode, content, created_at) VALUES ($id, $dp, $m, $l, $content, $c);");
                c.Parameters.AddWithValue("$id", f.Id);
                c.Parameters.AddWithValue("$dp", f.DisputeId);
                c.Parameters.AddWithValue("$m", f.MerchantId);
                c.Parameters.AddWithValue("$l", f.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$content", f.EncryptedContent);
                c.Parameters.AddWithValue("$c", f.Created.ToUnixTimeMilliseconds());
                c.ExecuteNonQuery();
            }

            foreach (var e in changes.Events)
            {
                SqliteRows.InsertEvent(ctx, e);
            }

            if (changes.AuditRecords.Count > 0)
            {
                SqliteAuditLog.Append(ctx, changes.AuditRecords);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<Dispute?> GetDisputeAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM disputes WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadDispute, cancellationToken);

    public Task<Dispute?> GetDisputeByIdAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM disputes WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), ReadDispute, cancellationToken);

    public Task<Dispute?> FindDisputeByProviderIdAsync(string provider, string providerDisputeId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM disputes WHERE provider = $p AND provider_dispute_id = $pd;",
            c => { c.Parameters.AddWithValue("$p", provider); c.Parameters.AddWithValue("$pd", providerDisputeId); }, ReadDispute, cancellationToken);

    public Task<IReadOnlyList<Dispute>> ListDisputeQueueAsync(string merchantId, bool livemode, DisputeStatus? status, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            "SELECT data, version FROM disputes WHERE merchant_id = $m AND livemode = $l" + (status is null ? string.Empty : " AND status = $s")
            + " ORDER BY evidence_due_by IS NULL, evidence_due_by, id LIMIT $n;",
            c =>
            {
                c.Parameters.AddWithValue("$m", merchantId);
                c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
                c.Parameters.AddWithValue("$n", Math.Max(0, limit));
                if (status is { } s)
                {
                    c.Parameters.AddWithValue("$s", s.ToWire());
                }
            },
            ReadDispute, cancellationToken);

    public Task<IReadOnlyList<Dispute>> ListDisputesAsync(string merchantId, bool livemode, DisputeListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (query.Status is not null)
        {
            filters.Add("status = $s");
        }

        if (query.PaymentId is not null)
        {
            filters.Add("payment_id = $p");
        }

        return database.ListAsync("disputes", "data, version", filters, query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (query.Status is { } status)
            {
                c.Parameters.AddWithValue("$s", status.ToWire());
            }

            if (query.PaymentId is { } payment)
            {
                c.Parameters.AddWithValue("$p", payment);
            }
        }, ReadDispute, cancellationToken);
    }

    public Task<IReadOnlyList<Dispute>> ListDisputesDueBeforeAsync(DateTimeOffset dueBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT data, version FROM disputes WHERE status IN ({AwaitingStatuses}) AND evidence_due_by < $due ORDER BY evidence_due_by LIMIT $n;",
            c => { c.Parameters.AddWithValue("$due", dueBefore.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", limit); }, ReadDispute, cancellationToken);

    public Task<IReadOnlyList<Dispute>> ListOpenDisputesAsync(string provider, DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT data, version FROM disputes WHERE status IN ({OpenStatuses}) AND provider = $p AND updated_at < $u ORDER BY updated_at LIMIT $n;",
            c => { c.Parameters.AddWithValue("$p", provider); c.Parameters.AddWithValue("$u", updatedBefore.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", limit); },
            ReadDispute, cancellationToken);

    public Task<StoredDisputeFile?> GetDisputeFileAsync(string disputeId, string fileId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT id, dispute_id, merchant_id, livemode, content, created_at FROM dispute_files WHERE id = $id AND dispute_id = $dp;",
            c => { c.Parameters.AddWithValue("$id", fileId); c.Parameters.AddWithValue("$dp", disputeId); }, ReadFile, cancellationToken);

    public Task<string?> FindPaymentIdByProviderReferenceAsync(string merchantId, bool livemode, string providerReference, CancellationToken cancellationToken) =>
        database.QuerySingleAsync(
            "SELECT id FROM payments WHERE merchant_id = $m AND livemode = $l AND json_extract(data, '$.provider_reference') = $r ORDER BY id DESC LIMIT 1;",
            c => { c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); c.Parameters.AddWithValue("$r", providerReference); },
            r => r.GetString(0), cancellationToken);

    public Task ScheduleSimulatorDisputeNoticesAsync(IReadOnlyList<SimulatorDisputeNoticeRow> notices, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            foreach (var notice in notices)
            {
                var c = ctx.Command("INSERT INTO simulator_dispute_notices (id, due_at, data) VALUES ($id, $due, $d) ON CONFLICT (id) DO NOTHING;");
                c.Parameters.AddWithValue("$id", notice.Id);
                c.Parameters.AddWithValue("$due", notice.DueAt.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", notice.Json);
                c.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<SimulatorDisputeNoticeRow>> ListSimulatorDisputeNoticesAsync(DateTimeOffset after, DateTimeOffset upTo, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT id, due_at, data FROM simulator_dispute_notices WHERE due_at > $a AND due_at <= $b ORDER BY due_at, id LIMIT $n;",
            c =>
            {
                c.Parameters.AddWithValue("$a", after.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$b", upTo.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$n", limit);
            }, ReadNotice, cancellationToken);

    private static void Bind(SqliteCommand c, Dispute d, string json)
    {
        c.Parameters.AddWithValue("$id", d.Id);
        c.Parameters.AddWithValue("$m", d.MerchantId);
        c.Parameters.AddWithValue("$l", d.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$p", d.PaymentId);
        c.Parameters.AddWithValue("$pr", d.Provider);
        c.Parameters.AddWithValue("$pd", d.ProviderDisputeId);
        c.Parameters.AddWithValue("$s", d.Status.ToWire());
        c.Parameters.AddWithValue("$e", (object?)d.EvidenceDueBy?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        c.Parameters.AddWithValue("$c", d.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$u", d.Updated.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", d.Version);
        c.Parameters.AddWithValue("$d", json);
    }
}
