using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.UnitTests;

public sealed class PaymentStateMachineTests
{
    public static TheoryData<PaymentStatus, PaymentTrigger, PaymentStatus> TableRows()
    {
        var data = new TheoryData<PaymentStatus, PaymentTrigger, PaymentStatus>();
        foreach (var t in PaymentStateMachine.Transitions)
        {
            data.Add(t.From, t.Trigger, t.To);
        }

        return data;
    }

    public static TheoryData<PaymentStatus, PaymentTrigger> IllegalPairs()
    {
        var data = new TheoryData<PaymentStatus, PaymentTrigger>();
        foreach (var from in Enum.GetValues<PaymentStatus>())
        {
            foreach (var trigger in Enum.GetValues<PaymentTrigger>())
            {
                if (!PaymentStateMachine.Transitions.Any(t => t.From == from && t.Trigger == trigger))
                {
                    data.Add(from, trigger);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TableRows))]
    public void Next_EveryTableRow_IsAccepted(PaymentStatus from, PaymentTrigger trigger, PaymentStatus to)
    {
        Assert.True(PaymentStateMachine.CanApply(from, trigger));
        Assert.Equal(to, PaymentStateMachine.Next(from, trigger));
    }

    [Fact]
    public void Transitions_HaveNoDuplicateFromTriggerPairs()
    {
        var pairs = PaymentStateMachine.Transitions.Select(t => (t.From, t.Trigger)).ToList();

        Assert.Equal(pairs.Count, pairs.Distinct().Count());
    }

    [Theory]
    [InlineData(PaymentStatus.Succeeded, PaymentTrigger.Capture)]
    [InlineData(PaymentStatus.Canceled, PaymentTrigger.Cancel)]
    [InlineData(PaymentStatus.Failed, PaymentTrigger.StartAttempt)]
    [InlineData(PaymentStatus.Processing, PaymentTrigger.Cancel)]
    [InlineData(PaymentStatus.Processing, PaymentTrigger.Capture)]
    [InlineData(PaymentStatus.RequiresPaymentMethod, PaymentTrigger.StartAttempt)]
    [InlineData(PaymentStatus.RequiresPaymentMethod, PaymentTrigger.Capture)]
    [InlineData(PaymentStatus.RequiresConfirmation, PaymentTrigger.Capture)]
    [InlineData(PaymentStatus.RequiresCapture, PaymentTrigger.StartAttempt)]
    [InlineData(PaymentStatus.Succeeded, PaymentTrigger.Cancel)]
    [InlineData(PaymentStatus.Canceled, PaymentTrigger.AttachPaymentMethod)]
    public void Next_IllegalTransition_ThrowsStateConflict(PaymentStatus from, PaymentTrigger trigger)
    {
        Assert.False(PaymentStateMachine.CanApply(from, trigger));

        var e = Assert.Throws<GatewayException>(() => PaymentStateMachine.Next(from, trigger));

        Assert.Equal("payment_state_conflict", e.Code);
        Assert.Equal(ErrorCodes.PaymentStateConflict, e.Code);
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains(from.ToWire(), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void Next_AnyPairNotInTable_ThrowsStateConflict(PaymentStatus from, PaymentTrigger trigger)
    {
        var e = Assert.Throws<GatewayException>(() => PaymentStateMachine.Next(from, trigger));

        Assert.Equal(ErrorCodes.PaymentStateConflict, e.Code);
        Assert.Equal(ErrorKind.Conflict, e.Kind);
    }

    [Theory]
    [InlineData(PaymentStatus.Succeeded)]
    [InlineData(PaymentStatus.Canceled)]
    [InlineData(PaymentStatus.Failed)]
    public void TerminalStatus_HasNoOutgoingTransitions(PaymentStatus status)
    {
        Assert.True(PaymentStateMachine.IsTerminal(status));
        Assert.DoesNotContain(PaymentStateMachine.Transitions, t => t.From == status);
        Assert.All(Enum.GetValues<PaymentTrigger>(), trigger =>
            Assert.Throws<GatewayException>(() => PaymentStateMachine.Next(status, trigger)));
    }

    [Theory]
    [InlineData(PaymentStatus.RequiresPaymentMethod)]
    [InlineData(PaymentStatus.RequiresConfirmation)]
    [InlineData(PaymentStatus.RequiresAction)]
    [InlineData(PaymentStatus.Processing)]
    [InlineData(PaymentStatus.RequiresCapture)]
    public void NonTerminalStatus_IsNotTerminal(PaymentStatus status)
    {
        Assert.False(PaymentStateMachine.IsTerminal(status));
    }

    [Fact]
    public void EveryStatus_IsReachableFromRequiresPaymentMethod()
    {
        var reached = new HashSet<PaymentStatus> { PaymentStatus.RequiresPaymentMethod };
        var frontier = new Queue<PaymentStatus>(reached);
        while (frontier.TryDequeue(out var from))
        {
            foreach (var t in PaymentStateMachine.Transitions.Where(t => t.From == from))
            {
                if (reached.Add(t.To))
                {
                    frontier.Enqueue(t.To);
                }
            }
        }

        Assert.Equal(Enum.GetValues<PaymentStatus>().ToHashSet(), reached);
    }

    [Fact]
    public void ToMermaid_StartsWithStateDiagramHeader()
    {
        var mermaid = PaymentStateMachine.ToMermaid();

        Assert.StartsWith("stateDiagram-v2\n", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMermaid_HasOneEdgeLinePerDistinctFromToPair()
    {
        var lines = PaymentStateMachine.ToMermaid().Split('\n').Select(l => l.Trim()).ToList();
        var pairs = PaymentStateMachine.Transitions
            .Where(t => t.From != t.To)
            .Select(t => (t.From, t.To))
            .Distinct()
            .ToList();

        Assert.NotEmpty(pairs);
        Assert.All(pairs, pair =>
        {
            var edge = $"{pair.From.ToWire()} --> {pair.To.ToWire()}";
            Assert.Single(lines, l => l == edge || l.StartsWith(edge + ":", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void ToMermaid_UsesSnakeCaseWireNames()
    {
        var mermaid = PaymentStateMachine.ToMermaid();

        Assert.Contains("requires_capture --> succeeded", mermaid, StringComparison.Ordinal);
        Assert.Contains("requires_confirmation --> processing: start_attempt", mermaid, StringComparison.Ordinal);
        Assert.Contains("processing --> failed: provider_declined, reconcile_failed", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("RequiresCapture", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMermaid_MarksEveryTerminalStatusAsFinal()
    {
        var mermaid = PaymentStateMachine.ToMermaid();

        Assert.Contains("succeeded --> [*]", mermaid, StringComparison.Ordinal);
        Assert.Contains("canceled --> [*]", mermaid, StringComparison.Ordinal);
        Assert.Contains("failed --> [*]", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("processing --> [*]", mermaid, StringComparison.Ordinal);
    }
}
