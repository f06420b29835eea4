using System.Globalization;

namespace PaymentGateway.Providers.Simulator;

/// <summary>
/// The simulated provider's dispute desk (docs/disputes.md, "Simulator"). A dispute test card succeeds and the
/// provider schedules its dispute a set time after capture (<see cref="SimulatorProviderOptions.DisputeDelay"/>): a
/// fraudulent or product-not-received chargeback (money withdrawn with it), or an inquiry that becomes a chargeback
/// after <see cref="SimulatorProviderOptions.InquiryEscalationDelay"/> unless answered. Evidence decides the outcome
/// (<see cref="Wins"/>), announced after <see cref="SimulatorProviderOptions.DisputeOutcomeDelay"/>. The notices wait in
/// the ledger (the gateway database, shared by every node) until the gateway's dispute sync lists them
/// (<see cref="IDisputeSyncFlow"/>), so they reach the same apply path as a real provider's.
/// </summary>
internal sealed class SimulatorDisputes(SimulatorProviderOptions options, ISimulatorLedger ledger, TimeProvider time)
{
    public const int PageSize = 500;

    public static bool IsDisputeScenario(SimulatorScenario scenario) =>
        scenario is SimulatorScenario.DisputeFraudulent or SimulatorScenario.DisputeProductNotReceived or SimulatorScenario.DisputeInquiry;

    public static string DisputeIdFor(string providerReference) => "simdp_" + providerReference.Replace("sim_", string.Empty, StringComparison.Ordinal);

