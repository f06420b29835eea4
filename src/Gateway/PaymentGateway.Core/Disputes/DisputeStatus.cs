using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// Where a dispute stands (docs/disputes.md). The <c>warning_*</c> statuses are an inquiry (a request for information,
/// no money moved yet); <c>needs_response</c>/<c>under_review</c> a chargeback; <c>prearbitration_*</c> a second round
/// (Adyen's second chargeback and pre-arbitration, Checkout.com's arbitration). Closed: <c>warning_closed</c>,
/// <c>won</c>, <c>lost</c>, <c>accepted</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DisputeStatus>))]
public enum DisputeStatus
{
    [JsonStringEnumMemberName("warning_needs_response")] WarningNeedsResponse,
    [JsonStringEnumMemberName("warning_under_review")] WarningUnderReview,
    [JsonStringEnumMemberName("warning_closed")] WarningClosed,
    [JsonStringEnumMemberName("needs_response")] NeedsResponse,
    [JsonStringEnumMemberName("under_review")] UnderReview,
    [JsonStringEnumMemberName("prearbitration_needs_response")] PreArbitrationNeedsResponse,
    [JsonStringEnumMemberName("prearbitration_under_review")] PreArbitrationUnderReview,
    [JsonStringEnumMemberName("won")] Won,
    [JsonStringEnumMemberName("lost")] Lost,
    [JsonStringEnumMemberName("accepted")] Accepted,
}

/// <summary>The stage of the dispute process a fact belongs to. Facts are ordered by stage first (docs/disputes.md).</summary>
public enum DisputeStage
{
    Inquiry = 1,
    Chargeback = 2,
    PreArbitration = 3,
}

public static class DisputeStatusNames
{
    public static string ToWire(this DisputeStatus status) => status switch
    {
        DisputeStatus.WarningNeedsResponse => "warning_needs_response",
        DisputeStatus.WarningUnderReview => "warning_under_review",
        DisputeStatus.WarningClosed => "warning_closed",
        DisputeStatus.NeedsResponse => "needs_response",
        DisputeStatus.UnderReview => "under_review",
        DisputeStatus.PreArbitrationNeedsResponse => "prearbitration_needs_response",
        DisputeStatus.PreArbitrationUnderReview => "prearbitration_under_review",
        DisputeStatus.Won => "won",
        DisputeStatus.Lost => "lost",
        DisputeStatus.Accepted => "accepted",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string value, out DisputeStatus status)
    {
        foreach (var candidate in Enum.GetValues<DisputeStatus>())
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

    /// <summary>Closed: nothing more is expected of the merchant (a later round may still reopen a won dispute).</summary>
    public static bool IsClosed(this DisputeStatus status) =>
        status is DisputeStatus.WarningClosed or DisputeStatus.Won or DisputeStatus.Lost or DisputeStatus.Accepted;

    /// <summary>The merchant may still answer: update and submit evidence, or accept.</summary>
    public static bool AwaitsResponse(this DisputeStatus status) =>
        status is DisputeStatus.WarningNeedsResponse or DisputeStatus.NeedsResponse or DisputeStatus.PreArbitrationNeedsResponse;

    /// <summary>The stage a status belongs to.</summary>
    public static DisputeStage StageOf(this DisputeStatus status) => status switch
    {
        DisputeStatus.WarningNeedsResponse or DisputeStatus.WarningUnderReview or DisputeStatus.WarningClosed => DisputeStage.Inquiry,
        DisputeStatus.PreArbitrationNeedsResponse or DisputeStatus.PreArbitrationUnderReview => DisputeStage.PreArbitration,
        _ => DisputeStage.Chargeback,
    };

    public static string ToWire(this DisputeStage stage) => stage switch
    {
        DisputeStage.Inquiry => "inquiry",
        DisputeStage.PreArbitration => "pre_arbitration",
        _ => "chargeback",
    };
}
