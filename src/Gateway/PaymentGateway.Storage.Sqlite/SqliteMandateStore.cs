using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>SEPA Direct Debit mandates on SQLite; the reference is unique per merchant and mode (a unique index on its key).</summary>
public sealed class SqliteMandateStore(SqliteDatabase database) : IMandateStore
{
    public async Task InsertMandateAsync(Mandate mandate, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(mandate, BankTransferStorageJsonContext.Default.Mandate);
        try
        {
            await database.WriteAsync(ctx =>
            {
                var c = ctx.Command("INSERT INTO mandates (id, merchant_id, livemode, reference_key, payment_method_id, created_at, data) VALUES ($id, $m, $l, $k, $pm, $c, $d);");
                c.Parameters.AddWithValue("$id", mandate.Id);
                c.Parameters.AddWithValue("$m", mandate.MerchantId);
                c.Parameters.AddWithValue("$l", mandate.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$k", MandateReference.UniquenessKey(mandate.Reference));
                c.Parameters.AddWithValue("$pm", mandate.PaymentMethodId);
                c.Parameters.AddWithValue("$c", mandate.Created.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", json);
                c.ExecuteNonQuery();
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteRows.ConstraintError)
        {
            throw new ConcurrencyConflictException(mandate.Id);
        }
    }

    public Task<Mandate?> GetMandateAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM mandates WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadMandate, cancellationToken);

    public Task<IReadOnlyList<Core.Payments.Payment>> ListUnexportedDirectDebitsAsync(string merchantId, bool livemode, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT data, version FROM payments WHERE merchant_id = $m AND livemode = $l AND status = 'processing'
            AND json_extract(data, '$.payment_method_type') = 'sepa_debit' AND json_extract(data, '$.direct_debit.batch_id') IS NULL
            ORDER BY created_at, id LIMIT $n;
            """,
            c => { c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); c.Parameters.AddWithValue("$n", limit); },
            ReadPayment, cancellationToken);
}
