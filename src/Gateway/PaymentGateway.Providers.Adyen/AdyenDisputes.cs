using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// Pure translations of Adyen's disputes (docs/disputes.md): dispute notification items (HMAC-verified like every
/// item) to <see cref="DisputeNotification"/>, codes copied verbatim for the core's table; and the bodies of the Disputes
/// API (<c>DisputeService/v30</c>: <c>retrieveApplicableDefenseReasons</c>, <c>supplyDefenseDocument</c>,
/// <c>defendDispute</c>, <c>acceptDispute</c>). No I/O; table-tested.
/// </summary>
public static class AdyenDisputes
{
    /// <summary>The account setting with the Disputes API root, when it is not Adyen's default for the account's mode.</summary>
    public const string DisputesBaseUrlSetting = "disputes_base_url";

    /// <summary>Adyen's Disputes API root in the test environment.</summary>
    public const string TestDisputesBaseUrl = "https://ca-test.adyen.com/ca/services/DisputeService/v30";

    /// <summary>Adyen's Disputes API root in the live environment.</summary>
    public const string LiveDisputesBaseUrl = "https://ca-live.adyen.com/ca/services/DisputeService/v30";

    /// <summary>The notification event codes that are about a dispute (<c>NOTIFICATION_OF_FRAUD</c> is not one).</summary>
    public static readonly FrozenSet<string> EventCodes = FrozenSet.ToFrozenSet(
    [
        "REQUEST_FOR_INFORMATION", "INFORMATION_SUPPLIED", "NOTIFICATION_OF_CHARGEBACK", "CHARGEBACK", "CHARGEBACK_REVERSED",
        "ISSUER_RESPONSE_TIMEFRAME_EXPIRED", "DISPUTE_DEFENSE_PERIOD_ENDED", "ISSUER_COMMENTS", "SECOND_CHARGEBACK",
        "PREARBITRATION_OPEN", "PREARBITRATION_WON", "PREARBITRATION_LOST",
    ], StringComparer.Ordinal);

    /// <summary>
    /// A verified notification item as a dispute notification, or null when its <c>eventCode</c> is not a dispute's. The
    /// dispute is the item's <c>pspReference</c>, the payment its <c>originalReference</c> (and <c>merchantReference</c>,
    /// the gateway's payment id); <c>additionalData</c> gives <c>disputeStatus</c>, <c>chargebackReasonCode</c>,
    /// <c>chargebackSchemeCode</c> and <c>defensePeriodEndsAt</c>; the event id is <c>pspReference:eventCode:success:disputeStatus</c>
    /// and the funds identity the same without the status.
    /// </summary>
    public static DisputeNotification? ToNotification(JsonElement item)
    {
        var eventCode = item.String("eventCode");
        var psp = item.String("pspReference");
        if (eventCode is null || psp is null || !EventCodes.Contains(eventCode))
        {
            return null;
        }

        var additional = item.TryGetProperty("additionalData", out var ad) && ad.ValueKind == JsonValueKind.Object ? ad : default;
        Money? amount = null;
        if (item.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("value", out var v) && v.TryGetInt64(out var value))
        {
            amount = AdyenTransformers.FromAdyenAmount(value, a.String("currency"));
        }

        // A notification is identified by its code, success flag and disputeStatus: Adyen repeats CHARGEBACK when only the
        // status moves (Undefended, then Lost), which is a new state but not a second debit, so the money movement the
        // code documents keeps the identity without the status.
        var movement = $"{psp}:{eventCode}:{(string.Equals(item.String("success"), "true", StringComparison.OrdinalIgnoreCase) ? "true" : "false")}";
        return new DisputeNotification
        {
            ProviderDisputeId = psp,
            PaymentReference = item.String("merchantReference"),
            ProviderPaymentReference = item.String("originalReference"),
            EventCode = eventCode,
            ProviderStatus = additional.String("disputeStatus"),
            Amount = amount,
            ReasonCode = additional.String("chargebackReasonCode"),
            ReasonScheme = additional.String("chargebackSchemeCode"),
            EvidenceDueBy = Date(additional.String("defensePeriodEndsAt")),
            OccurredAt = Date(item.String("eventDate")) ?? DateTimeOffset.UnixEpoch,
            EventId = $"{movement}:{additional.String("disputeStatus")}",
            FundsEventId = movement,
        };
    }

    /// <summary>The Disputes API root for the account: its <see cref="DisputesBaseUrlSetting"/>, else Adyen's for its mode.</summary>
    public static string DisputesBaseUrl(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Setting(DisputesBaseUrlSetting) ?? (account.Livemode ? LiveDisputesBaseUrl : TestDisputesBaseUrl);
    }

