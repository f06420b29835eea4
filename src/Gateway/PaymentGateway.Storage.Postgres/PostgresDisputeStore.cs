using Npgsql;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.DisputeRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Disputes, their encrypted evidence files and the simulator's dispute notices on PostgreSQL; a commit is one transaction sent as one batch.</summary>
public sealed class PostgresDisputeStore(PostgresDatabase database) : IDisputeStore
{
    public async Task CommitDisputesAsync(DisputeChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        var batch = new CheckedBatch();
        foreach (var d in changes.NewDisputes)
        {
            batch.Add(Cmd("""
                INSERT INTO disputes (id, merchant_id, livemode, payment_id, provider, provider_dispute_id, status, evidence_due_by, created_at, updated_at, version, data)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);
                """,
                P(d.Id), P(d.MerchantId), P(d.Livemode), P(d.PaymentId), P(d.Provider), P(d.ProviderDisputeId), P(d.Status.ToWire()),
                Long(d.EvidenceDueBy?.ToUnixTimeMilliseconds()), P(d.Created.ToUnixTimeMilliseconds()), P(d.Updated.ToUnixTimeMilliseconds()), P(d.Version), Jsonb(Json(d))));
        }

        foreach (var d in changes.UpdatedDisputes)
        {
            batch.AddVersionChecked(Cmd("UPDATE disputes SET status = $2, evidence_due_by = $3, updated_at = $4, version = $5 + 1, data = $6 WHERE id = $1 AND version = $5;",
                P(d.Id), P(d.Status.ToWire()), Long(d.EvidenceDueBy?.ToUnixTimeMilliseconds()), P(d.Updated.ToUnixTimeMilliseconds()), P(d.Version), Jsonb(Json(d))), d.Id);
        }

        PostgresRows.AddPayments(batch, [], changes.UpdatedPayments);

        foreach (var f in changes.NewFiles)
        {
            batch.Add(Cmd("INSERT INTO dispute_files (id, dispute_id, merchant_id, livemode, content, created_at) VALUES ($1, $2, $3, $4, $5, $6);",
                P(f.Id), P(f.DisputeId), P(f.MerchantId), P(f.Livemode), P(f.EncryptedContent), P(f.Created.ToUnixTimeMilliseconds())));
        }

        foreach (var e in changes.Events)
        {
            batch.Add(PostgresRows.InsertEvent(e));
        }

        batch.Audit.AddRange(changes.AuditRecords);

        // Another writer stored the same provider dispute first (or a deadlock chose this one): rolled back whole.
        await database.ExecuteAsync(batch, e => e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            ? changes.ConflictObjectId : null, cancellationToken).ConfigureAwait(false);
        changes.MarkCommitted();
    }

    public Task<Dispute?> GetDisputeAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM disputes WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadDispute, cancellationToken);

    public Task<Dispute?> GetDisputeByIdAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM disputes WHERE id = $1;", [P(id)], ReadDispute, cancellationToken);

    public Task<Dispute?> FindDisputeByProviderIdAsync(string provider, string providerDisputeId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM disputes WHERE provider = $1 AND provider_dispute_id = $2;",
            [P(provider), P(providerDisputeId)], ReadDispute, cancellationToken);

    public Task<IReadOnlyList<Dispute>> ListDisputeQueueAsync(string merchantId, bool livemode, DisputeStatus? status, int limit, CancellationToken cancellationToken) =>
        status is { } s
            ? database.QueryListAsync("SELECT data, version FROM disputes WHERE merchant_id = $1 AND livemode = $2 AND status = $4 ORDER BY evidence_due_by ASC NULLS LAST, id LIMIT $3;",
                [P(merchantId), P(livemode), P(Math.Max(0, limit)), P(s.ToWire())], ReadDispute, cancellationToken)
            : database.QueryListAsync("SELECT data, version FROM disputes WHERE merchant_id = $1 AND livemode = $2 ORDER BY evidence_due_by ASC NULLS LAST, id LIMIT $3;",
                [P(merchantId), P(livemode), P(Math.Max(0, limit))], ReadDispute, cancellationToken);

    public Task<IReadOnlyList<Dispute>> ListDisputesAsync(string merchantId, bool livemode, DisputeListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        if (query.Status is { } status)
        {
            sql.Add("status = {0}", P(status.ToWire()));
        }

        if (query.PaymentId is { } payment)
        {
            sql.Add("payment_id = {0}", P(payment));
        }

        return database.ListAsync("disputes", "data, version", sql, query, ReadDispute, cancellationToken);
    }

    public Task<IReadOnlyList<Dispute>> ListDisputesDueBeforeAsync(DateTimeOffset dueBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT data, version FROM disputes WHERE status IN ({AwaitingStatuses}) AND evidence_due_by < $1 ORDER BY evidence_due_by LIMIT $2;",
            [P(dueBefore.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadDispute, cancellationToken);

    public Task<IReadOnlyList<Dispute>> ListOpenDisputesAsync(string provider, DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT data, version FROM disputes WHERE status IN ({OpenStatuses}) AND provider = $1 AND updated_at < $2 ORDER BY updated_at LIMIT $3;",
            [P(provider), P(updatedBefore.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadDispute, cancellationToken);

    public Task<StoredDisputeFile?> GetDisputeFileAsync(string disputeId, string fileId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT id, dispute_id, merchant_id, livemode, content, created_at FROM dispute_files WHERE id = $1 AND dispute_id = $2;",
            [P(fileId), P(disputeId)], ReadFile, cancellationToken);

    public Task<string?> FindPaymentIdByProviderReferenceAsync(string merchantId, bool livemode, string providerReference, CancellationToken cancellationToken) =>
        database.QuerySingleAsync(
            "SELECT id FROM payments WHERE merchant_id = $1 AND livemode = $2 AND ((data->>'provider_reference') COLLATE \"C\") = $3 ORDER BY id DESC LIMIT 1;",
            [P(merchantId), P(livemode), P(providerReference)], r => r.GetString(0), cancellationToken);

    public async Task ScheduleSimulatorDisputeNoticesAsync(IReadOnlyList<SimulatorDisputeNoticeRow> notices, CancellationToken cancellationToken)
    {
        var batch = new CheckedBatch();
        foreach (var notice in notices)
        {
            batch.Add(Cmd("INSERT INTO simulator_dispute_notices (id, due_at, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING;",
                P(notice.Id), P(notice.DueAt.ToUnixTimeMilliseconds()), Jsonb(notice.Json)));
        }

        await database.ExecuteAsync(batch, _ => null, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<SimulatorDisputeNoticeRow>> ListSimulatorDisputeNoticesAsync(DateTimeOffset after, DateTimeOffset upTo, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT id, due_at, data::text FROM simulator_dispute_notices WHERE due_at > $1 AND due_at <= $2 ORDER BY due_at, id LIMIT $3;",
            [P(after.ToUnixTimeMilliseconds()), P(upTo.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadNotice, cancellationToken);
}
