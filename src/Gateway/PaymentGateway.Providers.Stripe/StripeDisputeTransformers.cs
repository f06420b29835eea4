using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// Pure translations of Stripe's disputes (docs/disputes.md): <c>charge.dispute.*</c> events and Dispute objects to
/// <see cref="DisputeNotification"/> (codes copied verbatim; the core maps them), and the evidence form of
/// <c>POST /v1/disputes/{id}</c>. No I/O; table-tested.
/// </summary>
public static class StripeDisputeTransformers
{
    /// <summary>The prefix of Stripe's dispute event types.</summary>
    public const string EventPrefix = "charge.dispute.";

    /// <summary>Metadata key carrying the gateway's dispute id on the Stripe Dispute.</summary>
    public const string DisputeIdMetadataKey = "gateway_dispute_id";

    /// <summary>
    /// A verified event as a dispute notification, or null when it is not a <c>charge.dispute.*</c> event. For
    /// <c>funds_withdrawn</c> / <c>funds_reinstated</c>, the dispute's newest balance transaction is the movement (its
    /// <c>txn_…</c> id is the reference, its amount made positive, the direction the event's).
    /// </summary>
    public static DisputeNotification? ToNotification(JsonElement stripeEvent)
    {
        var type = stripeEvent.String("type");
        if (type is null || !type.StartsWith(EventPrefix, StringComparison.Ordinal)
            || !stripeEvent.TryGetProperty("data", out var data) || !data.TryGetProperty("object", out var dispute) || dispute.ValueKind != JsonValueKind.Object
            || dispute.String("id") is null)
        {
            return null;
        }

        DisputeFundsDirection? direction = type switch
        {
            "charge.dispute.funds_withdrawn" => DisputeFundsDirection.Withdrawn,
            "charge.dispute.funds_reinstated" => DisputeFundsDirection.Reinstated,
            _ => null,
        };
        var movements = direction is { } d && BalanceTransactions(dispute).MaxBy(t => t.Created) is { } newest && Movement(newest.Element, d) is { } movement
            ? [movement]
            : Array.Empty<DisputeFundsMovement>();
        return FromDispute(dispute, type, UnixTime(stripeEvent, "created") ?? DateTimeOffset.UnixEpoch, stripeEvent.String("id"), movements);
    }

    /// <summary>A Dispute object read from the API (<c>GET /v1/disputes</c>) as a snapshot, every balance transaction a movement (negative withdrawn, positive reinstated).</summary>
    public static DisputeNotification? ToSnapshot(JsonElement dispute, DateTimeOffset readAt)
    {
        if (dispute.String("id") is null)
        {
            return null;
        }

        var movements = BalanceTransactions(dispute)
            .Select(t => Movement(t.Element, t.Amount < 0 ? DisputeFundsDirection.Withdrawn : DisputeFundsDirection.Reinstated))
            .OfType<DisputeFundsMovement>()
            .ToList();
        return FromDispute(dispute, DisputeNotification.SnapshotEventCode, readAt, eventId: null, movements);
    }

    /// <summary>
    /// <c>POST /v1/disputes/{id}</c>: every text field as <c>evidence[field]</c>, every uploaded file's id under its field,
    /// <c>submit=true</c> (Stripe sends it to the issuer at once), and the gateway's dispute id in metadata.
    /// </summary>
    public static StripeForm EvidenceForm(SubmitDisputeEvidenceRequest request, IReadOnlyList<(string Field, string FileId)> files)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(files);
        var form = new StripeForm();
        foreach (var (field, value) in request.Evidence.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            form.Add($"evidence[{field}]", value);
        }

        foreach (var (field, fileId) in files)
        {
            form.Add($"evidence[{field}]", fileId);
        }

        return form.Add("submit", "true").Add($"metadata[{DisputeIdMetadataKey}]", request.DisputeId);
    }

    private static DisputeNotification FromDispute(JsonElement dispute, string eventCode, DateTimeOffset occurredAt, string? eventId, IReadOnlyList<DisputeFundsMovement> movements) => new()
    {
        ProviderDisputeId = dispute.String("id") ?? string.Empty,
        ProviderPaymentReference = StripeStoredCards.IdOf(dispute, "payment_intent") ?? StripeStoredCards.IdOf(dispute, "charge"),
        EventCode = eventCode,
        ProviderStatus = dispute.String("status"),
        Amount = dispute.TryGetProperty("amount", out var amount) && amount.TryGetInt64(out var value) ? StripeTransformers.FromStripeAmount(value, dispute.String("currency")) : null,
        ReasonCode = dispute.String("reason"),
        EvidenceDueBy = dispute.TryGetProperty("evidence_details", out var details) ? UnixTime(details, "due_by") : null,
        OccurredAt = occurredAt,
        EventId = eventId,
        FundsMovements = movements,
    };

    private static IEnumerable<(JsonElement Element, long Amount, long Created)> BalanceTransactions(JsonElement dispute)
    {
        if (!dispute.TryGetProperty("balance_transactions", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var transaction in list.EnumerateArray())
        {
            if (transaction.ValueKind == JsonValueKind.Object && transaction.TryGetProperty("amount", out var a) && a.TryGetInt64(out var value))
            {
                yield return (transaction, value, transaction.TryGetProperty("created", out var c) && c.TryGetInt64(out var created) ? created : 0);
            }
        }
    }

    private static DisputeFundsMovement? Movement(JsonElement transaction, DisputeFundsDirection direction)
    {
        var id = transaction.String("id");
        var amount = transaction.TryGetProperty("amount", out var a) && a.TryGetInt64(out var value)
            ? StripeTransformers.FromStripeAmount(Math.Abs(value), transaction.String("currency"))
            : null;
        return id is null || amount is null ? null : new DisputeFundsMovement { Direction = direction, Amount = amount.Value, Reference = id, At = UnixTime(transaction, "created") };
    }

    private static DateTimeOffset? UnixTime(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