    /// <summary><c>retrieveApplicableDefenseReasons</c> and <c>acceptDispute</c>: the dispute and the merchant account.</summary>
    public static byte[] DisputeBody(string disputePspReference, string merchantAccount) => ProviderJson.Write(w =>
    {
        w.WriteString("disputePspReference", disputePspReference);
        w.WriteString("merchantAccountCode", merchantAccount);
    });

    /// <summary><c>defendDispute</c> with the chosen defense reason.</summary>
    public static byte[] DefendBody(string disputePspReference, string merchantAccount, string defenseReasonCode) => ProviderJson.Write(w =>
    {
        w.WriteString("defenseReasonCode", defenseReasonCode);
        w.WriteString("disputePspReference", disputePspReference);
        w.WriteString("merchantAccountCode", merchantAccount);
    });

    /// <summary><c>supplyDefenseDocument</c>: the documents base64-encoded, each with the defense document type chosen for it.</summary>
    public static byte[] SupplyDocumentsBody(string disputePspReference, string merchantAccount, IReadOnlyList<(DisputeEvidenceDocument Document, string TypeCode)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return ProviderJson.Write(w =>
        {
            w.WriteStartArray("defenseDocuments");
            foreach (var (document, typeCode) in documents)
            {
                w.WriteStartObject();
                w.WriteBase64String("content", document.Content.Span);
                w.WriteString("contentType", document.ContentType);
                w.WriteString("defenseDocumentTypeCode", typeCode);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("disputePspReference", disputePspReference);
            w.WriteString("merchantAccountCode", merchantAccount);
        });
    }

    /// <summary>One applicable defense reason: its code and the document types it takes (required ones first).</summary>
    public sealed record DefenseReason(string Code, IReadOnlyList<string> DocumentTypes, IReadOnlyList<string> RequiredDocumentTypes);

    /// <summary>The <c>defenseReasons</c> of a <c>retrieveApplicableDefenseReasons</c> answer, in Adyen's order.</summary>
    public static IReadOnlyList<DefenseReason> DefenseReasons(JsonElement response)
    {
        if (!response.TryGetProperty("defenseReasons", out var reasons) || reasons.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var result = new List<DefenseReason>();
        foreach (var reason in reasons.EnumerateArray())
        {
            if (reason.String("defenseReasonCode") is not { } code)
            {
                continue;
            }

            var types = new List<(string Code, bool Required)>();
            if (reason.TryGetProperty("defenseDocumentTypes", out var documentTypes) && documentTypes.ValueKind == JsonValueKind.Array)
            {
                foreach (var type in documentTypes.EnumerateArray())
                {
                    if (type.String("defenseDocumentTypeCode") is { } typeCode)
                    {
                        types.Add((typeCode, type.String("requirementLevel") is "Required" or "OneOrMore"));
                    }
                }
            }

            result.Add(new DefenseReason(code, [.. types.OrderByDescending(t => t.Required).Select(t => t.Code)], [.. types.Where(t => t.Required).Select(t => t.Code)]));
        }

        return result;
    }

    /// <summary>
    /// Chooses how to defend: the first applicable reason whose required document types the documents can cover one
    /// each (else the first reason), and for each document in order the reason's next document type (required ones
    /// first). Null when Adyen lists no reason. The merchant's evidence fields do not name Adyen's types, so this is the
    /// documented, predictable choice (docs/disputes.md).
    /// </summary>
    public static (string Reason, IReadOnlyList<(DisputeEvidenceDocument Document, string TypeCode)> Documents)? ChooseDefense(
        IReadOnlyList<DefenseReason> reasons, IReadOnlyList<DisputeEvidenceDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(documents);
        var reason = reasons.FirstOrDefault(r => r.RequiredDocumentTypes.Count <= documents.Count) ?? reasons.FirstOrDefault();
        if (reason is null)
        {
            return null;
        }

        var typed = documents.Take(reason.DocumentTypes.Count).Select((d, i) => (d, reason.DocumentTypes[i])).ToList();
        return (reason.Code, typed);
    }

    /// <summary>The <c>disputeServiceResult</c> of an answer: success, or Adyen's error message.</summary>
    public static (bool Success, string? Message) ServiceResult(JsonElement response) =>
        response.TryGetProperty("disputeServiceResult", out var result) && result.ValueKind == JsonValueKind.Object
            ? (result.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True, result.String("errorMessage"))
            : (false, "Adyen's answer has no disputeServiceResult.");

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
