namespace PaymentGateway.Core.Customers;

/// <summary>
/// A merchant's customer (<c>cus_…</c>): contact details, metadata, and the saved payment methods attached to it
/// (kept on the payment methods themselves). Deleting it erases its personal data and its saved cards; the row stays as
/// a tombstone so later charges can refuse with <c>customer_deleted</c>.
/// </summary>
public sealed class Customer
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public string? Email { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, string> Metadata { get; set; } = [];

    /// <summary>The saved payment method (<c>pm_…</c>, attached to this customer) an off-session payment uses when it names none.</summary>
    public string? DefaultPaymentMethod { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>Set when deleted: every other field is cleared and the customer can no longer be charged.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Optimistic concurrency: the version this copy was read at. The store bumps it on every update.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Version { get; set; }

    /// <summary>The e-mail as searched: trimmed and lower case (null when there is none).</summary>
    public static string? EmailKey(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();
}
