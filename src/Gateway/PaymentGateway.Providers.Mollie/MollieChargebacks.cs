using System.Globalization;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>
/// Pure translations of Mollie's chargebacks (docs/disputes.md). Mollie sends no dispute events: its webhook names the
/// payment, and a payment with chargebacks links them (<c>_links.chargebacks</c>), read with
/// <c>GET /v2/payments/{id}/chargebacks</c>. Each chargeback (<c>chb_…</c>) is a <c>chargeback</c> notification, and once
/// <c>reversedAt</c> is set also a <c>chargeback_reversed</c> one. Mollie takes no evidence through its API. No I/O;
/// table-tested.
/// </summary>
public static class MollieChargebacks
{
    /// <summary>Whether the payment links chargebacks (Mollie sets <c>_links.chargebacks</c> only when it has some).</summary>
    public static bool HasChargebacks(JsonElement payment) =>
        payment.TryGetProperty("_links", out var links) && links.ValueKind == JsonValueKind.Object
        && links.TryGetProperty("chargebacks", out var chargebacks) && chargebacks.ValueKind == JsonValueKind.Object;

    /// <summary>
    /// The chargebacks of a <c>GET /v2/payments/{id}/chargebacks</c> answer (<c>_embedded.chargebacks</c>) as dispute
    /// notifications of <paramref name="payment"/>: the amount (else <c>settlementAmount</c> made positive), <c>reason.code</c>,
    /// the card's label as the scheme, <c>createdAt</c> / <c>reversedAt</c>; event ids <c>chb_…:created</c> and
    /// <c>chb_…:reversed</c>.
    /// </summary>
    public static IReadOnlyList<DisputeNotification> ToNotifications(JsonElement chargebackList, JsonElement payment)
    {
        if (!chargebackList.TryGetProperty("_embedded", out var embedded) || !embedded.TryGetProperty("chargebacks", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var metadata = payment.TryGetProperty("metadata", out var m) ? m : default;
        var details = payment.TryGetProperty("details", out var d) ? d : default;
        var scheme = details.String("cardLabel")?.ToLowerInvariant();
        var notifications = new List<DisputeNotification>();
        foreach (var chargeback in list.EnumerateArray())
        {
            if (chargeback.String("id") is not { } id)
            {
                continue;
            }

            var amount = chargeback.TryGetProperty("amount", out var a) ? MollieTransformers.FromMollieAmount(a) : null;
            if (amount is null && chargeback.TryGetProperty("settlementAmount", out var settlement) && MollieTransformers.FromMollieAmount(settlement) is { } settled)
            {
                amount = new Money(Math.Abs(settled.MinorUnits), settled.Currency);
            }

            var opened = new DisputeNotification
            {
                ProviderDisputeId = id,
                PaymentReference = metadata.String("gateway_payment_id"),
                ProviderPaymentReference = chargeback.String("paymentId") ?? payment.String("id"),
                EventCode = "chargeback",
                Amount = amount,
                ReasonCode = chargeback.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.Object ? reason.String("code") : null,
                ReasonScheme = scheme,
                OccurredAt = Date(chargeback.String("createdAt")) ?? DateTimeOffset.UnixEpoch,
                EventId = id + ":created",
            };
            notifications.Add(opened);
            if (Date(chargeback.String("reversedAt")) is { } reversed)
            {
                notifications.Add(opened with { EventCode = "chargeback_reversed", OccurredAt = reversed, EventId = id + ":reversed" });
            }
        }

        return notifications;
    }

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
