using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Payments, refunds and payment methods on PostgreSQL; a commit is one transaction sent as one batch.</summary>
public sealed class PostgresPaymentStore(PostgresDatabase database) : IPaymentStore
{
    public async Task CommitAsync(StoreChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        var batch = new CheckedBatch();
        if (changes.Idempotency is { } idempotency)
        {
            PostgresIdempotencyStore.Add(batch, idempotency);
        }

        PostgresRows.AddPayments(batch, changes.NewPayments, changes.UpdatedPayments);

        foreach (var r in changes.NewRefunds)
        {
            batch.Add(Cmd("INSERT INTO refunds (id, merchant_id, livemode, payment_id, status, created_at, updated_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);",
                P(r.Id), P(r.MerchantId), P(r.Livemode), P(r.PaymentId), P(r.Status.ToWire()), P(r.Created.ToUnixTimeMilliseconds()),
                P(r.Updated.ToUnixTimeMilliseconds()), P(r.Version), Jsonb(JsonSerializer.Serialize(r, StorageJsonContext.Default.Refund))));
        }

        foreach (var r in changes.UpdatedRefunds)
        {
            batch.AddVersionChecked(Cmd("UPDATE refunds SET status = $2, updated_at = $3, version = $4 + 1, data = $5 WHERE id = $1 AND version = $4;",
                P(r.Id), P(r.Status.ToWire()), P(r.Updated.ToUnixTimeMilliseconds()), P(r.Version), Jsonb(JsonSerializer.Serialize(r, StorageJsonContext.Default.Refund))), r.Id);
        }

        foreach (var m in changes.NewPaymentMethods)
        {
            batch.Add(Cmd("INSERT INTO payment_methods (id, merchant_id, livemode, encrypted_number, data) VALUES ($1, $2, $3, $4, $5);",
                P(m.Id), P(m.MerchantId), P(m.Livemode), Text(m.EncryptedNumber), Jsonb(JsonSerializer.Serialize(m, StorageJsonContext.Default.StoredPaymentMethod))));
        }

        foreach (var e in changes.Events)
        {
            batch.Add(PostgresRows.InsertEvent(e));
        }

        foreach (var m in changes.NewMerchants)
        {
            batch.Add(Cmd("INSERT INTO merchants (id, created_at, data) VALUES ($1, $2, $3);",
                P(m.Id), P(m.Created.ToUnixTimeMilliseconds()), Jsonb(JsonSerializer.Serialize(m, StorageJsonContext.Default.Merchant))));
        }

        foreach (var k in changes.NewApiKeys)
        {
            batch.Add(Cmd("INSERT INTO api_keys (id, merchant_id, key_hash, data) VALUES ($1, $2, $3, $4);",
                P(k.Id), P(k.MerchantId), P(k.KeyHash), Jsonb(JsonSerializer.Serialize(k, StorageJsonContext.Default.ApiKeyRecord))));
        }

        foreach (var (name, value) in changes.Settings)
        {
            batch.Add(Cmd("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value;", P(name), Text(value)));
        }

        batch.Audit.AddRange(changes.AuditRecords);

        // Two change sets updating the same rows in opposite orders: one is chosen to fail. Nothing of it was written,
        // exactly as when a version check fails, so the caller sees the same conflict.
        await database.ExecuteAsync(batch, e => batch.VersionChecks.Count > 0 && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            ? batch.VersionChecks[0].Id : null, cancellationToken).ConfigureAwait(false);

        // Committed: the in-memory copies are now at the stored versions.
        changes.MarkCommitted();
    }

