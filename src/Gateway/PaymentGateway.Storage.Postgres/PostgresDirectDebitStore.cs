using System.Globalization;
using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>SEPA Direct Debit collection files, mandate sequence and settlement on PostgreSQL.</summary>
public sealed class PostgresDirectDebitStore(PostgresDatabase database) : IDirectDebitStore
{
    public async Task CommitDirectDebitExportAsync(DirectDebitExportChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var batchRecord = changes.NewBatch;
        if (batchRecord is not null && batchRecord.EncryptedFile is null)
        {
            throw new ArgumentException("The batch's file must be encrypted before it is stored.", nameof(changes));
        }

        var batch = new CheckedBatch();

        PostgresRows.AddPayments(batch, [], changes.UpdatedPayments);

        foreach (var m in changes.UpdatedMandates)
        {
            batch.AddVersionChecked(Cmd("UPDATE mandates SET data = $3, version = $2 + 1 WHERE id = $1 AND version = $2;",
                P(m.Id), P(m.Version), Jsonb(JsonSerializer.Serialize(m, BankTransferStorageJsonContext.Default.Mandate))), m.Id);
        }

        if (batchRecord is not null)
        {
            batch.Add(Cmd("INSERT INTO direct_debit_batches (id, merchant_id, livemode, created_at, data, file) VALUES ($1, $2, $3, $4, $5, $6);",
                P(batchRecord.Id), P(batchRecord.MerchantId), P(batchRecord.Livemode), P(batchRecord.Created.ToUnixTimeMilliseconds()),
                Jsonb(JsonSerializer.Serialize(batchRecord, BankTransferStorageJsonContext.Default.DirectDebitBatch)), Text(batchRecord.EncryptedFile)));
        }

        await database.ExecuteAsync(batch, e => e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            ? changes.ConflictObjectId : null, cancellationToken).ConfigureAwait(false);

        changes.MarkCommitted();
    }

    public Task<DirectDebitBatch?> GetDirectDebitBatchAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM direct_debit_batches WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadBatch, cancellationToken);

    public Task<DirectDebitBatch?> GetDirectDebitBatchWithFileAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, file FROM direct_debit_batches WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadBatchWithFile, cancellationToken);

    public Task<IReadOnlyList<DirectDebitBatch>> ListDirectDebitBatchesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        return database.ListAsync("direct_debit_batches", "data", sql, query, ReadBatch, cancellationToken);
    }

    public Task<IReadOnlyList<Mandate>> ListMandatesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        return database.ListAsync("mandates", "data, version", sql, query, ReadMandate, cancellationToken);
    }

    public Task<IReadOnlyList<Core.Payments.Payment>> ListDirectDebitsCollectedByAsync(DateOnly collectedOnOrBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT data, version FROM payments WHERE status = 'processing' AND data->>'payment_method_type' = 'sepa_debit'
            AND (data->'direct_debit'->>'collection_date') COLLATE "C" <= $1
            ORDER BY (data->'direct_debit'->>'collection_date') COLLATE "C", id LIMIT $2;
            """,
            [P(collectedOnOrBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), P(Math.Max(0, limit))], ReadPayment, cancellationToken);
}
