using PaymentGateway.Core.Payments;

namespace PaymentGateway.Storage.Sqlite;

// Bank transfers collected by a provider: the reconciler's status-sync list.
public sealed partial class SqliteGatewayStore
{
    public Task<IReadOnlyList<Payment>> ListProviderBankTransfersToSyncAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        QueryListAsync("""
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
