using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Payments;

[JsonConverter(typeof(JsonStringEnumConverter<PaymentStatus>))]
public enum PaymentStatus
{
    [JsonStringEnumMemberName("requires_payment_method")] RequiresPaymentMethod,
    [JsonStringEnumMemberName("requires_confirmation")] RequiresConfirmation,
    [JsonStringEnumMemberName("requires_action")] RequiresAction,
    [JsonStringEnumMemberName("processing")] Processing,
    [JsonStringEnumMemberName("requires_capture")] RequiresCapture,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("canceled")] Canceled,
    [JsonStringEnumMemberName("failed")] Failed,
}

[JsonConverter(typeof(JsonStringEnumConverter<CaptureMethod>))]
public enum CaptureMethod
{
    [JsonStringEnumMemberName("automatic")] Automatic,
    [JsonStringEnumMemberName("manual")] Manual,
}

[JsonConverter(typeof(JsonStringEnumConverter<RefundStatus>))]
public enum RefundStatus
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
}

public static class StatusNames
{
    public static string ToWire(this PaymentStatus status) => status switch
    {
        PaymentStatus.RequiresPaymentMethod => "requires_payment_method",
        PaymentStatus.RequiresConfirmation => "requires_confirmation",
        PaymentStatus.RequiresAction => "requires_action",
        PaymentStatus.Processing => "processing",
        PaymentStatus.RequiresCapture => "requires_capture",
        PaymentStatus.Succeeded => "succeeded",
        PaymentStatus.Canceled => "canceled",
        PaymentStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParsePaymentStatus(string value, out PaymentStatus status)
    {
        foreach (var candidate in Enum.GetValues<PaymentStatus>())
        {
            if (candidate.ToWire() == value)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static string ToWire(this RefundStatus status) => status switch
    {
        RefundStatus.Pending => "pending",
        RefundStatus.Succeeded => "succeeded",
        RefundStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string ToWire(this CaptureMethod method) => method == CaptureMethod.Manual ? "manual" : "automatic";
}