    /// <summary>Remembers the dispute a card will bring; schedules it now when the payment was captured.</summary>
    public async Task RememberAsync(SimulatorScenario scenario, string paymentId, string reference, Money amount, bool captured, CancellationToken ct)
    {
        var dispute = new SimulatedDispute
        {
            ProviderDisputeId = DisputeIdFor(reference),
            PaymentId = paymentId,
            ProviderReference = reference,
            Scenario = scenario,
            Amount = amount.MinorUnits,
            Currency = amount.Currency.Code,
        };
        await ledger.SaveDisputeAsync(dispute, ct).ConfigureAwait(false);
        if (captured)
        {
            await OpenAsync(dispute, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A capture of a payment whose card brings a dispute: the dispute clock starts now.</summary>
    public async Task CapturedAsync(string reference, CancellationToken ct)
    {
        if (await ledger.FindDisputeAsync(DisputeIdFor(reference), ct).ConfigureAwait(false) is { OpensAt: null } pending)
        {
            await OpenAsync(pending, ct).ConfigureAwait(false);
        }
    }

    public async Task<DisputeResponseResult> SubmitAsync(SubmitDisputeEvidenceRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await ledger.FindDisputeAsync(request.ProviderDisputeId, ct).ConfigureAwait(false) is not { OpensAt: { } opened } dispute)
        {
            return Refused("The simulated provider has no such dispute.");
        }

        var d = options.DisputeOutcomeDelay;
        var notices = new List<SimulatedDisputeNotice>();
        if (dispute.Scenario == SimulatorScenario.DisputeInquiry && dispute.EscalatesAt is { } escalates && now < escalates)
        {
            // Answered as an inquiry: the issuer is satisfied; no chargeback follows.
            notices.Add(Notice(dispute, "inquiry_answered", now, "warning_under_review", "dispute.updated"));
            notices.Add(Notice(dispute, "inquiry_closed", now + d, "warning_closed", "dispute.closed"));
        }
        else
        {
            var due = (dispute.EscalatesAt ?? opened) + options.DisputeResponseWindow;
            if (now > due)
            {
                return Refused("The evidence is past due at the simulated provider.");
            }

            var won = Wins(dispute.Scenario, request);
            notices.Add(Notice(dispute, "under_review", now, "under_review", "dispute.updated"));
            notices.Add(Notice(dispute, "outcome", now + d, won ? "won" : "lost", "dispute.closed"));
            if (won)
            {
                notices.Add(Notice(dispute, "reinstated", now + d, "won", "dispute.funds_reinstated") with { Funds = DisputeFundsDirection.Reinstated });
            }
        }

        await ledger.SaveDisputeAsync(dispute with { Answered = true }, ct).ConfigureAwait(false);
        await ledger.ScheduleDisputeNoticesAsync(notices, ct).ConfigureAwait(false);
        return new DisputeResponseResult { Outcome = DisputeResponseOutcome.Accepted, ProviderStatus = notices[0].Status };
    }

    public async Task<DisputeResponseResult> AcceptAsync(AcceptDisputeRequest request, CancellationToken ct)
    {
        if (await ledger.FindDisputeAsync(request.ProviderDisputeId, ct).ConfigureAwait(false) is not { OpensAt: not null } dispute)
        {
            return Refused("The simulated provider has no such dispute.");
        }

        await ledger.SaveDisputeAsync(dispute with { Answered = true }, ct).ConfigureAwait(false);
        await ledger.ScheduleDisputeNoticesAsync([Notice(dispute, "accepted", time.GetUtcNow() + options.DisputeOutcomeDelay, "lost", "dispute.closed")], ct)
            .ConfigureAwait(false);
        return new DisputeResponseResult { Outcome = DisputeResponseOutcome.Accepted, ProviderStatus = "lost" };
    }

    /// <summary>The notices due since the cursor (Unix milliseconds), skipping escalations of answered inquiries.</summary>
    public async Task<DisputeSyncPage> ListAsync(ListProviderDisputesRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var after = request.Cursor is { } cursor && long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : request.Since;
        var notices = await ledger.ListDisputeNoticesAsync(after, now, PageSize, ct).ConfigureAwait(false);
        var answered = new Dictionary<string, bool>(StringComparer.Ordinal);
        var result = new List<DisputeNotification>();
        foreach (var notice in notices)
        {
            if (notice.SkipIfAnswered)
            {
                if (!answered.TryGetValue(notice.ProviderDisputeId, out var isAnswered))
                {
                    isAnswered = (await ledger.FindDisputeAsync(notice.ProviderDisputeId, ct).ConfigureAwait(false))?.Answered ?? false;
                    answered[notice.ProviderDisputeId] = isAnswered;
                }

                if (isAnswered)
                {
                    continue;
                }
            }

            result.Add(ToNotification(notice));
        }

        var full = notices.Count == PageSize;

        // A full page may end in the middle of a millisecond: the next call starts just before it (repeats are harmless).
        var next = full ? notices[^1].DueAt.AddMilliseconds(-1) : now;
        return new DisputeSyncPage
        {
            Disputes = result,
            NextCursor = next.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            HasMore = full,
        };
    }

    /// <summary>
    /// Whether the evidence wins: <c>uncategorized_text</c> containing <c>winning_evidence</c> wins and <c>losing_evidence</c>
    /// loses (Stripe's test convention); otherwise product not received is won by a tracking number or shipping
    /// documentation, fraud by an activity log, the customer's IP or signature, an escalated inquiry by either.
    /// </summary>
    public static bool Wins(SimulatorScenario scenario, SubmitDisputeEvidenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool Has(string field) => request.Evidence.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value)
            || request.Documents.Any(doc => doc.Field == field);
        if (request.Evidence.TryGetValue("uncategorized_text", out var text))
        {
            if (text.Contains("winning_evidence", StringComparison.Ordinal))
            {
                return true;
            }

            if (text.Contains("losing_evidence", StringComparison.Ordinal))
            {
                return false;
            }
        }

        var shipped = Has("shipping_tracking_number") || Has("shipping_documentation");
        var authorized = Has("access_activity_log") || Has("customer_purchase_ip") || Has("customer_signature");
        return scenario switch
        {
            SimulatorScenario.DisputeProductNotReceived => shipped,
            SimulatorScenario.DisputeFraudulent => authorized,
            _ => shipped || authorized,
        };
    }

    private async Task OpenAsync(SimulatedDispute dispute, CancellationToken ct)
    {
        var opens = time.GetUtcNow() + options.DisputeDelay;
        var window = options.DisputeResponseWindow;
        var notices = new List<SimulatedDisputeNotice>();
        if (dispute.Scenario == SimulatorScenario.DisputeInquiry)
        {
            var escalates = opens + options.InquiryEscalationDelay;
            dispute = dispute with { OpensAt = opens, EscalatesAt = escalates };
            notices.Add(Notice(dispute, "inquiry", opens, "warning_needs_response", "dispute.created") with { EvidenceDueBy = opens + window });
            notices.Add(Notice(dispute, "escalated", escalates, "needs_response", "dispute.updated") with { EvidenceDueBy = escalates + window, SkipIfAnswered = true });
            notices.Add(Notice(dispute, "withdrawn", escalates, "needs_response", "dispute.funds_withdrawn")
                with
            { Funds = DisputeFundsDirection.Withdrawn, SkipIfAnswered = true });
        }
        else
        {
            dispute = dispute with { OpensAt = opens };
            notices.Add(Notice(dispute, "opened", opens, "needs_response", "dispute.created") with { EvidenceDueBy = opens + window });
            notices.Add(Notice(dispute, "withdrawn", opens, "needs_response", "dispute.funds_withdrawn") with { Funds = DisputeFundsDirection.Withdrawn });
        }

        await ledger.SaveDisputeAsync(dispute, ct).ConfigureAwait(false);
        await ledger.ScheduleDisputeNoticesAsync(notices, ct).ConfigureAwait(false);
    }

    private static SimulatedDisputeNotice Notice(SimulatedDispute dispute, string what, DateTimeOffset at, string status, string eventCode) => new()
    {
        Id = $"{dispute.ProviderDisputeId}:{what}",
        DueAt = at,
        ProviderDisputeId = dispute.ProviderDisputeId,
        PaymentId = dispute.PaymentId,
        ProviderReference = dispute.ProviderReference,
        Status = status,
        EventCode = eventCode,
        Amount = dispute.Amount,
        Currency = dispute.Currency,
        Reason = dispute.Scenario switch
        {
            SimulatorScenario.DisputeFraudulent => "fraudulent",
            SimulatorScenario.DisputeProductNotReceived => "product_not_received",
            _ => "unrecognized",
        },
    };

    private static DisputeNotification ToNotification(SimulatedDisputeNotice notice)
    {
        var amount = Money.Of(notice.Amount, notice.Currency);
        return new DisputeNotification
        {
            ProviderDisputeId = notice.ProviderDisputeId,
            PaymentReference = notice.PaymentId,
            ProviderPaymentReference = notice.ProviderReference,
            EventCode = notice.EventCode,
            ProviderStatus = notice.Status,
            Amount = amount,
            ReasonCode = notice.Reason,
            EvidenceDueBy = notice.EvidenceDueBy,
            OccurredAt = notice.DueAt,
            EventId = notice.Id,
            FundsMovements = notice.Funds is { } direction
                ? [new DisputeFundsMovement { Direction = direction, Amount = amount, Reference = notice.Id, At = notice.DueAt }]
                : [],
        };
    }

    private static DisputeResponseResult Refused(string message) => new() { Outcome = DisputeResponseOutcome.Rejected, Message = message };
}
