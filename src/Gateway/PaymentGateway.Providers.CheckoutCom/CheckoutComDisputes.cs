using System.Globalization;
using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>
/// Pure translations of Checkout.com's disputes (docs/disputes.md): <c>dispute_*</c> webhook events to
/// <see cref="DisputeNotification"/> (codes verbatim; the core maps them), and the evidence body of
/// <c>PUT /disputes/{id}/evidence</c> from the gateway's evidence fields. No I/O; table-tested.
/// </summary>
public static class CheckoutComDisputes
{
    /// <summary>The prefix of Checkout.com's dispute event types.</summary>
    public const string EventPrefix = "dispute_";

    /// <summary>Where Checkout.com takes file uploads in the sandbox (its Files API has its own host).</summary>
    public const string SandboxFilesBaseUrl = "https://files.sandbox.checkout.com";

    /// <summary>Where Checkout.com takes file uploads live.</summary>
    public const string LiveFilesBaseUrl = "https://files.checkout.com";

    // The gateway's file fields (Stripe's evidence set) to Checkout.com's evidence file fields.
    private static readonly Dictionary<string, string> FileFields = new(StringComparer.Ordinal)
    {
        ["shipping_documentation"] = "proof_of_delivery_or_service_file",
        ["service_documentation"] = "proof_of_delivery_or_service_file",
        ["receipt"] = "invoice_or_receipt_file",
        ["customer_communication"] = "customer_communication_file",
        ["refund_policy"] = "refund_or_cancellation_policy_file",
        ["cancellation_policy"] = "refund_or_cancellation_policy_file",
        ["duplicate_charge_documentation"] = "invoice_showing_distinct_transactions_file",
        ["customer_signature"] = "recurring_transaction_agreement_file",
    };

    // Text fields that describe delivery or service; every other text field goes into additional_evidence_text.
    private static readonly HashSet<string> DeliveryTextFields = new(StringComparer.Ordinal)
    {
        "shipping_tracking_number", "shipping_carrier", "shipping_date", "shipping_address", "service_date",
    };

    /// <summary>
    /// A verified event as a dispute notification, or null when it is not a <c>dispute_*</c> event: the dispute
    /// <c>data.id</c>, the payment <c>data.payment_id</c> and <c>data.payment_reference</c> (the gateway's id), the amount,
    /// <c>data.category</c> (else <c>reason_code</c>) with <c>data.payment_method</c> as the scheme,
    /// <c>data.evidence_required_by</c>, the event <c>id</c> and <c>created_on</c>.
    /// </summary>
    public static DisputeNotification? ToNotification(JsonElement webhookEvent)
    {
        var type = webhookEvent.String("type");
        var data = webhookEvent.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        if (type is null || !type.StartsWith(EventPrefix, StringComparison.Ordinal) || data.String("id") is not { } id)
        {
            return null;
        }

        Money? amount = null;
        if (data.TryGetProperty("amount", out var a) && a.TryGetInt64(out var value))
        {
            amount = CheckoutComTransformers.FromCheckoutComAmount(value, data.String("currency"));
        }

        var at = Date(webhookEvent.String("created_on")) ?? DateTimeOffset.UnixEpoch;
        return new DisputeNotification
        {
            ProviderDisputeId = id,
            PaymentReference = data.String("payment_reference"),
            ProviderPaymentReference = data.String("payment_id"),
            EventCode = type,
            ProviderStatus = data.String("status"),
            Amount = amount,
            ReasonCode = data.String("category") ?? data.String("reason_code"),
            ReasonScheme = data.String("payment_method")?.ToLowerInvariant(),
            EvidenceDueBy = Date(data.String("evidence_required_by")),
            OccurredAt = at,
            EventId = webhookEvent.String("id"),
            FundsMovements = Movements(id, amount, withdrawn: type == "dispute_evidence_required", reinstated: type is "dispute_won" or "dispute_canceled"),
        };
    }

