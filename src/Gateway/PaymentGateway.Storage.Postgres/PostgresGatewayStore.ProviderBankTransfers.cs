using PaymentGateway.Core.Payments;

namespace PaymentGateway.Storage.Postgres;

// Bank transfers collected by a provider: the reconciler's status-sync list.
public sealed partial class PostgresGatewayStore
{
    public Task<IReadOnlyList<Payment>> ListProviderBankTransfersToSyncAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        QueryListAsync("""
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
