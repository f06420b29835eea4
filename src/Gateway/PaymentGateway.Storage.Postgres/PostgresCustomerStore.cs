using Npgsql;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.CustomerRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Customers and saved payment methods on PostgreSQL; a commit is one transaction sent as one batch.</summary>
public sealed class PostgresCustomerStore(PostgresDatabase database) : ICustomerStore
{
    public async Task CommitCustomerChangesAsync(CustomerChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var batch = new CheckedBatch();
        foreach (var c in changes.NewCustomers)
        {
            batch.Add(Cmd("INSERT INTO customers (id, merchant_id, livemode, email_key, deleted, created_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
                P(c.Id), P(c.MerchantId), P(c.Livemode), Text(Customer.EmailKey(c.Email)), P(c.DeletedAt is not null), P(c.Created.ToUnixTimeMilliseconds()),
                P(c.Version), Jsonb(CustomerJson(c))));
        }

        foreach (var c in changes.UpdatedCustomers)
        {
            batch.AddVersionChecked(Cmd("UPDATE customers SET email_key = $2, deleted = $3, version = $4 + 1, data = $5 WHERE id = $1 AND version = $4;",
                P(c.Id), Text(Customer.EmailKey(c.Email)), P(c.DeletedAt is not null), P(c.Version), Jsonb(CustomerJson(c))), c.Id);
        }

        foreach (var m in changes.UpdatedPaymentMethods)
        {
            batch.AddVersionChecked(Cmd("""
                UPDATE payment_methods SET customer_id = $2, encrypted_number = $3, credentials = $4, expires_at = $5, expiring_notified = $6,
                version = $7 + 1, data = $8 WHERE id = $1 AND version = $7;
                """,
                P(m.Id), Text(m.Customer), Text(m.EncryptedNumber), Text(m.EncryptedCredentials), Long(CardExpiresAt(m)?.ToUnixTimeMilliseconds()),
                P(m.ExpiringNotified), P(m.Version), Jsonb(PaymentMethodJson(m))), m.Id);
        }

        foreach (var e in changes.Events)
        {
            batch.Add(PostgresRows.InsertEvent(e));
        }

        batch.Audit.AddRange(changes.AuditRecords);

        // A duplicate customer id, or two change sets updating the same rows in opposite orders: nothing was written.
        await database.ExecuteAsync(batch, e => e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            ? changes.ConflictObjectId : null, cancellationToken).ConfigureAwait(false);
        changes.MarkCommitted();
    }

    public Task<Customer?> GetCustomerAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM customers WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadCustomer, cancellationToken);

    public Task<IReadOnlyList<Customer>> ListCustomersAsync(string merchantId, bool livemode, CustomerListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = SqlFilter.Scope(merchantId, livemode);
        sql.Add("deleted = {0}", P(false));
        if (query.Email is { } email)
        {
            sql.Add("email_key = {0}", P(email));
        }

        if (query.MetadataKey is { } key)
        {
            var keyParameter = sql.Parameter(P(key));
            sql.Add($"data->'metadata'->>{keyParameter} = {{0}}", P(query.MetadataValue ?? string.Empty));
        }

        return database.ListAsync("customers", "data, version", sql, query, ReadCustomer, cancellationToken);
    }

    public Task<StoredPaymentMethod?> GetSavedPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {SavedPaymentMethodColumns} FROM payment_methods WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadSavedPaymentMethod, cancellationToken);

    public Task<IReadOnlyList<StoredPaymentMethod>> ListCustomerPaymentMethodsAsync(string merchantId, bool livemode, string customerId, ListQuery query,
        CancellationToken cancellationToken)
    {
        var sql = new SqlFilter();
        sql.Add("customer_id = {0}", P(customerId));
        sql.Add("merchant_id = {0}", P(merchantId));
        sql.Add("livemode = {0}", P(livemode));
        return database.ListAsync("payment_methods", SavedPaymentMethodColumns, sql, query with { CreatedGte = null, CreatedLt = null }, ReadSavedPaymentMethod, cancellationToken);
    }

    public Task<IReadOnlyList<StoredPaymentMethod>> ListExpiringPaymentMethodsAsync(DateTimeOffset expiringBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync($"""
            SELECT {SavedPaymentMethodColumns} FROM payment_methods
            WHERE customer_id IS NOT NULL AND NOT expiring_notified AND expires_at < $1 ORDER BY expires_at, id LIMIT $2;
            """,
            [P(expiringBefore.ToUnixTimeMilliseconds()), P(Math.Max(0, limit))], ReadSavedPaymentMethod, cancellationToken);
}
