namespace PaymentGateway.Core.Routing;

/// <summary>
/// How the <see cref="PaymentRouter"/>'s plan reached its decision, written by the router itself as it decides (never re-derived): every rule in evaluation order
/// with the condition it failed, every target of a matching rule with why it was skipped, and the weighted pick. The
/// console's routing tester shows it; payments pass no trace.
/// </summary>
public sealed class RoutingTrace
{
    /// <summary>A rule without <c>payment_method_types</c> is a card route: it never routes a payment with a method type of its own (bank_transfer).</summary>
    public const string CardRouteOnly = "card_route_only";

    /// <summary>The target's account no longer exists (or is another merchant's).</summary>
    public const string AccountMissing = "account_missing";

    public const string Disabled = "disabled";

    /// <summary>The account is of the other mode (test or live) than the payment.</summary>
    public const string OtherMode = "other_mode";

    /// <summary>The payment asked for another provider.</summary>
    public const string NotRequestedProvider = "not_requested_provider";

    /// <summary>This gateway has no adapter registered for the account's provider.</summary>
    public const string AdapterMissing = "adapter_missing";

    public const string CurrencyUnsupported = "currency_unsupported";

    public const string MethodUnsupported = "method_unsupported";

    /// <summary>Every rule, in the order the router tried them.</summary>
    public List<RoutingRuleTrace> Rules { get; } = [];

    internal RoutingRuleTrace AddRule(RoutingRule rule, string? unmet)
    {
        var trace = new RoutingRuleTrace(rule, unmet);
        Rules.Add(trace);
        return trace;
    }
}

/// <summary>One rule as the router saw it.</summary>
public sealed class RoutingRuleTrace(RoutingRule rule, string? unmet)
{
    public RoutingRule Rule { get; } = rule;

    /// <summary>The first condition that did not hold (<see cref="PaymentRouter.Unmet"/>, or <see cref="RoutingTrace.CardRouteOnly"/>); null: the rule matched.</summary>
    public string? Unmet { get; } = unmet;

    public bool Matched => Unmet is null;

    /// <summary>The rule's targets with why each was skipped (null: usable); empty when the rule did not match.</summary>
    public List<RoutingTargetTrace> Targets { get; } = [];

    /// <summary>This is the first matching rule with a usable account: it decided, and its weighted pick goes first.</summary>
    public bool Decides { get; internal set; }

    /// <summary>The account the weighted pick chose (only on the deciding rule).</summary>
    public string? Picked { get; internal set; }

    /// <summary>The sum of the usable targets' weights the pick was made among (only on the deciding rule).</summary>
    public long UsableWeight { get; internal set; }

    /// <summary>Usable targets left out because an earlier rule already made them candidates.</summary>
    public List<string> AlreadyCandidates { get; } = [];
}

/// <summary>A target of a matching rule: usable (<see cref="Skipped"/> null) or why not.</summary>
public sealed record RoutingTargetTrace(RoutingTarget Target, string? Skipped);
