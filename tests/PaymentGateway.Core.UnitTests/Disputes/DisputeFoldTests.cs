using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Disputes.Mapping;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.UnitTests.Disputes;

/// <summary>The state of a dispute is a function of its set of facts: every delivery order gives the same state.</summary>
public sealed class DisputeFoldTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static DisputeNotification N(string code, string? status, int minute, string? eventId = null, long amount = 5000, DisputeFundsMovement? funds = null,
        DateTimeOffset? due = null, string? reason = null) => new()
        {
            ProviderDisputeId = "du_1",
            EventCode = code,
            ProviderStatus = status,
            Amount = Money.Of(amount, "EUR"),
            OccurredAt = T0.AddMinutes(minute),
            EventId = eventId ?? $"evt_{code}_{status}_{minute}",
            EvidenceDueBy = due,
            ReasonCode = reason,
            FundsMovements = funds is null ? [] : [funds],
        };

    private static DisputeFundsMovement Move(DisputeFundsDirection direction, string reference, long amount = 5000) =>
        new() { Direction = direction, Amount = Money.Of(amount, "EUR"), Reference = reference };

    private static IReadOnlyList<DisputeFact> Facts(string provider, IEnumerable<DisputeNotification> notifications) =>
        notifications.SelectMany(n => DisputeNotifications.ToFacts(provider, n, ProviderDisputeMapping.Move(provider, n) ?? throw new InvalidOperationException(n.EventCode),
            "provider", 5000, "EUR")).ToList();

    private static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }

    /// <summary>Folds the facts of the notifications delivered in this order, one delivery at a time, keeping the set as a dispute does.</summary>
    private static DisputeState FoldInOrder(string provider, IEnumerable<DisputeNotification> deliveries)
    {
        var facts = new List<DisputeFact>();
        foreach (var delivery in deliveries)
        {
            foreach (var fact in Facts(provider, [delivery]).Where(f => facts.All(known => known.Id != f.Id)))
            {
                facts.Add(fact);
            }
        }

        return DisputeFold.Evaluate(facts) ?? throw new InvalidOperationException("no state");
    }

    private static void AssertSameState(DisputeState expected, DisputeState actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Stage, actual.Stage);
        Assert.Equal(expected.Amount, actual.Amount);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.EvidenceDueBy, actual.EvidenceDueBy);
        Assert.Equal(expected.AmountWithdrawn, actual.AmountWithdrawn);
        Assert.Equal(expected.AmountReinstated, actual.AmountReinstated);
        Assert.Equal(expected.ClosedAt, actual.ClosedAt);
        Assert.Equal(expected.Funds, actual.Funds);
    }

    [Fact]
    public void Stripe_chargeback_won_ends_won_with_funds_back_in_all_120_orders_and_twice_delivered()
    {
        var due = T0.AddDays(7);
        IReadOnlyList<DisputeNotification> events =
        [
            N("charge.dispute.created", "needs_response", 0, due: due, reason: "product_not_received"),
            N("charge.dispute.funds_withdrawn", "needs_response", 0, funds: Move(DisputeFundsDirection.Withdrawn, "txn_1")),
            N("charge.dispute.updated", "under_review", 10, due: due),
            N("charge.dispute.closed", "won", 20),
            N("charge.dispute.funds_reinstated", "won", 20, funds: Move(DisputeFundsDirection.Reinstated, "txn_2")),
        ];
        var expected = FoldInOrder("stripe", events);
        Assert.Equal(DisputeStatus.Won, expected.Status);
        Assert.Equal(5000, expected.AmountWithdrawn);
        Assert.Equal(5000, expected.AmountReinstated);
        Assert.Equal(DisputeReason.ProductNotReceived, expected.Reason);
        Assert.Equal(due, expected.EvidenceDueBy);
        Assert.Equal(T0.AddMinutes(20), expected.ClosedAt);

        var orders = 0;
        foreach (var order in Permutations(events))
        {
            AssertSameState(expected, FoldInOrder("stripe", order));
            AssertSameState(expected, FoldInOrder("stripe", [.. order, .. order.Reverse()]));
            orders++;
        }

        Assert.Equal(120, orders);
    }

    [Fact]
    public void Adyen_reversal_then_second_chargeback_lost_ends_lost_in_pre_arbitration_in_every_order()
    {
        IReadOnlyList<DisputeNotification> events =
        [
            N("NOTIFICATION_OF_CHARGEBACK", "Undefended", 0, eventId: "psp1:NOTIFICATION_OF_CHARGEBACK", reason: "10.4"),
            N("CHARGEBACK", "Undefended", 1, eventId: "psp1:CHARGEBACK"),
            N("CHARGEBACK_REVERSED", "Won", 30, eventId: "psp1:CHARGEBACK_REVERSED"),
            N("SECOND_CHARGEBACK", null, 40, eventId: "psp1:SECOND_CHARGEBACK"),
            N("PREARBITRATION_LOST", "Lost", 50, eventId: "psp1:PREARBITRATION_LOST"),
        ];
        var expected = FoldInOrder("adyen", events);
        Assert.Equal(DisputeStatus.Lost, expected.Status);
        Assert.Equal(DisputeStage.PreArbitration, expected.Stage);
        Assert.Equal(10_000, expected.AmountWithdrawn);
        Assert.Equal(5000, expected.AmountReinstated);
        Assert.Equal(DisputeReason.Fraudulent, expected.Reason);

        foreach (var order in Permutations(events))
        {
            AssertSameState(expected, FoldInOrder("adyen", order));
        }
    }

    [Fact]
    public void Inquiry_that_escalates_ends_in_the_chargeback_outcome_in_every_order()
    {
        IReadOnlyList<DisputeNotification> events =
        [
            N("charge.dispute.created", "warning_needs_response", 0),
            N("charge.dispute.updated", "warning_under_review", 5),
            N("charge.dispute.updated", "needs_response", 10),
            N("charge.dispute.funds_withdrawn", "needs_response", 10, funds: Move(DisputeFundsDirection.Withdrawn, "txn_9")),
            N("charge.dispute.closed", "lost", 30),
        ];
        var expected = FoldInOrder("stripe", events);
        Assert.Equal(DisputeStatus.Lost, expected.Status);
        Assert.Equal(DisputeStage.Chargeback, expected.Stage);

        foreach (var order in Permutations(events))
        {
            AssertSameState(expected, FoldInOrder("stripe", order));
        }
    }

    [Fact]
    public void Once_decided_a_dispute_stays_decided_whatever_arrives_later_in_every_order()
    {
        IReadOnlyList<DisputeNotification> events =
        [
            N("charge.dispute.created", "warning_needs_response", 0),
            N("charge.dispute.updated", "warning_under_review", 5),
            N("charge.dispute.updated", "needs_response", 10),
            N("charge.dispute.updated", "under_review", 15),
            N("charge.dispute.closed", "lost", 30),
        ];

        foreach (var order in Permutations(events))
        {
            var closedSeen = false;
            for (var delivered = 1; delivered <= order.Count; delivered++)
            {
                var state = FoldInOrder("stripe", order.Take(delivered));
                Assert.False(closedSeen && !state.Status.IsClosed(), $"reopened after {delivered} deliveries: {string.Join(", ", order.Select(n => n.ProviderStatus))}");
                closedSeen |= state.Status.IsClosed();
            }

            Assert.Equal(DisputeStatus.Lost, FoldInOrder("stripe", order).Status);
        }
    }

    [Fact]
    public void A_stale_status_after_the_decision_changes_nothing()
    {
        var state = FoldInOrder("stripe",
        [
            N("charge.dispute.closed", "won", 20),
            N(DisputeNotification.SnapshotEventCode, "needs_response", 90, eventId: null),
        ]);

        Assert.Equal(DisputeStatus.Won, state.Status);
    }

    [Fact]
    public void Unknown_provider_status_moves_nothing_but_keeps_the_amount()
    {
        var state = FoldInOrder("stripe",
        [
            N("charge.dispute.created", "needs_response", 0),
            N("charge.dispute.updated", "prevented_by_magic", 5, amount: 4000),
        ]);

        Assert.Equal(DisputeStatus.NeedsResponse, state.Status);
        Assert.Equal(4000, state.Amount);
    }

    [Fact]
    public void Fact_identity_is_the_event_id_or_what_was_said_never_the_arrival()
    {
        var first = N(DisputeNotification.SnapshotEventCode, "under_review", 5, eventId: null) with { EventId = null };
        var later = first with { OccurredAt = first.OccurredAt.AddHours(3) };
        Assert.Equal(Facts("stripe", [first])[0].Id, Facts("stripe", [later])[0].Id);

        var withId = N("charge.dispute.updated", "under_review", 5, eventId: "evt_A");
        var redelivered = withId with { OccurredAt = withId.OccurredAt.AddSeconds(1) };
        Assert.Equal(Facts("stripe", [withId])[0].Id, Facts("stripe", [redelivered])[0].Id);
        Assert.NotEqual(Facts("stripe", [withId])[0].Id, Facts("stripe", [withId with { EventId = "evt_B" }])[0].Id);
    }

    [Fact]
    public void A_funds_movement_read_from_the_api_and_received_by_webhook_counts_once()
    {
        var webhook = N("charge.dispute.funds_withdrawn", "needs_response", 0, funds: Move(DisputeFundsDirection.Withdrawn, "txn_1"));
        var polled = N(DisputeNotification.SnapshotEventCode, "needs_response", 60, eventId: null, funds: Move(DisputeFundsDirection.Withdrawn, "txn_1")) with { EventId = null };

        var state = FoldInOrder("stripe", [webhook, polled]);

        Assert.Equal(5000, state.AmountWithdrawn);
        Assert.Single(state.Funds);
    }

    [Fact]
    public void Adyen_chargeback_without_an_adapter_movement_derives_the_debit_from_its_event_code()
    {
        var state = FoldInOrder("adyen", [N("CHARGEBACK", "Undefended", 1, eventId: "psp1:CHARGEBACK", amount: 1234)]);

        Assert.Equal(DisputeStatus.NeedsResponse, state.Status);
        Assert.Equal(1234, state.AmountWithdrawn);
    }
}
