using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Customers and the payment methods saved for them (docs/saved-cards.md). A saved payment method is the same
/// <c>payment_methods</c> row the tokenization wrote, plus what this seam keeps beside it: the customer it is attached
/// to, a version, the card's expiry as a time (for <c>payment_method.expiring</c>) and the encrypted stored-credential
/// data. Every change goes through <see cref="CommitCustomerChangesAsync"/>, one transaction with its events.
/// </summary>
public interface ICustomerStore
{
    /// <summary>
    /// Applies <paramref name="changes"/> atomically. Customer and payment-method updates are version-checked: a copy
    /// changed since it was read throws <see cref="ConcurrencyConflictException"/> and nothing is written.
    /// </summary>
    Task CommitCustomerChangesAsync(CustomerChanges changes, CancellationToken cancellationToken);

    /// <summary>A customer of the merchant and mode, deleted ones (tombstones) included.</summary>
    Task<Customer?> GetCustomerAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    /// <summary>The merchant's customers that are not deleted, newest first, optionally only those with an e-mail or a metadata value.</summary>
    Task<IReadOnlyList<Customer>> ListCustomersAsync(string merchantId, bool livemode, CustomerListQuery query, CancellationToken cancellationToken);

    /// <summary>A payment method of the merchant and mode with its version and encrypted stored credentials (and card number).</summary>
    Task<StoredPaymentMethod?> GetSavedPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    /// <summary>The payment methods attached to a customer, newest first (by id), with versions.</summary>
    Task<IReadOnlyList<StoredPaymentMethod>> ListCustomerPaymentMethodsAsync(string merchantId, bool livemode, string customerId, ListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Attached cards of every merchant whose expiry (<see cref="CustomerRows.CardExpiresAt"/>) is before
    /// <paramref name="expiringBefore"/> and whose <c>payment_method.expiring</c> was not sent yet, soonest first.
    /// </summary>
    Task<IReadOnlyList<StoredPaymentMethod>> ListExpiringPaymentMethodsAsync(DateTimeOffset expiringBefore, int limit, CancellationToken cancellationToken);
}

public sealed record CustomerListQuery : ListQuery
{
    /// <summary>Only customers with this e-mail, compared trimmed and ignoring case.</summary>
    public string? Email { get; init; }

    /// <summary>Only customers whose metadata has this key…</summary>
    public string? MetadataKey { get; init; }

    /// <summary>…with this value.</summary>
    public string? MetadataValue { get; init; }
}

/// <summary>One atomic unit of customer and saved-payment-method writes.</summary>
public sealed class CustomerChanges : IChangeSet
{
    public List<Customer> NewCustomers { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="Customer.Version"/> (a customer touched by attaching bumps it too).</summary>
    public List<Customer> UpdatedCustomers { get; } = [];

    /// <summary>
    /// Written only if the stored version still equals <see cref="StoredPaymentMethod.Version"/>: its JSON, customer, vault
    /// blobs (a null <see cref="StoredPaymentMethod.EncryptedNumber"/> or <see cref="StoredPaymentMethod.EncryptedCredentials"/>
    /// erases it) and expiry (<see cref="CustomerRows.CardExpiresAt"/>).
    /// </summary>
    public List<StoredPaymentMethod> UpdatedPaymentMethods { get; } = [];

    public List<GatewayEvent> Events { get; } = [];

    /// <summary>Audit entries written in the same commit (a console detach).</summary>
    public List<Audit.AuditRecord> AuditRecords { get; } = [];

    /// <summary>The object a conflict names when none of the updates did (a duplicate insert).</summary>
    public string ConflictObjectId => NewCustomers.FirstOrDefault()?.Id ?? UpdatedPaymentMethods.FirstOrDefault()?.Id ?? "customer";

    /// <summary>Called by the store once the changes are committed: the updated copies are now at their stored versions.</summary>
    public void MarkCommitted()
    {
        UpdatedCustomers.ForEach(c => c.Version++);
        UpdatedPaymentMethods.ForEach(m => m.Version++);
    }
}