    /// <summary>
    /// A dispute read from the Disputes API (<c>GET /disputes</c>'s items or <c>GET /disputes/{id}</c>) as a
    /// <see cref="DisputeNotification.SnapshotEventCode"/> notification, or null without an id: its <c>status</c>,
    /// amount, category, deadline and payment (<c>payment_id</c>, or <c>payment.id</c> on the details), stated at its
    /// <c>last_update</c>. A chargeback-stage status means the merchant was debited; <c>won</c>/<c>canceled</c> that
    /// the money came back: the same movements, with the same references, as the webhook events say.
    /// </summary>
    public static DisputeNotification? ToSnapshot(JsonElement dispute)
    {
        if (dispute.String("id") is not { } id)
        {
            return null;
        }

        var payment = dispute.TryGetProperty("payment", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        Money? amount = null;
        if (dispute.TryGetProperty("amount", out var a) && a.TryGetInt64(out var value))
        {
            amount = CheckoutComTransformers.FromCheckoutComAmount(value, dispute.String("currency"));
        }

        var status = dispute.String("status");
        var at = Date(dispute.String("last_update")) ?? Date(dispute.String("received_on")) ?? DateTimeOffset.UnixEpoch;
        return new DisputeNotification
        {
            ProviderDisputeId = id,
            PaymentReference = dispute.String("payment_reference") ?? payment.String("reference"),
            ProviderPaymentReference = dispute.String("payment_id") ?? payment.String("id"),
            EventCode = DisputeNotification.SnapshotEventCode,
            ProviderStatus = status,
            Amount = amount,
            ReasonCode = dispute.String("category") ?? dispute.String("reason_code"),
            ReasonScheme = (dispute.String("payment_method") ?? payment.String("method"))?.ToLowerInvariant(),
            EvidenceDueBy = Date(dispute.String("evidence_required_by")),
            OccurredAt = at,
            FundsMovements = Movements(id, amount, withdrawn: status is not (null or "resolved"), reinstated: status is "won" or "canceled"),
        };
    }

    /// <summary>When the dispute was last changed (<c>last_update</c>), for the polling cursor.</summary>
    public static DateTimeOffset? LastUpdate(JsonElement dispute) => Date(dispute.String("last_update"));

    // Checkout.com debits a chargeback once (at evidence_required) and credits it back once (won, canceled); a credit implies
    // the debit before it. The references are the dispute's, so the same movement read from a webhook and from the Disputes
    // API counts once (at the time of the first notification that states it).
    private static IReadOnlyList<DisputeFundsMovement> Movements(string disputeId, Money? amount, bool withdrawn, bool reinstated)
    {
        if (amount is not { } money)
        {
            return [];
        }

        var movements = new List<DisputeFundsMovement>();
        if (withdrawn || reinstated)
        {
            movements.Add(new DisputeFundsMovement { Direction = DisputeFundsDirection.Withdrawn, Amount = money, Reference = disputeId + ":withdrawn" });
        }

        if (reinstated)
        {
            movements.Add(new DisputeFundsMovement { Direction = DisputeFundsDirection.Reinstated, Amount = money, Reference = disputeId + ":reinstated" });
        }

        return movements;
    }

    /// <summary>The Files API root for the account: its <c>base_url</c> when set (a proxy or a test double), else Checkout.com's for its mode.</summary>
    public static string FilesBaseUrl(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Setting("base_url") ?? (account.Livemode ? LiveFilesBaseUrl : SandboxFilesBaseUrl);
    }

    /// <summary>The Checkout.com evidence field an uploaded document goes to (<c>additional_evidence_file</c> when none fits).</summary>
    public static string FileField(string gatewayField) => FileFields.GetValueOrDefault(gatewayField, "additional_evidence_file");

    /// <summary>
    /// <c>PUT /disputes/{id}/evidence</c>: each uploaded file under its Checkout.com field (the first file per field; the
    /// rest as <c>additional_evidence_file</c> while that is free), delivery text as
    /// <c>proof_of_delivery_or_service_text</c>, every other text field as <c>additional_evidence_text</c>, each as
    /// <c>field: value</c> lines.
    /// </summary>
    public static byte[] EvidenceBody(IReadOnlyDictionary<string, string> evidence, IReadOnlyList<(string Field, string FileId)> files)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(files);
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, fileId) in files)
        {
            var target = FileField(field);
            if (!fields.TryAdd(target, fileId))
            {
                fields.TryAdd("additional_evidence_file", fileId);
            }
        }

        var delivery = Lines(evidence.Where(e => DeliveryTextFields.Contains(e.Key)));
        var additional = Lines(evidence.Where(e => !DeliveryTextFields.Contains(e.Key)));
        return ProviderJson.Write(w =>
        {
            foreach (var (name, value) in fields)
            {
                w.WriteString(name, value);
            }

            if (delivery is not null)
            {
                w.WriteString("proof_of_delivery_or_service_text", delivery);
            }

            if (additional is not null)
            {
                w.WriteString("additional_evidence_text", additional);
            }
        });
    }

    private static string? Lines(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(text.Length > 0 ? "\n" : string.Empty).Append(key).Append(": ").Append(value);
        }

        return text.Length > 0 ? text.ToString() : null;
    }

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
