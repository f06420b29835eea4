namespace PaymentGateway.Core.Disputes;

/// <summary>What a set of facts says about a dispute.</summary>
public sealed record DisputeState
{
    public required DisputeStatus Status { get; init; }

    /// <summary>The furthest stage any fact reached.</summary>
    public required DisputeStage Stage { get; init; }

    /// <summary>The disputed amount last stated, or null when no fact stated one.</summary>
    public long? Amount { get; init; }

    public string? Currency { get; init; }

    public DisputeReason? Reason { get; init; }

    public string? ReasonCode { get; init; }

    public DateTimeOffset? EvidenceDueBy { get; init; }

    public required long AmountWithdrawn { get; init; }

    public required long AmountReinstated { get; init; }

    public required IReadOnlyList<DisputeFundsRecord> Funds { get; init; }

    /// <summary>When the fact that closed it happened, while it is closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
}

/// <summary>
/// The state of a dispute as a pure function of its facts. Facts are put in one total order — stage, then the kind of
/// move (opening, then evidence, then a decision), then the time the provider stated, then the fact id — and applied
/// along <see cref="DisputeStateMachine"/>; a move of a later stage than the status reached first opens that stage
/// (so adding facts never takes a decided dispute back to an earlier stage); a fact whose move has no row from the status reached is stale and changes
/// nothing. Any permutation of the same facts gives the same state, which is what makes out-of-order and repeated
/// notifications safe (docs/disputes.md, "Order and duplicates").
/// </summary>
public static class DisputeFold
{
    /// <summary>The facts in the order they are applied.</summary>
    public static IReadOnlyList<DisputeFact> Order(IEnumerable<DisputeFact> facts) =>
        facts.OrderBy(f => (int)f.Stage)
            .ThenBy(f => Rank(f.Trigger))
            .ThenBy(f => f.OccurredAt)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>The state the facts describe; null when there are none.</summary>
    public static DisputeState? Evaluate(IEnumerable<DisputeFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var ordered = Order(facts.DistinctBy(f => f.Id));
        if (ordered.Count == 0)
        {
            return null;
        }

        var status = DisputeStateMachine.OpenStatus(ordered[0].Stage);
        var stage = ordered[0].Stage;
        long? amount = null;
        string? currency = null;
        DisputeReason? reason = null;
        string? reasonCode = null;
        DateTimeOffset? due = null;
        DateTimeOffset? closedAt = null;
        long withdrawn = 0, reinstated = 0;
        var funds = new List<DisputeFundsRecord>();
        foreach (var fact in ordered)
        {
            stage = (DisputeStage)Math.Max((int)stage, (int)fact.Stage);
            if (fact.Trigger is not null && fact.Stage > status.StageOf()
                && DisputeStateMachine.TryNext(status, Opening(fact.Stage)) is { } opened)
            {
                // A move of a later stage says that stage opened, even before its opening fact arrived: without this
                // a decided chargeback would fall back to an open inquiry when a late inquiry fact joins the set.
                status = opened;
                closedAt = null;
            }

            if (fact.Trigger is { } trigger && DisputeStateMachine.TryNext(status, trigger) is { } next)
            {
                status = next;
                closedAt = next.IsClosed() ? fact.OccurredAt : null;
            }

            if (fact.Amount is { } stated)
            {
                amount = stated;
                currency = fact.Currency ?? currency;
            }

            reason = fact.Reason ?? reason;
            reasonCode = fact.ReasonCode ?? reasonCode;
            due = fact.EvidenceDueBy ?? due;
            if (fact.Funds is { } kind)
            {
                if (kind == DisputeFundsKind.Withdrawn)
                {
                    withdrawn = checked(withdrawn + fact.FundsAmount);
                }
                else
                {
                    reinstated = checked(reinstated + fact.FundsAmount);
                }

                funds.Add(new DisputeFundsRecord { Kind = kind, Amount = fact.FundsAmount, Currency = fact.Currency ?? currency ?? string.Empty, At = fact.OccurredAt });
            }
        }

        return new DisputeState
        {
            Status = status,
            Stage = stage,
            Amount = amount,
            Currency = currency,
            Reason = reason,
            ReasonCode = reasonCode,
            EvidenceDueBy = due,
            AmountWithdrawn = withdrawn,
            AmountReinstated = reinstated,
            Funds = funds.OrderBy(f => f.At).ToList(),
            ClosedAt = status.IsClosed() ? closedAt : null,
        };
    }

    private static DisputeTrigger Opening(DisputeStage stage) => stage switch
    {
        DisputeStage.PreArbitration => DisputeTrigger.OpenPreArbitration,
        DisputeStage.Chargeback => DisputeTrigger.OpenChargeback,
        _ => DisputeTrigger.OpenInquiry,
    };

    /// <summary>Within a stage: opening moves first, then evidence, then decisions; a funds movement alone sorts with the openings.</summary>
    private static int Rank(DisputeTrigger? trigger) => trigger switch
    {
        DisputeTrigger.SubmitEvidence => 1,
        DisputeTrigger.CloseInquiry or DisputeTrigger.Win or DisputeTrigger.Lose or DisputeTrigger.Accept => 2,
        _ => 0,
    };
}
