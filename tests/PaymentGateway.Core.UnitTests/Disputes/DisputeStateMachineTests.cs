using PaymentGateway.Core.Disputes;

namespace PaymentGateway.Core.UnitTests.Disputes;

public sealed class DisputeStateMachineTests
{
    public static TheoryData<DisputeStatus, DisputeTrigger, DisputeStatus> TableRows()
    {
        var data = new TheoryData<DisputeStatus, DisputeTrigger, DisputeStatus>();
        foreach (var t in DisputeStateMachine.Transitions)
        {
            data.Add(t.From, t.Trigger, t.To);
        }

        return data;
    }

    public static TheoryData<DisputeStatus, DisputeTrigger> IllegalPairs()
    {
        var data = new TheoryData<DisputeStatus, DisputeTrigger>();
        foreach (var from in Enum.GetValues<DisputeStatus>())
        {
            foreach (var trigger in Enum.GetValues<DisputeTrigger>())
            {
                if (!DisputeStateMachine.Transitions.Any(t => t.From == from && t.Trigger == trigger))
                {
                    data.Add(from, trigger);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TableRows))]
    public void Next_EveryTableRow_IsAccepted(DisputeStatus from, DisputeTrigger trigger, DisputeStatus to)
    {
        Assert.True(DisputeStateMachine.CanApply(from, trigger));
        Assert.Equal(to, DisputeStateMachine.Next(from, trigger));
        Assert.Equal(to, DisputeStateMachine.TryNext(from, trigger));
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void Next_AnyPairNotInTable_ThrowsDisputeStateConflict(DisputeStatus from, DisputeTrigger trigger)
    {
        Assert.Null(DisputeStateMachine.TryNext(from, trigger));
        var e = Assert.Throws<GatewayException>(() => DisputeStateMachine.Next(from, trigger));

        Assert.Equal(ErrorCodes.DisputeStateConflict, e.Code);
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains(from.ToWire(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transitions_HaveNoDuplicateFromTriggerPairs()
    {
        var pairs = DisputeStateMachine.Transitions.Select(t => (t.From, t.Trigger)).ToList();

        Assert.Equal(pairs.Count, pairs.Distinct().Count());
    }

    [Fact]
    public void EveryStatus_IsReachableFromAnOpenStatus()
    {
        var reached = Enum.GetValues<DisputeStage>().Select(DisputeStateMachine.OpenStatus).ToHashSet();
        var frontier = new Queue<DisputeStatus>(reached);
        while (frontier.TryDequeue(out var from))
        {
            foreach (var t in DisputeStateMachine.Transitions.Where(t => t.From == from && reached.Add(t.To)))
            {
                frontier.Enqueue(t.To);
            }
        }

        Assert.Equal(Enum.GetValues<DisputeStatus>().ToHashSet(), reached);
    }

    [Fact]
    public void Accepted_IsTheOnlyTerminalStatus()
    {
        Assert.Equal([DisputeStatus.Accepted], Enum.GetValues<DisputeStatus>().Where(DisputeStateMachine.IsTerminal));
    }

    [Theory]
    [InlineData(DisputeStatus.WarningNeedsResponse, true, false)]
    [InlineData(DisputeStatus.NeedsResponse, true, false)]
    [InlineData(DisputeStatus.PreArbitrationNeedsResponse, true, false)]
    [InlineData(DisputeStatus.UnderReview, false, false)]
    [InlineData(DisputeStatus.Won, false, true)]
    [InlineData(DisputeStatus.Lost, false, true)]
    [InlineData(DisputeStatus.Accepted, false, true)]
    [InlineData(DisputeStatus.WarningClosed, false, true)]
    public void Status_AwaitsResponse_And_IsClosed(DisputeStatus status, bool awaits, bool closed)
    {
        Assert.Equal(awaits, status.AwaitsResponse());
        Assert.Equal(closed, status.IsClosed());
    }

    [Fact]
    public void WireNames_RoundTrip()
    {
        foreach (var status in Enum.GetValues<DisputeStatus>())
        {
            Assert.True(DisputeStatusNames.TryParse(status.ToWire(), out var parsed));
            Assert.Equal(status, parsed);
        }

        Assert.False(DisputeStatusNames.TryParse("pending", out _));
    }

    [Fact]
    public void ToMermaid_HasStartsForEachStage_OneEdgePerFromToPair_AndTheTerminalMarker()
    {
        var lines = DisputeStateMachine.ToMermaid().Split('\n').Select(l => l.Trim()).ToList();

        Assert.Equal("stateDiagram-v2", lines[0]);
        Assert.Contains("[*] --> warning_needs_response: inquiry", lines);
        Assert.Contains("[*] --> needs_response: chargeback", lines);
        Assert.Contains("[*] --> prearbitration_needs_response: pre_arbitration", lines);
        Assert.Contains("needs_response --> under_review: submit_evidence", lines);
        Assert.Contains("accepted --> [*]", lines);
        var edges = lines.Where(l => l.Contains("-->", StringComparison.Ordinal) && !l.Contains("[*]", StringComparison.Ordinal)).ToList();
        Assert.Equal(DisputeStateMachine.Transitions.Select(t => (t.From, t.To)).Distinct().Count(), edges.Count);
    }
}
