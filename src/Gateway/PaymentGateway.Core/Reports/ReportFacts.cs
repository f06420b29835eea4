using System.Text.Json;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// What each event adds to the rollups (docs/reporting.md, "How each figure is counted"). Pure: the same events, states
/// and payments always give the same delta. Every figure is counted in the 15-minute UTC bucket of the event that
/// caused it:
/// <list type="bullet">
/// <item><c>payment.requires_action</c> with a redirect (3-D Secure): challenged, once per payment.</item>
/// <item>the first of <c>payment.authorized</c>, <c>payment.succeeded</c>, <c>payment.failed</c>: attempted (once per
/// payment however many provider attempts and failovers it took), with the answering attempt's latency; authorized (and
/// 3-D Secure succeeded when challenged) or declined with its code. The retry group (a checkout session's payments) is
/// attempted once and authorized once.</item>
/// <item><c>payment.succeeded</c>: captured with <c>amount_received</c>; <c>payment.canceled</c>: canceled.</item>
/// <item><c>refund.succeeded</c>: a refund and its amount, under the payment's dimensions (partial refunds each count).</item>
/// <item><c>dispute.created</c>: a dispute and its disputed amount, under the payment's dimensions (the dispute rate is
/// disputes over captured payments in the same period).</item>
/// <item><c>dispute.closed</c> as won, lost or accepted: that outcome and the dispute's amount, once per dispute (a
/// later decision moves it).</item>
/// </list>
/// </summary>
public static class ReportFacts
{
    /// <summary>
    /// The event types reports count (<see cref="Apply"/>); every other event (a payment's creation, its processing,
    /// refunds created, webhooks…) changes no rollup, so the rollup job neither reads its data nor marks it.
    /// </summary>
    public static readonly IReadOnlyList<string> CountedTypes =
    [
        EventTypes.PaymentRequiresAction, EventTypes.PaymentAuthorized, EventTypes.PaymentSucceeded, EventTypes.PaymentFailed,
        EventTypes.PaymentCanceled, EventTypes.RefundSucceeded, EventTypes.DisputeCreated, EventTypes.DisputeClosed,
    ];

    /// <summary>Rollup time buckets: 15 minutes, so every real time zone's days and hours (offsets of :30 and :45 too) are whole buckets.</summary>
    public static readonly TimeSpan BucketSize = TimeSpan.FromMinutes(15);

    public static long BucketOf(DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        var size = (long)BucketSize.TotalMilliseconds;
        return ms - (((ms % size) + size) % size);
    }

    /// <summary>The report-state keys a page of events may touch: each payment and its retry group.</summary>
    public static IReadOnlyCollection<string> StateKeysOf(IEnumerable<GatewayEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (PaymentIdOf(e) is { } paymentId)
            {
                keys.Add(paymentId);
            }

            if (e.Type.StartsWith("payment.", StringComparison.Ordinal) && GroupKeyOf(e) is { } group)
            {
                keys.Add(group);
            }

            if (e.Type == EventTypes.DisputeClosed)
            {
                keys.Add(e.ObjectId);
            }
        }

