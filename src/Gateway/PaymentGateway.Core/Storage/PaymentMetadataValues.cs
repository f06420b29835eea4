using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// The rows of <c>payment_metadata_values</c> for a payment: its distinct metadata values, which make "any metadata key
/// with this value" (an order id, the console's search) one index lookup. Both engines write them in the commit that
/// writes the payment — all of them on insert, and on an update only when they differ from the values the copy was read
/// or last committed with (<see cref="Payment.StoredMetadataValues"/>). Migration 17 replaced migration 16's triggers,
/// which parsed the payment's JSON in the database on every write (bench/RESULTS.md, issue 20).
/// </summary>
public static class PaymentMetadataValues
{
    /// <summary>The payment's distinct metadata values in ordinal order (the same set the triggers wrote).</summary>
    public static string[] Of(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.Metadata.Count == 0)
        {
            return [];
        }

        // Values are never null through the API, but a stored document could carry one; the triggers skipped it too.
        var values = payment.Metadata.Values.Where(v => v is not null).Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(values, StringComparer.Ordinal);
        return values;
    }

    /// <summary>
    /// The values an update must write, or null when the store already holds exactly these (the metadata did not change
    /// since the copy was read or committed). A copy that was never stored is always rewritten.
    /// </summary>
    public static string[]? ChangedOf(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var values = Of(payment);
        return payment.StoredMetadataValues is { } stored && stored.AsSpan().SequenceEqual(values) ? null : values;
    }
}
