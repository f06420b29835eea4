using System.Data.Common;
using System.Text.Json;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// The customer seam's rows as both engines store them (<see cref="ICustomerStore"/>): customers as JSON with their
/// query columns, and the saved-payment-method columns beside a payment method's JSON. Engines turn these into SQL.
/// </summary>
public static class CustomerRows
{
    /// <summary>Columns of a saved payment method, in <see cref="ReadSavedPaymentMethod"/>'s order.</summary>
    public const string SavedPaymentMethodColumns = "data, encrypted_number, version, credentials";

    /// <summary>data, version.</summary>
    public static Customer ReadCustomer(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var customer = JsonSerializer.Deserialize(r.GetString(0), CustomerStorageJsonContext.Default.Customer) ?? throw new InvalidDataException("Empty customer row.");
        customer.Version = r.GetInt64(1);
        return customer;
    }

    /// <summary><see cref="SavedPaymentMethodColumns"/>.</summary>
    public static StoredPaymentMethod ReadSavedPaymentMethod(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var method = StorageRows.ReadPaymentMethod(r);
        method.Version = r.GetInt64(2);
        method.EncryptedCredentials = r.IsDBNull(3) ? null : r.GetString(3);
        return method;
    }

    public static string CustomerJson(Customer customer) => JsonSerializer.Serialize(customer, CustomerStorageJsonContext.Default.Customer);

    public static string PaymentMethodJson(StoredPaymentMethod method) => JsonSerializer.Serialize(method, StorageJsonContext.Default.StoredPaymentMethod);

    /// <summary>
    /// The end of a card's expiry month (the first instant of the next month, UTC): a card is valid through its whole
    /// expiry month. Null for anything that is not an attached card.
    /// </summary>
    public static DateTimeOffset? CardExpiresAt(StoredPaymentMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Customer is null || method.DetachedAt is not null || method.Card is not { } card || card.ExpMonth is < 1 or > 12)
        {
            return null;
        }

        return new DateTimeOffset(card.ExpYear, card.ExpMonth, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }
}
