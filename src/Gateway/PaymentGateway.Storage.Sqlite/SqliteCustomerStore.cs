using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.CustomerRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Customers and saved payment methods on SQLite; a commit is one unit of the writer's group commit.</summary>
public sealed class SqliteCustomerStore(SqliteDatabase database) : ICustomerStore
{
    public async Task CommitCustomerChangesAsync(CustomerChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var newCustomers = changes.NewCustomers.Select(c => (c, CustomerJson(c))).ToList();
        var updatedCustomers = changes.UpdatedCustomers.Select(c => (c, CustomerJson(c))).ToList();
        var methods = changes.UpdatedPaymentMethods.Select(m => (m, PaymentMethodJson(m), CardExpiresAt(m))).ToList();
        await database.CommitChangesAsync(changes, ctx =>
        {
            foreach (var (c, json) in newCustomers)
            {
                var command = ctx.Command("""
                    INSERT INTO customers (id, merchant_id, livemode, email_key, deleted, created_at, version, data) VALUES ($id, $m, $l, $e, $x, $c, $v, $d);
                    """);
                BindCustomer(command, c, json);
                command.ExecuteNonQuery();
            }

            foreach (var (c, json) in updatedCustomers)
            {
                var command = ctx.Command("UPDATE customers SET email_key = $e, deleted = $x, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
                BindCustomer(command, c, json);
                SqliteRows.ExecuteVersioned(command, c.Id);
            }

            foreach (var (m, json, expiresAt) in methods)
            {
                var command = ctx.Command("""
                    UPDATE payment_methods SET customer_id = $c, encrypted_number = $n, credentials = $k, expires_at = $x, expiring_notified = $en,
                    version = $v + 1, data = $d WHERE id = $id AND version = $v;
                    """);
                command.Parameters.AddWithValue("$id", m.Id);
                command.Parameters.AddWithValue("$c", (object?)m.Customer ?? DBNull.Value);
                command.Parameters.AddWithValue("$n", (object?)m.EncryptedNumber ?? DBNull.Value);
                command.Parameters.AddWithValue("$k", (object?)m.EncryptedCredentials ?? DBNull.Value);
                command.Parameters.AddWithValue("$x", (object?)expiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
                command.Parameters.AddWithValue("$en", m.ExpiringNotified ? 1 : 0);
                command.Parameters.AddWithValue("$v", m.Version);
                command.Parameters.AddWithValue("$d", json);
                SqliteRows.ExecuteVersioned(command, m.Id);
            }

            foreach (var e in changes.Events)
            {
                SqliteRows.InsertEvent(ctx, e);
            }

            if (changes.AuditRecords.Count > 0)
            {
                SqliteAuditLog.Append(ctx, changes.AuditRecords);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<Customer?> GetCustomerAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM customers WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadCustomer, cancellationToken);

    public Task<IReadOnlyList<Customer>> ListCustomersAsync(string merchantId, bool livemode, CustomerListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = new List<string> { "merchant_id = $m", "livemode = $l", "deleted = 0" };
        if (query.Email is not null)
        {
            filters.Add("email_key = $email");
        }

        if (query.MetadataKey is not null)
        {
            filters.Add("EXISTS (SELECT 1 FROM json_each(customers.data, '$.metadata') WHERE json_each.key = $mk AND json_each.value = $mv)");
        }

        return database.ListAsync("customers", "data, version", filters, query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (query.Email is { } email)
            {
                c.Parameters.AddWithValue("$email", email);
            }

            if (query.MetadataKey is { } key)
            {
                c.Parameters.AddWithValue("$mk", key);
                c.Parameters.AddWithValue("$mv", query.MetadataValue ?? string.Empty);
            }
        }, ReadCustomer, cancellationToken);
    }

    public Task<StoredPaymentMethod?> GetSavedPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {SavedPaymentMethodColumns} FROM payment_methods WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadSavedPaymentMethod, cancellationToken);

    public Task<IReadOnlyList<StoredPaymentMethod>> ListCustomerPaymentMethodsAsync(string merchantId, bool livemode, string customerId, ListQuery query,
        CancellationToken cancellationToken) =>
        database.ListAsync("payment_methods", SavedPaymentMethodColumns, ["customer_id = $c", "merchant_id = $m", "livemode = $l"], query with { CreatedGte = null, CreatedLt = null }, c =>
        {
            c.Parameters.AddWithValue("$c", customerId);
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        }, ReadSavedPaymentMethod, cancellationToken);

    public Task<IReadOnlyList<StoredPaymentMethod>> ListExpiringPaymentMethodsAsync(DateTimeOffset expiringBefore, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync($"""
            SELECT {SavedPaymentMethodColumns} FROM payment_methods
            WHERE customer_id IS NOT NULL AND expiring_notified = 0 AND expires_at < $x ORDER BY expires_at, id LIMIT $n;
            """,
            c => { c.Parameters.AddWithValue("$x", expiringBefore.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", Math.Max(0, limit)); },
            ReadSavedPaymentMethod, cancellationToken);

    private static void BindCustomer(SqliteCommand c, Customer customer, string json)
    {
        c.Parameters.AddWithValue("$id", customer.Id);
        c.Parameters.AddWithValue("$m", customer.MerchantId);
        c.Parameters.AddWithValue("$l", customer.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$e", (object?)Customer.EmailKey(customer.Email) ?? DBNull.Value);
        c.Parameters.AddWithValue("$x", customer.DeletedAt is null ? 0 : 1);
        c.Parameters.AddWithValue("$c", customer.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", customer.Version);
        c.Parameters.AddWithValue("$d", json);
    }
}
