using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;

namespace PaymentGateway.Core.UnitTests;

public sealed class RoutingRuleMatchTests
{
    private static Payment Payment(long amount = 1000, string currency = "EUR", Dictionary<string, string>? metadata = null) => new()
    {
        Id = "pay_1",
        MerchantId = "mer_1",
        Livemode = true,
        Amount = amount,
        Currency = currency,
        Metadata = metadata ?? [],
    };

    private static StoredPaymentMethod Card(string brand) => new()
    {
        Id = "pm_1",
        MerchantId = "mer_1",
        Livemode = true,
        Type = "card",
        Card = new StoredCard { Brand = brand, Last4 = "4242", ExpMonth = 12, ExpYear = 2030, Fingerprint = "f" },
    };

    [Theory]
    [InlineData(99, false)]
    [InlineData(100, true)]
    [InlineData(500, true)]
    [InlineData(501, false)]
    public void Amount_bounds_are_inclusive(long amount, bool matches) =>
        Assert.Equal(matches, PaymentRouter.Matches(new RoutingConditions { AmountGte = 100, AmountLte = 500 }, Payment(amount), Card("visa")));

    [Fact]
    public void A_bank_transfer_without_payment_method_matches_payment_method_types_by_its_own_type()
    {
        var transfer = new Payment
        {
            Id = "pay_2",
            MerchantId = "mer_1",
            Livemode = true,
            Amount = 12500,
            Currency = "EUR",
            PaymentMethodType = "bank_transfer",
        };
        Assert.True(PaymentRouter.Matches(new RoutingConditions { PaymentMethodTypes = ["bank_transfer"] }, transfer, null));
        Assert.True(PaymentRouter.Matches(new RoutingConditions { PaymentMethodTypes = ["card", "bank_transfer"], Currencies = ["EUR"] }, transfer, null));
        Assert.False(PaymentRouter.Matches(new RoutingConditions { PaymentMethodTypes = ["card"] }, transfer, null));
        Assert.False(PaymentRouter.Matches(new RoutingConditions { PaymentMethodTypes = ["bank_transfer"] }, Payment(), Card("visa")));
        Assert.False(PaymentRouter.Matches(new RoutingConditions { CardBrands = ["visa"] }, transfer, null));
    }

    [Fact]
    public void Every_set_condition_must_hold()
    {
        var conditions = new RoutingConditions { Currencies = ["USD"], CardBrands = ["mastercard"] };
        Assert.True(PaymentRouter.Matches(conditions, Payment(currency: "USD"), Card("mastercard")));
        Assert.False(PaymentRouter.Matches(conditions, Payment(currency: "EUR"), Card("mastercard")));
        Assert.False(PaymentRouter.Matches(conditions, Payment(currency: "USD"), Card("visa")));
        Assert.False(PaymentRouter.Matches(conditions, Payment(currency: "USD"), null)); // brand unknown: no match
        Assert.True(PaymentRouter.Matches(new RoutingConditions(), Payment(), null)); // a default route matches anything
    }

    [Fact]
    public void Country_comes_from_metadata_case_insensitively_and_is_required_by_a_country_rule()
    {
        var conditions = new RoutingConditions { Countries = ["NL", "BE"] };
        Assert.True(PaymentRouter.Matches(conditions, Payment(metadata: new() { ["country"] = "be" }), Card("visa")));
        Assert.False(PaymentRouter.Matches(conditions, Payment(metadata: new() { ["country"] = "DE" }), Card("visa")));
        Assert.False(PaymentRouter.Matches(conditions, Payment(), Card("visa")));
    }

    [Fact]
    public void Weighted_pick_follows_the_weights_over_many_payment_ids()
    {
        List<RoutingTarget> targets = [new() { ProviderAccount = "pa_a", Weight = 9 }, new() { ProviderAccount = "pa_b", Weight = 1 }];
        var picks = Enumerable.Range(0, 10_000).Select(i => PaymentRouter.WeightedPick(targets, $"pay_{i}").ProviderAccount).ToList();
        Assert.InRange(picks.Count(p => p == "pa_a"), 8_800, 9_200); // 9000 expected, sd 30
        Assert.Equal(picks, Enumerable.Range(0, 10_000).Select(i => PaymentRouter.WeightedPick(targets, $"pay_{i}").ProviderAccount));
    }
}
