using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>SEPA Direct Debit mandates on PostgreSQL; the reference is unique per merchant and mode (a unique index on its key).</summary>
public sealed class PostgresMandateStore(PostgresDatabase database) : IMandateStore
{
    public async Task InsertMandateAsync(Mandate mandate, CancellationToken cancellationToken)
    {
        try
        {
            await database.ExecuteAsync("INSERT INTO mandates (id, merchant_id, livemode, reference_key, payment_method_id, created_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7);",
                cancellationToken, P(mandate.Id), P(mandate.MerchantId), P(mandate.Livemode), P(MandateReference.UniquenessKey(mandate.Reference)),
                P(mandate.PaymentMethodId), P(mandate.Created.ToUnixTimeMilliseconds()), Jsonb(JsonSerializer.Serialize(mandate, BankTransferStorageJsonContext.Default.Mandate))).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConcurrencyConflictException(mandate.Id);
        }
    }

    public Task<Mandate?> GetMandateAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM mandates WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadMandate, cancellationToken);

    public Task<IReadOnlyList<Core.Payments.Payment>> ListUnexportedDirectDebitsAsync(string merchantId, bool livemode, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT data, version FROM payments WHERE merchant_id = $1 AND livemode = $2 AND status = 'processing'
            AND data->>'payment_method_type' = 'sepa_debit' AND data->'direct_debit'->>'batch_id' IS NULL
            ORDER BY created_at, id LIMIT $3;
            """,
            [P(merchantId), P(livemode), P(Math.Max(0, limit))], ReadPayment, cancellationToken);
}
