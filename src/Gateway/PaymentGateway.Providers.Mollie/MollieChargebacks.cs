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

        var notifications = new List<DisputeNotification>();
        foreach (var chargeback in list.EnumerateArray())
        {
            notifications.AddRange(FromChargeback(chargeback, payment));
        }

        return notifications;
    }

    /// <summary>
    /// The chargebacks of Mollie's chargeback list (<c>GET /v2/chargebacks?embed=payment</c>, <c>_embedded.chargebacks</c>),
    /// each read with the payment embedded in it (when embedded), in the list's order.
    /// </summary>
    public static IReadOnlyList<JsonElement> ListedChargebacks(JsonElement chargebackList) =>
        chargebackList.TryGetProperty("_embedded", out var embedded) && embedded.TryGetProperty("chargebacks", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [];

    /// <summary>
    /// One chargeback as its notifications: <c>chargeback</c> (<c>chb_…:created</c>) and, once <c>reversedAt</c> is set,
    /// <c>chargeback_reversed</c> (<c>chb_…:reversed</c>) — the same whether read on a payment webhook or by polling, so
    /// each counts once. The payment is <paramref name="payment"/>, else the one embedded in the chargeback
    /// (<c>_embedded.payment</c>), else only the chargeback's <c>paymentId</c>.
    /// </summary>
    public static IReadOnlyList<DisputeNotification> FromChargeback(JsonElement chargeback, JsonElement payment = default)
    {
        if (chargeback.ValueKind != JsonValueKind.Object || chargeback.String("id") is not { } id)
        {
            return [];
        }

        if (payment.ValueKind != JsonValueKind.Object && chargeback.TryGetProperty("_embedded", out var embedded) && embedded.ValueKind == JsonValueKind.Object
            && embedded.TryGetProperty("payment", out var embeddedPayment) && embeddedPayment.ValueKind == JsonValueKind.Object)
        {
            payment = embeddedPayment;
        }

        var metadata = payment.ValueKind == JsonValueKind.Object && payment.TryGetProperty("metadata", out var m) ? m : default;
        var details = payment.ValueKind == JsonValueKind.Object && payment.TryGetProperty("details", out var d) ? d : default;
        var amount = chargeback.TryGetProperty("amount", out var a) ? MollieTransformers.FromMollieAmount(a) : null;
        if (amount is null && chargeback.TryGetProperty("settlementAmount", out var settlement) && MollieTransformers.FromMollieAmount(settlement) is { } settled)
        {
            amount = new Money(Math.Abs(settled.MinorUnits), settled.Currency);
        }

        var opened = new DisputeNotification
        {
            ProviderDisputeId = id,
            PaymentReference = metadata.ValueKind == JsonValueKind.Object ? metadata.String("gateway_payment_id") : null,
            ProviderPaymentReference = chargeback.String("paymentId") ?? (payment.ValueKind == JsonValueKind.Object ? payment.String("id") : null),
            EventCode = "chargeback",
            Amount = amount,
            ReasonCode = chargeback.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.Object ? reason.String("code") : null,
            ReasonScheme = details.ValueKind == JsonValueKind.Object ? details.String("cardLabel")?.ToLowerInvariant() : null,
            OccurredAt = Date(chargeback.String("createdAt")) ?? DateTimeOffset.UnixEpoch,
            EventId = id + ":created",
        };
        return Date(chargeback.String("reversedAt")) is { } reversed
            ? [opened, opened with { EventCode = "chargeback_reversed", OccurredAt = reversed, EventId = id + ":reversed" }]
            : [opened];
    }

    /// <summary>When Mollie received the chargeback (<c>createdAt</c>).</summary>
    public static DateTimeOffset? CreatedAt(JsonElement chargeback) => Date(chargeback.String("createdAt"));

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
