using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Bank transfers collected by a provider on PostgreSQL: the reconciler's status-sync list.</summary>
public sealed class PostgresProviderBankTransferStore(PostgresDatabase database) : IProviderBankTransferStore
{
    public Task<IReadOnlyList<Payment>> ListProviderBankTransfersToSyncAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT data, version FROM payments
            WHERE status IN ('requires_payment_method', 'requires_action') AND updated_at < $1
              AND (data->>'payment_method_type') = 'bank_transfer'
              AND ((status = 'requires_action' AND (data->'bank_transfer'->>'provider_account_id') IS NOT NULL)
                OR (status = 'requires_payment_method' AND (data->'routing') IS NOT NULL
                    AND (data->'attempts'->-1->>'status') IN ('started', 'unknown')))
            ORDER BY updated_at LIMIT $2;
            """,
            [P(updatedBefore.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadPayment, cancellationToken);
}
