using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Bank transfers collected by a provider on SQLite: the reconciler's status-sync list.</summary>
public sealed class SqliteProviderBankTransferStore(SqliteDatabase database) : IProviderBankTransferStore
{
    public Task<IReadOnlyList<Payment>> ListProviderBankTransfersToSyncAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT data, version FROM payments
            WHERE status IN ('requires_payment_method', 'requires_action') AND updated_at < $u
              AND json_extract(data, '$.payment_method_type') = 'bank_transfer'
              AND ((status = 'requires_action' AND json_extract(data, '$.bank_transfer.provider_account_id') IS NOT NULL)
                OR (status = 'requires_payment_method' AND json_extract(data, '$.routing') IS NOT NULL
                    AND json_extract(data, '$.attempts[#-1].status') IN ('started', 'unknown')))
            ORDER BY updated_at LIMIT $n;
            """,
            c => { c.Parameters.AddWithValue("$u", updatedBefore.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", Math.Max(0, limit)); },
            ReadPayment, cancellationToken);
}