    public Task<Payment?> GetPaymentAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM payments WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadPayment, cancellationToken);

    public Task<Payment?> GetPaymentByIdAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM payments WHERE id = $1;", [P(id)], ReadPayment, cancellationToken);

    public Task<IReadOnlyList<Payment>> ListPaymentsAsync(string merchantId, bool livemode, PaymentListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        if (query.Status is { } status)
        {
            sql.Add("status = {0}", P(status.ToWire()));
        }

        if (query.AmountGte is { } gte)
        {
            sql.Add("(data->>'amount')::bigint >= {0}", P(gte));
        }

        if (query.AmountLte is { } lte)
        {
            sql.Add("(data->>'amount')::bigint <= {0}", P(lte));
        }

        if (query.Currency is { } currency)
        {
            sql.Add("data->>'currency' = {0}", P(currency));
        }

        if (query.Customer is { } customer)
        {
            sql.Add("data->>'customer' = {0}", P(customer));
        }

        if (query.PaymentMethod is { } method)
        {
            sql.Add("data->>'payment_method_id' = {0}", P(method));
        }

        if (query.MetadataValue is { } value)
        {
            // payment_metadata_values holds every metadata value of every payment (written with the payment, PaymentMetadataValues): one index lookup.
            sql.Add("payments.id IN (SELECT v.payment_id FROM payment_metadata_values v WHERE v.value = {0})", P(value));
        }

        if (query.ProviderAccount is { } account)
        {
            sql.Add("payments.data->'attempts' @> jsonb_build_array(jsonb_build_object('provider_account_id', {0}::text))", P(account));
        }

        if (query.DirectDebitBatch is { } batch)
        {
            // Served by ix_payments_direct_debit_batch (migration 15).
            sql.Add("data->'direct_debit'->>'batch_id' = {0}", P(batch));
        }

        // The card lives on the payment method (brand and last 4 only; the number is never in a readable column).
        if (query.CardLast4 is { } last4)
        {
            // Last 4 is selective: start from the merchant's methods with those digits (an index), then their payments.
            var brandCondition = query.CardBrand is { } withBrand ? $" AND pm.data->'card'->>'brand' = {sql.Parameter(P(withBrand))}" : string.Empty;
            var scope = $"pm.merchant_id = {sql.Parameter(P(merchantId))} AND pm.livemode = {sql.Parameter(P(livemode))}";
            // (pm.id is COLLATE "C"; compared in the default collation, the comparison can use ix_payments_payment_method.)
            sql.Add($"payments.data->>'payment_method_id' IN (SELECT pm.id COLLATE \"default\" FROM payment_methods pm WHERE {scope}{brandCondition} AND pm.data->'card'->>'last4' = {{0}})", P(last4));
        }
        else if (query.CardBrand is { } brand)
        {
            // A brand is common: reading payments newest first finds a page of them soon.
            sql.Add("EXISTS (SELECT 1 FROM payment_methods pm WHERE pm.id = payments.data->>'payment_method_id' AND pm.data->'card'->>'brand' = {0})", P(brand));
        }

        return database.ListAsync("payments", "data, version", sql, query, Core.Ids.Payment, ReadPayment, cancellationToken);
    }

    public Task<IReadOnlyList<Payment>> ListStaleProcessingPaymentsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM payments WHERE status = 'processing' AND updated_at < $1 AND (data->>'payment_method_type') IS DISTINCT FROM 'sepa_debit' ORDER BY updated_at LIMIT $2;",
            [P(updatedBefore.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadPayment, cancellationToken);

    public Task<Refund?> GetRefundAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM refunds WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadRefund, cancellationToken);

    public Task<IReadOnlyList<Refund>> ListRefundsAsync(string merchantId, bool livemode, string? paymentId, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        if (paymentId is not null)
        {
            sql.Add("payment_id = {0}", P(paymentId));
        }

        if (query is RefundListQuery { Status: { } status })
        {
            sql.Add("status = {0}", P(status.ToWire()));
        }

        if (query is RefundListQuery { Currency: { } currency })
        {
            sql.Add("data->>'currency' = {0}", P(currency));
        }

        return database.ListAsync("refunds", "data, version", sql, query, Core.Ids.Refund, ReadRefund, cancellationToken);
    }

    public Task<IReadOnlyList<Refund>> ListStalePendingRefundsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM refunds WHERE status = 'pending' AND updated_at < $1 ORDER BY updated_at LIMIT $2;",
            [P(updatedBefore.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadRefund, cancellationToken);

    public Task<StoredPaymentMethod?> GetPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, encrypted_number FROM payment_methods WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadPaymentMethod, cancellationToken);
}
