using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.UnitTests;

/// <summary>The router's plan from rules and accounts already read: order, skipped accounts, no-match answers, determinism.</summary>
public sealed class PaymentRouterTests
{
    private static readonly ProviderRegistry Providers = new([
        new Adapter("stripe", ["card"], null),
        new Adapter("adyen", ["card"], ["EUR", "USD"]),
    ]);

    private static Payment Payment(string id = "pay_1", string currency = "EUR", string? type = null) => new()
    {
        Id = id,
        MerchantId = "mer_1",
        Livemode = true,
        Amount = 1000,
        Currency = currency,
        PaymentMethodType = type,
    };

    private static ProviderAccountRecord Account(string id, string provider = "stripe", string status = "enabled", bool livemode = true) => new()
    {
        Id = id,
        MerchantId = "mer_1",
        Livemode = livemode,
        ProviderId = provider,
        Status = status,
    };

    private static RoutingRule Rule(string id, int priority, RoutingConditions? conditions, params (string Account, int Weight)[] targets) => new()
    {
        Id = id,
        MerchantId = "mer_1",
        Livemode = true,
        Priority = priority,
        Conditions = conditions ?? new RoutingConditions(),
        Targets = [.. targets.Select(t => new RoutingTarget { ProviderAccount = t.Account, Weight = t.Weight })],
    };

    [Fact]
    public void Plan_PutsTheWeightedPickFirst_ThenTheRulesOtherTargetsByWeight_ThenLaterRules()
    {
        var accounts = new[] { Account("pa_a"), Account("pa_b"), Account("pa_c"), Account("pa_d") };
        var rules = new[]
        {
            Rule("rr_1", 1, null, ("pa_a", 1), ("pa_b", 5), ("pa_c", 3)),
            Rule("rr_2", 2, null, ("pa_c", 1), ("pa_d", 1)),
        };

        for (var i = 0; i < 200; i++)
        {
            var payment = Payment($"pay_{i}");
            var plan = PaymentRouter.Plan(rules, accounts, payment, null, null, Providers);

            Assert.NotNull(plan);
            var pick = PaymentRouter.WeightedPick(rules[0].Targets, payment.Id).ProviderAccount;
            var rest = new[] { "pa_b", "pa_c", "pa_a" }.Where(a => a != pick);
            Assert.Equal([pick, .. rest, "pa_d"], plan.Accounts.Select(a => a.Id));
            Assert.Equal("rr_1", plan.Decision.RuleId);
            Assert.Equal(pick, plan.Decision.ProviderAccount);
            Assert.Equal(plan.Accounts.Select(a => a.Id), plan.Decision.Candidates);
        }
    }

    [Fact]
    public void Plan_IsTheSameForTheSamePaymentId()
    {
        var accounts = new[] { Account("pa_a"), Account("pa_b"), Account("pa_c") };
        var rules = new[] { Rule("rr_1", 1, null, ("pa_a", 2), ("pa_b", 3), ("pa_c", 5)) };
        var firsts = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            var once = PaymentRouter.Plan(rules, accounts, Payment($"pay_{i}"), null, null, Providers);
            var again = PaymentRouter.Plan(rules, [.. accounts.Reverse()], Payment($"pay_{i}"), null, null, Providers);
            Assert.NotNull(once);
            Assert.NotNull(again);
            Assert.Equal(once.Decision.Candidates, again.Decision.Candidates);
            firsts.Add(once.Decision.Candidates[0]);
        }

