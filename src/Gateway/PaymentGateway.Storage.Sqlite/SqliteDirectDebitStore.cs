using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>SEPA Direct Debit collection files, mandate sequence and settlement on SQLite.</summary>
public sealed class SqliteDirectDebitStore(SqliteDatabase database) : IDirectDebitStore
{
    public async Task CommitDirectDebitExportAsync(DirectDebitExportChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var payments = changes.UpdatedPayments.Select(p => (p, SqliteRows.Json(p))).ToList();
        var mandates = changes.UpdatedMandates.Select(m => (m, JsonSerializer.Serialize(m, BankTransferStorageJsonContext.Default.Mandate))).ToList();
        var batch = changes.NewBatch;
        if (batch is not null && batch.EncryptedFile is null)
        {
            throw new ArgumentException("The batch's file must be encrypted before it is stored.", nameof(changes));
        }

        var batchJson = batch is null ? null : JsonSerializer.Serialize(batch, BankTransferStorageJsonContext.Default.DirectDebitBatch);
        await database.CommitChangesAsync(changes, ctx =>
        {
            foreach (var (p, json) in payments)
            {
                SqliteRows.UpdatePayment(ctx, p, json);
            }

            foreach (var (m, json) in mandates)
            {
                var c = ctx.Command("UPDATE mandates SET data = $d, version = $v + 1 WHERE id = $id AND version = $v;");
                c.Parameters.AddWithValue("$id", m.Id);
                c.Parameters.AddWithValue("$v", m.Version);
                c.Parameters.AddWithValue("$d", json);
                SqliteRows.ExecuteVersioned(c, m.Id);
            }

            if (batch is not null)
            {
                var c = ctx.Command("INSERT INTO direct_debit_batches (id, merchant_id, livemode, created_at, data, file) VALUES ($id, $m, $l, $c, $d, $f);");
                c.Parameters.AddWithValue("$id", batch.Id);
                c.Parameters.AddWithValue("$m", batch.MerchantId);
                c.Parameters.AddWithValue("$l", batch.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$c", batch.Created.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", batchJson);
                c.Parameters.AddWithValue("$f", batch.EncryptedFile);
                c.ExecuteNonQuery();
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<DirectDebitBatch?> GetDirectDebitBatchAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM direct_debit_batches WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadBatch, cancellationToken);

    public Task<DirectDebitBatch?> GetDirectDebitBatchWithFileAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, file FROM direct_debit_batches WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadBatchWithFile, cancellationToken);

    public Task<IReadOnlyList<DirectDebitBatch>> ListDirectDebitBatchesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        database.ListAsync("direct_debit_batches", "data", ["merchant_id = $m", "livemode = $l"], query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        }, ReadBatch, cancellationToken);

    public Task<IReadOnlyList<Mandate>> ListMandatesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        database.ListAsync("mandates", "data, version", ["merchant_id = $m", "livemode = $l"], query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        }, ReadMandate, cancellationToken);

    public Task<IReadOnlyList<Core.Payments.Payment>> ListDirectDebitsCollectedByAsync(DateOnly collectedOnOrBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT data, version FROM payments WHERE status = 'processing' AND json_extract(data, '$.payment_method_type') = 'sepa_debit'
            AND json_extract(data, '$.direct_debit.collection_date') <= $d
            ORDER BY json_extract(data, '$.direct_debit.collection_date'), id LIMIT $n;
            """,
            c =>
            {
                c.Parameters.AddWithValue("$d", collectedOnOrBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                c.Parameters.AddWithValue("$n", Math.Max(0, limit));
            },
            ReadPayment, cancellationToken);
}