        return keys;
    }

    /// <summary>The payment an event is about: its object for payment events, the refunded payment for refund events.</summary>
    public static string? PaymentIdOf(GatewayEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type.StartsWith("payment.", StringComparison.Ordinal))
        {
            return e.ObjectId;
        }

        if (e.Type is EventTypes.RefundSucceeded or EventTypes.DisputeCreated or EventTypes.DisputeClosed)
        {
            using var doc = JsonDocument.Parse(e.DataJson);
            return Str(doc.RootElement, "payment");
        }

        return null;
    }

    /// <summary>
    /// Adds what <paramref name="events"/> (oldest first) mean to a new delta, updating copies of
    /// <paramref name="states"/> in <see cref="ReportDelta.States"/>.
    /// </summary>
    public static ReportDelta Apply(IReadOnlyList<GatewayEvent> events, IReadOnlyDictionary<string, ReportState> states, ReportPaymentContext context)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(context);
        var delta = new ReportDelta();
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case EventTypes.PaymentRequiresAction or EventTypes.PaymentAuthorized or EventTypes.PaymentSucceeded
                    or EventTypes.PaymentFailed or EventTypes.PaymentCanceled:
                    ApplyPayment(e, states, context, delta);
                    break;
                case EventTypes.RefundSucceeded:
                    ApplyRefund(e, states, context, delta, ReportMeasures.Refunds, ReportMeasures.RefundedAmount);
                    break;
                case EventTypes.DisputeCreated:
                    ApplyRefund(e, states, context, delta, ReportMeasures.Disputes, ReportMeasures.DisputedAmount);
                    break;
                case EventTypes.DisputeClosed:
                    ApplyDisputeOutcome(e, states, context, delta);
                    break;
            }
        }

        return delta;
    }

    private static void ApplyPayment(GatewayEvent e, IReadOnlyDictionary<string, ReportState> states, ReportPaymentContext context, ReportDelta delta)
    {
        using var doc = JsonDocument.Parse(e.DataJson);
        var data = doc.RootElement;
        context.Payments.TryGetValue(e.ObjectId, out var payment);
        var state = StateFor(e.ObjectId, states, delta);
        var dims = ReportDimensions.Decode(state.Dimensions) ?? DimensionsOf(data, payment, context);
        state.Dimensions ??= dims.Encode();
        var bucket = BucketOf(e.Created);
        var row = delta.RollupFor(new RollupKey(e.MerchantId, e.Livemode, bucket, dims));
        var group = GroupKeyOf(data) is { } groupKey ? StateFor(groupKey, states, delta) : null;

        switch (e.Type)
        {
            case EventTypes.PaymentRequiresAction:
                if (Str(data, "next_action", "type") == "redirect_to_url" && state.Set(ReportState.Challenged))
                {
                    row.Add(ReportMeasures.ThreeDsChallenged, 1);
                }

                break;
            case EventTypes.PaymentAuthorized:
                CountOutcome(row, state, group, payment);
                CountAuthorization(row, state, group, Long(data, "amount"));
                break;
            case EventTypes.PaymentSucceeded:
                CountOutcome(row, state, group, payment);
                CountAuthorization(row, state, group, Long(data, "amount"));
                row.Add(ReportMeasures.Captured, 1);
                row.Add(ReportMeasures.CapturedAmount, Long(data, "amount_received"));
                break;
            case EventTypes.PaymentFailed:
                if (CountOutcome(row, state, group, payment))
                {
                    row.Add(ReportMeasures.Declined, 1);
                    var code = Str(data, "last_payment_error", "decline_code") ?? Str(data, "last_payment_error", "code") ?? "unknown";
                    var key = new DeclineKey(e.MerchantId, e.Livemode, bucket, dims, code);
                    delta.Declines[key] = delta.Declines.GetValueOrDefault(key) + 1;
                }

                break;
            case EventTypes.PaymentCanceled:
                row.Add(ReportMeasures.Canceled, 1);
                break;
        }
    }

    /// <summary>Attempted once per payment (and once per retry group), with the answer time of the attempt that answered.</summary>
    private static bool CountOutcome(ReportCounters row, ReportState state, ReportState? group, Payment? payment)
    {
        if (!state.Set(ReportState.OutcomeCounted))
        {
            return false;
        }

        row.Add(ReportMeasures.Attempted, 1);
        if (group is null || group.Set(ReportState.GroupAttempted))
        {
            row.Add(ReportMeasures.AttemptedUnique, 1);
        }

        if (payment?.Attempts.LastOrDefault(a => a.LatencyMs is not null && a.Status != AttemptStatus.Failed) is { LatencyMs: { } latency })
        {
            row.AddLatency(latency);
        }

        return true;
    }

    private static void CountAuthorization(ReportCounters row, ReportState state, ReportState? group, long amount)
    {
        if (!state.Set(ReportState.AuthorizedCounted))
        {
            return;
        }

        row.Add(ReportMeasures.Authorized, 1);
        row.Add(ReportMeasures.AuthorizedAmount, amount);
        if (group is null || group.Set(ReportState.GroupAuthorized))
        {
            row.Add(ReportMeasures.AuthorizedUnique, 1);
        }

        if (state.Has(ReportState.Challenged))
        {
            row.Add(ReportMeasures.ThreeDsSucceeded, 1);
        }
    }

    /// <summary>A refund or a dispute: one of <paramref name="count"/> and its amount, under its payment's dimensions.</summary>
    private static void ApplyRefund(GatewayEvent e, IReadOnlyDictionary<string, ReportState> states, ReportPaymentContext context, ReportDelta delta, int count, int amount)
    {
        using var doc = JsonDocument.Parse(e.DataJson);
        var data = doc.RootElement;
        var row = delta.RollupFor(new RollupKey(e.MerchantId, e.Livemode, BucketOf(e.Created), PaymentDimensions(data, states, context, delta)));
        row.Add(count, 1);
        row.Add(amount, Long(data, "amount"));
    }

    /// <summary>
    /// A dispute decided (<c>dispute.closed</c> as won, lost or accepted): one outcome and its amount, under its payment's
    /// dimensions, in the bucket of the decision. A dispute decided again after a second round (won, then lost after
    /// pre-arbitration) moves: the earlier outcome is taken back (with the amount it was counted with) in the bucket
    /// of the new decision, so any range holding both decisions counts the dispute once, at its final outcome. An
    /// inquiry closed without a chargeback (<c>warning_closed</c>) is no outcome.
    /// </summary>
    private static void ApplyDisputeOutcome(GatewayEvent e, IReadOnlyDictionary<string, ReportState> states, ReportPaymentContext context, ReportDelta delta)
    {
        using var doc = JsonDocument.Parse(e.DataJson);
        var data = doc.RootElement;
        var outcome = Str(data, "status") switch
        {
            "won" => ReportState.DisputeWon,
            "lost" => ReportState.DisputeLost,
            "accepted" => ReportState.DisputeAccepted,
            _ => 0,
        };
        var state = StateFor(e.ObjectId, states, delta);
        var counted = state.Flags & ReportState.DisputeOutcomes;
        if (outcome == 0 || counted == outcome)
        {
            return;
        }

        var row = delta.RollupFor(new RollupKey(e.MerchantId, e.Livemode, BucketOf(e.Created), PaymentDimensions(data, states, context, delta)));
        if (counted != 0)
        {
            var (previousCount, previousAmount) = OutcomeMeasures(counted);
            row.Add(previousCount, -1);
            row.Add(previousAmount, -long.Parse(state.Dimensions ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        }

        var amount = Long(data, "amount");
        var (count, amountMeasure) = OutcomeMeasures(outcome);
        row.Add(count, 1);
        row.Add(amountMeasure, amount);
        state.Flags = (state.Flags & ~ReportState.DisputeOutcomes) | outcome;
        state.Dimensions = amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (int Count, int Amount) OutcomeMeasures(int outcome) => outcome switch
    {
        ReportState.DisputeWon => (ReportMeasures.DisputesWon, ReportMeasures.DisputesWonAmount),
        ReportState.DisputeLost => (ReportMeasures.DisputesLost, ReportMeasures.DisputesLostAmount),
        _ => (ReportMeasures.DisputesAccepted, ReportMeasures.DisputesAcceptedAmount),
    };

    /// <summary>The dimensions of the payment a refund or dispute event is about, as the payment was first counted.</summary>
    private static ReportDimensions PaymentDimensions(JsonElement data, IReadOnlyDictionary<string, ReportState> states, ReportPaymentContext context, ReportDelta delta)
    {
        var paymentId = Str(data, "payment") ?? string.Empty;
        var state = StateFor(paymentId, states, delta);
        context.Payments.TryGetValue(paymentId, out var payment);
        var dims = ReportDimensions.Decode(state.Dimensions)
                   ?? (payment is null
                       ? new ReportDimensions { Currency = Str(data, "currency") ?? string.Empty, Provider = string.Empty, PaymentMethodType = "card" }
                       : DimensionsOf(payment, context));
        state.Dimensions ??= dims.Encode();
        return dims;
    }

    private static ReportState StateFor(string key, IReadOnlyDictionary<string, ReportState> states, ReportDelta delta)
    {
        if (delta.States.TryGetValue(key, out var changed))
        {
            return changed;
        }

        var copy = states.TryGetValue(key, out var stored)
            ? new ReportState { Key = key, Flags = stored.Flags, Dimensions = stored.Dimensions, IsNew = stored.IsNew }
            : new ReportState { Key = key, IsNew = true };
        delta.States[key] = copy;
        return copy;
    }

    private static ReportDimensions DimensionsOf(JsonElement data, Payment? payment, ReportPaymentContext context)
    {
        if (payment is not null)
        {
            return DimensionsOf(payment, context);
        }

        var method = Str(data, "payment_method");
        return new ReportDimensions
        {
            Currency = Str(data, "currency") ?? string.Empty,
            Provider = Str(data, "provider") ?? string.Empty,
            ProviderAccount = LastRoutedAccount(data) ?? string.Empty,
            PaymentMethodType = Str(data, "payment_method_type") ?? PaymentMethodTypes.Card,
            CardBrand = method is not null && context.CardBrands.TryGetValue(method, out var brand) ? brand : string.Empty,
            Country = CountryOf(data.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? Str(m, "country") : null),
        };
    }

    public static ReportDimensions DimensionsOf(Payment payment, ReportPaymentContext context)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(context);
        var attempt = payment.Attempts.LastOrDefault(a => a.Status != AttemptStatus.Failed) ?? payment.CurrentAttempt;
        return new ReportDimensions
        {
            Currency = payment.Currency,
            Provider = attempt?.Provider ?? payment.Provider ?? string.Empty,
            ProviderAccount = attempt?.ProviderAccountId ?? string.Empty,
            PaymentMethodType = payment.PaymentMethodType ?? PaymentMethodTypes.Card,
            CardBrand = payment.PaymentMethodId is { } method && context.CardBrands.TryGetValue(method, out var brand) ? brand : string.Empty,
            Country = CountryOf(payment.Metadata.GetValueOrDefault("country")),
        };
    }

    /// <summary>The retry group: the hosted checkout session whose payments are one customer's tries (metadata <c>checkout_session</c>).</summary>
    private static string? GroupKeyOf(JsonElement data) =>
        data.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object && Str(m, "checkout_session") is { Length: > 0 } session ? session : null;

    private static string? GroupKeyOf(GatewayEvent e)
    {
        using var doc = JsonDocument.Parse(e.DataJson);
        return GroupKeyOf(doc.RootElement);
    }

    private static string? LastRoutedAccount(JsonElement data) =>
        data.TryGetProperty("routing", out var routing) && routing.ValueKind == JsonValueKind.Object
        && routing.TryGetProperty("attempts", out var attempts) && attempts.ValueKind == JsonValueKind.Array && attempts.GetArrayLength() > 0
            ? Str(attempts[attempts.GetArrayLength() - 1], "provider_account")
            : null;

    /// <summary>An ISO 3166 alpha-2 code from <c>metadata.country</c> (upper case), or empty.</summary>
    public static string CountryOf(string? value)
    {
        var text = value?.Trim();
        return text is { Length: 2 } && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]) ? text.ToUpperInvariant() : string.Empty;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Str(JsonElement e, string name, string inner) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? Str(v, inner) : null;

    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;
}
