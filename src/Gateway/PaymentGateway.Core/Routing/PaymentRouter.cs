using System.Security.Cryptography;
using System.Text;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Routing;

/// <summary>
/// The router: turns a merchant's routing rules into a payment's candidate provider accounts (<see cref="RoutingPlan"/>).
/// Rules are tried by ascending priority; the first matching rule's weighted pick (deterministic: a hash of the payment
/// id) comes first, then that rule's other targets by descending weight, then the targets of later matching rules.
/// Disabled or deleted accounts, and accounts whose adapter does not take the currency or method, are skipped. The
/// rules themselves are kept by <see cref="RoutingRuleService"/>.
/// </summary>
public sealed class PaymentRouter(IRoutingStore store, ProviderRegistry providers)
{
    /// <summary>The merchant's rules for this mode (read them once per request and pass them on).</summary>
    public Task<IReadOnlyList<RoutingRule>> ReadRulesAsync(string merchantId, bool livemode, CancellationToken ct) =>
        store.ListRoutingRulesAsync(merchantId, livemode, ct);

    /// <summary>Reads the payment's merchant's rules and plans with them; see <see cref="PlanAsync(IReadOnlyList{RoutingRule}, Payment, StoredPaymentMethod?, string?, CancellationToken)"/>.</summary>
    public async Task<RoutingPlan?> PlanAsync(Payment payment, StoredPaymentMethod? method, string? requestedProvider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var rules = await ReadRulesAsync(payment.MerchantId, payment.Livemode, ct).ConfigureAwait(false);
        return await PlanAsync(rules, payment, method, requestedProvider, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The candidates for a payment under <paramref name="rules"/> (already read), or null when there are none for this
    /// mode, or when no rule names the payment's own method type (bank_transfer: the gateway collects it itself).
    /// 422 <c>provider_not_configured</c> when rules exist but none matches with a usable account.
    /// </summary>
    public async Task<RoutingPlan?> PlanAsync(IReadOnlyList<RoutingRule> rules, Payment payment, StoredPaymentMethod? method, string? requestedProvider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(payment);
        if (rules.Count == 0)
        {
            return null; // no rules for this mode: the accounts are not read
        }

        var accounts = await store.ListProviderAccountsAsync(payment.MerchantId, ct).ConfigureAwait(false);
        return Plan(rules, accounts, payment, method, requestedProvider, providers);
    }

    /// <summary>
    /// The plan from rules and accounts already read, with the adapters in <paramref name="providers"/> (pure: no I/O);
    /// see <see cref="PlanAsync(IReadOnlyList{RoutingRule}, Payment, StoredPaymentMethod?, string?, CancellationToken)"/>.
    /// </summary>
    public static RoutingPlan? Plan(IReadOnlyList<RoutingRule> rules, IReadOnlyList<ProviderAccountRecord> accountList, Payment payment, StoredPaymentMethod? method,
        string? requestedProvider, ProviderRegistry providers) => Plan(rules, accountList, payment, method, requestedProvider, providers, trace: null);

    /// <summary>
    /// The same decision, also written step by step into <paramref name="trace"/> when one is given (the console's
    /// routing tester): each rule's unmet condition, each target's reason for being skipped, the weighted pick. Payments
    /// pass no trace; the decision is made by this one code path either way.
    /// </summary>
    public static RoutingPlan? Plan(IReadOnlyList<RoutingRule> rules, IReadOnlyList<ProviderAccountRecord> accountList, Payment payment, StoredPaymentMethod? method,
        string? requestedProvider, ProviderRegistry providers, RoutingTrace? trace)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(accountList);
        ArgumentNullException.ThrowIfNull(payment);
        if (rules.Count == 0)
        {
            return null;
        }

        var accounts = accountList.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var candidates = new List<ProviderAccountRecord>();
        string? ruleId = null;
        string? first = null;
        var matchedAny = false;
        foreach (var rule in rules)
        {
            var unmet = Unmet(rule.Conditions, payment, method) ?? (RoutesMethod(rule.Conditions, payment) ? null : RoutingTrace.CardRouteOnly);
            var ruleTrace = trace?.AddRule(rule, unmet);
            if (unmet is not null)
            {
                continue;
            }

            matchedAny = true;
            var usable = new List<RoutingTarget>(rule.Targets.Count);
            foreach (var t in rule.Targets)
            {
                var skipped = accounts.TryGetValue(t.ProviderAccount, out var a) ? Unusable(a, payment, requestedProvider, providers) : RoutingTrace.AccountMissing;
                if (skipped is null)
                {
                    usable.Add(t);
                }

                ruleTrace?.Targets.Add(new RoutingTargetTrace(t, skipped));
            }

            if (usable.Count == 0)
            {
                continue;
            }

            var ordered = usable.OrderByDescending(t => t.EffectiveWeight).ToList();
            if (ruleId is null)
            {
                ruleId = rule.Id;
                var pick = WeightedPick(usable, payment.Id);
                first = pick.ProviderAccount;
                ordered.Remove(pick);
                ordered.Insert(0, pick);
                if (ruleTrace is not null)
                {
                    ruleTrace.Decides = true;
                    ruleTrace.Picked = pick.ProviderAccount;
                    ruleTrace.UsableWeight = usable.Sum(u => (long)u.EffectiveWeight);
                }
            }

            foreach (var target in ordered)
            {
                if (candidates.All(c => c.Id != target.ProviderAccount))
                {
                    candidates.Add(accounts[target.ProviderAccount]);
                }
                else if (ruleTrace is not null)
                {
                    ruleTrace.AlreadyCandidates.Add(target.ProviderAccount);
                }
            }
        }

        if (!matchedAny && payment.PaymentMethodType is not null)
        {
            // No rule names this method type (bank_transfer): the gateway handles it itself, as without rules.
            return null;
        }

        if (ruleId is null)
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderNotConfigured,
                "No routing rule of this merchant matches this payment with an enabled provider account.", "provider");
        }

