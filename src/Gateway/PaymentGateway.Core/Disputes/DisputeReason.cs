using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Disputes;

/// <summary>Why the cardholder disputed, normalized across providers; the provider's own code is kept beside it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DisputeReason>))]
public enum DisputeReason
{
    [JsonStringEnumMemberName("general")] General,
    [JsonStringEnumMemberName("fraudulent")] Fraudulent,
    [JsonStringEnumMemberName("duplicate")] Duplicate,
    [JsonStringEnumMemberName("product_not_received")] ProductNotReceived,
    [JsonStringEnumMemberName("product_unacceptable")] ProductUnacceptable,
    [JsonStringEnumMemberName("subscription_canceled")] SubscriptionCanceled,
    [JsonStringEnumMemberName("credit_not_processed")] CreditNotProcessed,
    [JsonStringEnumMemberName("unrecognized")] Unrecognized,
}

public static class DisputeReasonNames
{
    public static string ToWire(this DisputeReason reason) => reason switch
    {
        DisputeReason.Fraudulent => "fraudulent",
        DisputeReason.Duplicate => "duplicate",
        DisputeReason.ProductNotReceived => "product_not_received",
        DisputeReason.ProductUnacceptable => "product_unacceptable",
        DisputeReason.SubscriptionCanceled => "subscription_canceled",
        DisputeReason.CreditNotProcessed => "credit_not_processed",
        DisputeReason.Unrecognized => "unrecognized",
        _ => "general",
    };

    /// <summary>The reason whose wire name is <paramref name="value"/>, or null.</summary>
    public static DisputeReason? FromWire(string? value)
    {
        foreach (var candidate in Enum.GetValues<DisputeReason>())
        {
            if (candidate.ToWire() == value)
            {
                return candidate;
            }
        }

        return null;
    }
}
