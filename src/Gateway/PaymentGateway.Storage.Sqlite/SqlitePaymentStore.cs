using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Payments, refunds and payment methods on SQLite; a commit is one unit of the writer's group commit.</summary>
public sealed class SqlitePaymentStore(SqliteDatabase database) : IPaymentStore
{
    public async Task CommitAsync(StoreChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        // Serialize outside the writer so the single writer thread only runs SQL.
        var newPayments = changes.NewPayments.Select(p => (p, SqliteRows.Json(p))).ToList();
        var updatedPayments = changes.UpdatedPayments.Select(p => (p, SqliteRows.Json(p))).ToList();
        var newRefunds = changes.NewRefunds.Select(r => (r, JsonSerializer.Serialize(r, StorageJsonContext.Default.Refund))).ToList();
        var updatedRefunds = changes.UpdatedRefunds.Select(r => (r, JsonSerializer.Serialize(r, StorageJsonContext.Default.Refund))).ToList();
        var methods = changes.NewPaymentMethods.Select(m => (m, JsonSerializer.Serialize(m, StorageJsonContext.Default.StoredPaymentMethod))).ToList();

        await database.WriteAsync(ctx =>
        {
            // First: a key another request claimed first fails the unit before anything else runs.
            if (changes.Idempotency is { } idempotency)
            {
                SqliteIdempotencyStore.Write(ctx, idempotency);
            }

            foreach (var (p, json) in newPayments)
            {
                SqliteRows.InsertPayment(ctx, p, json);
            }

            foreach (var (p, json) in updatedPayments)
            {
                SqliteRows.UpdatePayment(ctx, p, json);
            }

            foreach (var (r, json) in newRefunds)
            {
                var c = ctx.Command("INSERT INTO refunds (id, merchant_id, livemode, payment_id, status, created_at, updated_at, version, data) VALUES ($id, $m, $l, $p, $s, $c, $u, $v, $d);");
                BindRefund(c, r, json);
                c.ExecuteNonQuery();
            }

            foreach (var (r, json) in updatedRefunds)
            {
                var c = ctx.Command("UPDATE refunds SET status = $s, updated_at = $u, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
                BindRefund(c, r, json);
                SqliteRows.ExecuteVersioned(c, r.Id);
            }

            foreach (var (m, json) in methods)
            {
                var c = ctx.Command("INSERT INTO payment_methods (id, merchant_id, livemode, encrypted_number, data) VALUES ($id, $m, $l, $e, $d);");
                c.Parameters.AddWithValue("$id", m.Id);
                c.Parameters.AddWithValue("$m", m.MerchantId);
                c.Parameters.AddWithValue("$l", m.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$e", (object?)m.EncryptedNumber ?? DBNull.Value);
                c.Parameters.AddWithValue("$d", json);
                c.ExecuteNonQuery();
            }

            foreach (var e in changes.Events)
            {
                SqliteRows.InsertEvent(ctx, e);
            }

            foreach (var m in changes.NewMerchants)
            {
                var c = ctx.Command("INSERT INTO merchants (id, created_at, data) VALUES ($id, $c, $d);");
                c.Parameters.AddWithValue("$id", m.Id);
                c.Parameters.AddWithValue("$c", m.Created.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", JsonSerializer.Serialize(m, StorageJsonContext.Default.Merchant));
                c.ExecuteNonQuery();
            }

            foreach (var k in changes.NewApiKeys)
            {
                var c = ctx.Command("INSERT INTO api_keys (id, merchant_id, key_hash, data) VALUES ($id, $m, $h, $d);");
                c.Parameters.AddWithValue("$id", k.Id);
                c.Parameters.AddWithValue("$m", k.MerchantId);
                c.Parameters.AddWithValue("$h", k.KeyHash);
                c.Parameters.AddWithValue("$d", JsonSerializer.Serialize(k, StorageJsonContext.Default.ApiKeyRecord));
                c.ExecuteNonQuery();
            }

            foreach (var (name, value) in changes.Settings)
            {
                var c = ctx.Command("INSERT INTO settings (name, value) VALUES ($n, $v) ON CONFLICT (name) DO UPDATE SET value = excluded.value;");
                c.Parameters.AddWithValue("$n", name);
                c.Parameters.AddWithValue("$v", value);
                c.ExecuteNonQuery();
            }

            // Last: the audit entries recording this commit, appended only once every change above was written.
            SqliteAuditLog.Append(ctx, changes.AuditRecords);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        // Committed: the in-memory copies are now at the stored versions.
        changes.MarkCommitted();
    }

    public Task<Payment?> GetPaymentAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM payments WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadPayment, cancellationToken);

    public Task<Payment?> GetPaymentByIdAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM payments WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), ReadPayment, cancellationToken);

    public Task<IReadOnlyList<Payment>> ListPaymentsAsync(string merchantId, bool livemode, PaymentListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        var values = new List<(string Name, object Value)>();
        void Filter(object? value, string name, string condition)
        {
            if (value is not null)
            {
                filters.Add(condition);
                values.Add((name, value));
            }
        }

        Filter(query.Status?.ToWire(), "$status", "status = $status");
        Filter(query.AmountGte, "$amount_gte", "json_extract(data, '$.amount') >= $amount_gte");
        Filter(query.AmountLte, "$amount_lte", "json_extract(data, '$.amount') <= $amount_lte");
        Filter(query.Currency, "$currency", "json_extract(data, '$.currency') = $currency");
        Filter(query.Customer, "$customer", "json_extract(data, '$.customer') = $customer");
        Filter(query.PaymentMethod, "$pm", "payments.payment_method_id = $pm"); // the generated column (migration 16)
        // payment_metadata_values holds every metadata value of every payment (written with the payment, PaymentMetadataValues): one index lookup.
        Filter(query.MetadataValue, "$meta", "payments.id IN (SELECT v.payment_id FROM payment_metadata_values v WHERE v.value = $meta)");
        Filter(query.ProviderAccount, "$account",
            "EXISTS (SELECT 1 FROM json_each(payments.data, '$.attempts') WHERE json_extract(json_each.value, '$.provider_account_id') = $account)");
        // Served by ix_payments_direct_debit_batch (migration 15).
        Filter(query.DirectDebitBatch, "$dd_batch", "json_extract(data, '$.direct_debit.batch_id') = $dd_batch");
        if (query.CardBrand is not null || query.CardLast4 is not null)
        {
            // The card lives on the payment method (brand and last 4 only; the number is never in a readable column).
            // Last 4 is selective: start from the merchant's methods with those digits (an index), then their payments;
            // a brand alone is common, and reading payments newest first finds a page of them soon.
            // (The nested id IN keeps SQLite from reading the merchant's payments newest first and probing each.)
            filters.Add(query.CardLast4 is not null
                ? "payments.id IN (SELECT p2.id FROM payments p2 WHERE p2.merchant_id = $m AND p2.livemode = $l AND p2.payment_method_id IN"
                  + " (SELECT pm.id FROM payment_methods pm WHERE pm.merchant_id = $m AND pm.livemode = $l AND json_extract(pm.data, '$.card.last4') = $last4"
                  + (query.CardBrand is null ? string.Empty : " AND json_extract(pm.data, '$.card.brand') = $brand") + "))"
                : "EXISTS (SELECT 1 FROM payment_methods pm WHERE pm.id = json_extract(payments.data, '$.payment_method_id') AND json_extract(pm.data, '$.card.brand') = $brand)");
            if (query.CardBrand is not null)
            {
                values.Add(("$brand", query.CardBrand));
            }

            if (query.CardLast4 is not null)
            {
                values.Add(("$last4", query.CardLast4));
            }
        }

        return database.ListAsync("payments", "data, version", filters, query, Core.Ids.Payment, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            foreach (var (name, value) in values)
            {
                c.Parameters.AddWithValue(name, value);
            }
        }, ReadPayment, cancellationToken);
    }

    public Task<IReadOnlyList<Payment>> ListStaleProcessingPaymentsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM payments WHERE status = 'processing' AND updated_at < $u AND json_extract(data, '$.payment_method_type') IS NOT 'sepa_debit' ORDER BY updated_at LIMIT $n;",
            c => { c.Parameters.AddWithValue("$u", updatedBefore.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", limit); },
            ReadPayment, cancellationToken);

    public Task<Refund?> GetRefundAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM refunds WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadRefund, cancellationToken);

    public Task<IReadOnlyList<Refund>> ListRefundsAsync(string merchantId, bool livemode, string? paymentId, ListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (paymentId is not null)
        {
            filters.Add("payment_id = $p");
        }

        var filtered = query as RefundListQuery;
        if (filtered?.Status is not null)
        {
            filters.Add("status = $status");
        }

        if (filtered?.Currency is not null)
        {
            filters.Add("json_extract(data, '$.currency') = $currency");
        }

        return database.ListAsync("refunds", "data, version", filters, query, Core.Ids.Refund, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (paymentId is not null)
            {
                c.Parameters.AddWithValue("$p", paymentId);
            }

            if (filtered?.Status is { } status)
            {
                c.Parameters.AddWithValue("$status", status.ToWire());
            }

            if (filtered?.Currency is { } currency)
            {
                c.Parameters.AddWithValue("$currency", currency);
            }
        }, ReadRefund, cancellationToken);
    }

    public Task<IReadOnlyList<Refund>> ListStalePendingRefundsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM refunds WHERE status = 'pending' AND updated_at < $u ORDER BY updated_at LIMIT $n;",
            c => { c.Parameters.AddWithValue("$u", updatedBefore.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", limit); },
            ReadRefund, cancellationToken);

    public Task<StoredPaymentMethod?> GetPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, encrypted_number FROM payment_methods WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadPaymentMethod, cancellationToken);

    private static void BindRefund(SqliteCommand c, Refund r, string json)
    {
        c.Parameters.AddWithValue("$id", r.Id);
        c.Parameters.AddWithValue("$m", r.MerchantId);
        c.Parameters.AddWithValue("$l", r.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$p", r.PaymentId);
        c.Parameters.AddWithValue("$s", r.Status.ToWire());
        c.Parameters.AddWithValue("$c", r.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$u", r.Updated.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", r.Version);
        c.Parameters.AddWithValue("$d", json);
    }
}