        return new RoutingPlan
        {
            Decision = new RoutingDecision { RuleId = ruleId, ProviderAccount = first, Candidates = candidates.Select(c => c.Id).ToList() },
            Accounts = candidates,
        };
    }

    /// <summary>Whether every condition the rule sets holds for the payment (and its stored method, when it has one).</summary>
    public static bool Matches(RoutingConditions c, Payment payment, StoredPaymentMethod? method) => Unmet(c, payment, method) is null;

    /// <summary>
    /// The first condition of the rule that does not hold for the payment, by its API name (<c>currencies</c>,
    /// <c>amount_gte</c>, <c>amount_lte</c>, <c>card_brands</c>, <c>payment_method_types</c>, <c>countries</c>), or null
    /// when they all hold.
    /// </summary>
    public static string? Unmet(RoutingConditions c, Payment payment, StoredPaymentMethod? method)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(payment);
        if (c.Currencies is { } currencies && !currencies.Contains(payment.Currency, StringComparer.Ordinal))
        {
            return "currencies";
        }

        if (c.AmountGte is { } gte && payment.Amount < gte)
        {
            return "amount_gte";
        }

        if (c.AmountLte is { } lte && payment.Amount > lte)
        {
            return "amount_lte";
        }

        if (c.CardBrands is { } brands && (method?.Card is not { } card || !brands.Contains(card.Brand, StringComparer.Ordinal)))
        {
            return "card_brands";
        }

        if (c.PaymentMethodTypes is { } types && ((method?.Type ?? payment.PaymentMethodType) is not { } type || !types.Contains(type, StringComparer.Ordinal)))
        {
            return "payment_method_types";
        }

        return c.Countries is not { } countries
            || (payment.Metadata.TryGetValue("country", out var country) && countries.Contains(country.ToUpperInvariant(), StringComparer.Ordinal))
            ? null
            : "countries";
    }

    /// <summary>A weighted choice that is the same for the same payment id on every node and every retry.</summary>
    public static RoutingTarget WeightedPick(IReadOnlyList<RoutingTarget> targets, string paymentId)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var total = targets.Sum(t => (long)t.EffectiveWeight);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(paymentId));
        var point = (long)(BitConverter.ToUInt64(hash, 0) % (ulong)total);
        foreach (var target in targets)
        {
            point -= target.EffectiveWeight;
            if (point < 0)
            {
                return target;
            }
        }

        return targets[^1];
    }

    /// <summary>Why an account cannot take the payment (a <see cref="RoutingTrace"/> reason), or null when it can.</summary>
    private static string? Unusable(ProviderAccountRecord account, Payment payment, string? requestedProvider, ProviderRegistry providers) =>
        account.Status != "enabled" ? RoutingTrace.Disabled
        : account.Livemode != payment.Livemode ? RoutingTrace.OtherMode
        : requestedProvider is not null && requestedProvider != account.ProviderId ? RoutingTrace.NotRequestedProvider
        : !providers.IsRegistered(account.ProviderId) ? RoutingTrace.AdapterMissing
        : !providers.Get(account.ProviderId).Capabilities.SupportsCurrency(payment.Currency) ? RoutingTrace.CurrencyUnsupported
        : payment.PaymentMethodType is { } type && !providers.SupportsMethod(account.ProviderId, type) ? RoutingTrace.MethodUnsupported
        : null;

    /// <summary>
    /// Payments with a method type of their own (<c>bank_transfer</c>) are routed only by rules that name that type in
    /// <c>payment_method_types</c>; rules without the condition (default routes) stay card routes, so a merchant's
    /// card routing never takes over the gateway's own transfers.
    /// </summary>
    private static bool RoutesMethod(RoutingConditions c, Payment payment) =>
        payment.PaymentMethodType is null || c.PaymentMethodTypes is not null;
}
