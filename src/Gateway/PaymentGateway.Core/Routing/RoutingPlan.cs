namespace PaymentGateway.Core.Routing;

/// <summary>A payment's candidates, in the order they are tried, and the decision recorded on it.</summary>
public sealed record RoutingPlan
{
    public required RoutingDecision Decision { get; init; }
    public required IReadOnlyList<ProviderAccountRecord> Accounts { get; init; }

    /// <summary>The candidate after <paramref name="accountId"/> (the one an attempt went to), if any: failover goes in plan order.</summary>
    public ProviderAccountRecord? After(string? accountId)
    {
        if (accountId is null)
        {
            return null;
        }

        for (var i = 0; i < Accounts.Count - 1; i++)
        {
            if (Accounts[i].Id == accountId)
            {
                return Accounts[i + 1];
            }
        }

        return null;
    }
}