        Assert.Equal(3, firsts.Count); // every target gets traffic
    }

    [Theory]
    [InlineData("disabled", "stripe", "disabled", true, "EUR", null)]
    [InlineData("other mode", "stripe", "enabled", false, "EUR", null)]
    [InlineData("adapter not registered", "paypal", "enabled", true, "EUR", null)]
    [InlineData("currency not supported", "adyen", "enabled", true, "JPY", null)]
    [InlineData("another provider was asked for", "adyen", "enabled", true, "EUR", "stripe")]
    public void Plan_SkipsAccountsThatCannotTakeThePayment(string why, string provider, string status, bool livemode, string currency, string? requested)
    {
        var skipped = Account("pa_x", provider, status, livemode);
        var rules = new[] { Rule("rr_1", 1, null, (skipped.Id, 1000)), Rule("rr_2", 2, null, ("pa_ok", 1)) };

        var plan = PaymentRouter.Plan(rules, [skipped, Account("pa_ok")], Payment(currency: currency), null, requested, Providers);

        Assert.NotNull(plan);
        Assert.True(plan.Accounts.Select(a => a.Id).SequenceEqual(["pa_ok"]), why);
        Assert.Equal("rr_2", plan.Decision.RuleId);
    }

    [Fact]
    public void Plan_WithRulesButNoneMatchingAUsableAccount_Is422ProviderNotConfigured()
    {
        var rules = new[] { Rule("rr_1", 1, new RoutingConditions { Currencies = ["USD"] }, ("pa_a", 1)), Rule("rr_2", 2, null, ("pa_gone", 1)) };

        var e = Assert.Throws<GatewayException>(() => PaymentRouter.Plan(rules, [Account("pa_a")], Payment(), null, null, Providers));

        Assert.Equal(ErrorCodes.ProviderNotConfigured, e.Code);
        Assert.Equal("provider", e.Param);
    }

    [Fact]
    public void Plan_WithoutRules_IsNull() =>
        Assert.Null(PaymentRouter.Plan([], [Account("pa_a")], Payment(), null, null, Providers));

    [Fact]
    public void Plan_ForABankTransferNoRuleNames_IsNull_SoTheGatewayCollectsItItself() =>
        Assert.Null(PaymentRouter.Plan([Rule("rr_1", 1, null, ("pa_a", 1))], [Account("pa_a")], Payment(type: PaymentMethodTypes.BankTransfer), null, null, Providers));

    [Theory]
    [InlineData("pa_a", "pa_b")]
    [InlineData("pa_b", "pa_c")]
    [InlineData("pa_c", null)]
    [InlineData("pa_unknown", null)]
    [InlineData(null, null)]
    public void After_GivesTheNextCandidateInPlanOrder(string? current, string? expected)
    {
        var plan = new RoutingPlan
        {
            Decision = new RoutingDecision { RuleId = "rr_1", ProviderAccount = "pa_a", Candidates = ["pa_a", "pa_b", "pa_c"] },
            Accounts = [Account("pa_a"), Account("pa_b"), Account("pa_c")],
        };

        Assert.Equal(expected, plan.After(current)?.Id);
    }

    /// <summary>An adapter as the router sees it: an id and its capabilities (the router never calls it).</summary>
    [Fact]
    public void Plan_WithATrace_NamesTheUnmetConditionOfEachRule_AndWhyEachTargetWasSkipped_WithoutChangingTheDecision()
    {
        var accounts = new[] { Account("pa_off", status: "disabled"), Account("pa_test", livemode: false), Account("pa_adyen", "adyen"), Account("pa_s") };
        var rules = new[]
        {
            Rule("rr_eur", 1, new RoutingConditions { Currencies = ["EUR"] }, ("pa_s", 1)),
            Rule("rr_bank", 2, new RoutingConditions { PaymentMethodTypes = ["bank_transfer"] }, ("pa_s", 1)),
            Rule("rr_all", 3, null, ("pa_off", 1), ("pa_test", 1), ("pa_adyen", 1), ("pa_gone", 1), ("pa_s", 4)),
        };

        var trace = new RoutingTrace();
        var plan = PaymentRouter.Plan(rules, accounts, Payment(currency: "GBP"), null, null, Providers, trace);
        var plain = PaymentRouter.Plan(rules, accounts, Payment(currency: "GBP"), null, null, Providers);
        Assert.NotNull(plan);
        Assert.Equal(plain?.Decision.Candidates, plan.Decision.Candidates);
        Assert.Equal(["pa_s"], plan.Decision.Candidates);
        Assert.Equal(["currencies", "payment_method_types", null], trace.Rules.Select(r => r.Unmet));
        Assert.Empty(trace.Rules[0].Targets); // a rule that did not match: its targets are not looked at
        var decided = trace.Rules[2];
        Assert.True(decided.Decides);
        Assert.Equal("pa_s", decided.Picked);
        Assert.Equal(4, decided.UsableWeight);
        Assert.Equal(
            [RoutingTrace.Disabled, RoutingTrace.OtherMode, RoutingTrace.CurrencyUnsupported, RoutingTrace.AccountMissing, null],
            decided.Targets.Select(t => t.Skipped));

        // A requested provider skips the others; Adyen takes EUR.
        trace = new RoutingTrace();
        plan = PaymentRouter.Plan(rules, accounts, Payment(currency: "EUR"), null, "adyen", Providers, trace);
        Assert.Equal(["pa_adyen"], plan?.Decision.Candidates);
        Assert.Equal([RoutingTrace.NotRequestedProvider], trace.Rules[0].Targets.Select(t => t.Skipped));
        Assert.False(trace.Rules[0].Decides);
        Assert.True(trace.Rules[2].Decides);

        // A bank transfer: the default route is a card route; the bank rule's account cannot collect it; the router refuses.
        trace = new RoutingTrace();
        var refused = Assert.Throws<GatewayException>(() => PaymentRouter.Plan(rules, accounts, Payment(type: "bank_transfer"), null, null, Providers, trace));
        Assert.Equal(ErrorCodes.ProviderNotConfigured, refused.Code);
        Assert.Equal([RoutingTrace.CardRouteOnly, null, RoutingTrace.CardRouteOnly], trace.Rules.Select(r => r.Unmet));
        Assert.Equal([RoutingTrace.MethodUnsupported], trace.Rules[1].Targets.Select(t => t.Skipped));
    }

    private sealed class Adapter(string id, string[] methods, string[]? currencies) : IPaymentProvider
    {
        public string Id => id;

        public ProviderCapabilities Capabilities { get; } = new()
        {
            PaymentMethodTypes = methods.ToHashSet(),
            Currencies = currencies?.ToHashSet(),
        };
    }
}
