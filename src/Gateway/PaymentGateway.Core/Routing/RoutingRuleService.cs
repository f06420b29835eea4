using System.Security.Cryptography;
using System.Text;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Routing;

/// <summary>Routing rules per merchant and mode (admin API), and the router that turns them into a payment's candidates.</summary>
public sealed class RoutingRuleService(IMerchantStore merchantStore, IRoutingStore routingStore, ProviderRegistry providers, TimeProvider time)
{
    public const string IdPrefix = "rr";
    private const int MaxTargets = 10;
    private const int MaxListValues = 50;

    public async Task<RoutingRuleResource> CreateAsync(string merchantId, CreateRoutingRuleRequest request, string? reservedId, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        var id = reservedId is null ? Ids.New(IdPrefix) : $"{IdPrefix}_{reservedId}";
        if (reservedId is not null && await routingStore.GetRoutingRuleAsync(merchantId, id, ct).ConfigureAwait(false) is { } existing)
        {
            return existing.ToResource();
        }

        var livemode = request.Livemode ?? throw GatewayException.Missing("livemode");
        var now = time.GetUtcNow();
        var rule = new RoutingRule
        {
            Id = id,
            MerchantId = merchantId,
            Livemode = livemode,
            Priority = ValidatePriority(request.Priority ?? throw GatewayException.Missing("priority")),
            Description = request.Description,
            Conditions = ValidateConditions(request.Conditions ?? new RoutingConditions()),
            Targets = await ValidateTargetsAsync(merchantId, livemode, request.Targets ?? throw GatewayException.Missing("targets"), ct).ConfigureAwait(false),
            Created = now,
            Updated = now,
        };
        await RequireMethodSupportAsync(rule, ct).ConfigureAwait(false);
        PaymentService.ValidateText(request.Description, "description", 500);
        await routingStore.CreateRoutingRuleAsync(rule, ct).ConfigureAwait(false);
        return rule.ToResource();
    }

    public async Task<RoutingRuleResource> GetAsync(string merchantId, string id, CancellationToken ct) =>
        (await LoadAsync(merchantId, id, ct).ConfigureAwait(false)).ToResource();

    public async Task<ListResource<RoutingRuleResource>> ListAsync(string merchantId, bool livemode, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        var rules = await routingStore.ListRoutingRulesAsync(merchantId, livemode, ct).ConfigureAwait(false);
        return new ListResource<RoutingRuleResource> { Data = rules.Select(r => r.ToResource()).ToList(), HasMore = false };
    }

    public async Task<RoutingRuleResource> UpdateAsync(string merchantId, string id, UpdateRoutingRuleRequest request, CancellationToken ct)
    {
        var rule = await LoadAsync(merchantId, id, ct).ConfigureAwait(false);
        PaymentService.ValidateText(request.Description, "description", 500);
        if (request.Priority is { } priority)
        {
            rule.Priority = ValidatePriority(priority);
        }

        if (request.Conditions is { } conditions)
        {
            rule.Conditions = ValidateConditions(conditions);
        }

        if (request.Targets is { } targets)
        {
            rule.Targets = await ValidateTargetsAsync(merchantId, rule.Livemode, targets, ct).ConfigureAwait(false);
        }

        rule.Description = request.Description ?? rule.Description;
        rule.Updated = time.GetUtcNow();
        await RequireMethodSupportAsync(rule, ct).ConfigureAwait(false);
        try
        {
            await routingStore.UpdateRoutingRuleAsync(rule, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, $"Routing rule {id} was changed by a concurrent request; retrieve it and try again.");
        }

        return rule.ToResource();
    }

    public async Task<DeletedResource> DeleteAsync(string merchantId, string id, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        return await routingStore.DeleteRoutingRuleAsync(merchantId, id, ct).ConfigureAwait(false)
            ? new DeletedResource { Id = id, Object = "routing_rule" }
            : throw GatewayException.NotFound("routing_rule", id);
    }

    /// <summary>
    /// The candidates for a payment, or null when the merchant has no rules for this mode. Rules are tried by ascending
    /// priority; the first matching rule's weighted pick (deterministic: a hash of the payment id) comes first, then that
    /// rule's other targets by descending weight, then the targets of later matching rules. Disabled or deleted accounts
    /// and accounts whose adapter does not take the currency are skipped.
    /// </summary>
    public async Task<RoutingPlan?> PlanAsync(Payment payment, StoredPaymentMethod? method, string? requestedProvider, CancellationToken ct)
    {
        var rules = await routingStore.ListRoutingRulesAsync(payment.MerchantId, payment.Livemode, ct).ConfigureAwait(false);
        if (rules.Count == 0)
        {
            return null;
        }

        var accounts = (await routingStore.ListProviderAccountsAsync(payment.MerchantId, ct).ConfigureAwait(false)).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var candidates = new List<ProviderAccountRecord>();
        string? ruleId = null;
        string? first = null;
        var matchedAny = false;
        foreach (var rule in rules.Where(r => Matches(r.Conditions, payment, method) && RoutesMethod(r.Conditions, payment)))
        {
            matchedAny = true;
            var usable = rule.Targets
                .Where(t => accounts.TryGetValue(t.ProviderAccount, out var a) && Usable(a, payment, requestedProvider))
                .ToList();
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
            }

            foreach (var target in ordered.Where(t => candidates.All(c => c.Id != t.ProviderAccount)))
            {
                candidates.Add(accounts[target.ProviderAccount]);
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

    /// <summary>Whether the merchant has any rule for this mode (routing replaces the simulator / the 422 when it does).</summary>
    public async Task<bool> HasRulesAsync(string merchantId, bool livemode, CancellationToken ct) =>
        (await routingStore.ListRoutingRulesAsync(merchantId, livemode, ct).ConfigureAwait(false)).Count > 0;

    internal static bool Matches(RoutingConditions c, Payment payment, StoredPaymentMethod? method)
    {
        if (c.Currencies is { } currencies && !currencies.Contains(payment.Currency, StringComparer.Ordinal))
        {
            return false;
        }

        if ((c.AmountGte is { } gte && payment.Amount < gte) || (c.AmountLte is { } lte && payment.Amount > lte))
        {
            return false;
        }

        if (c.CardBrands is { } brands && (method?.Card is not { } card || !brands.Contains(card.Brand, StringComparer.Ordinal)))
        {
            return false;
        }

        if (c.PaymentMethodTypes is { } types && ((method?.Type ?? payment.PaymentMethodType) is not { } type || !types.Contains(type, StringComparer.Ordinal)))
        {
            return false;
        }

        return c.Countries is not { } countries
            || (payment.Metadata.TryGetValue("country", out var country) && countries.Contains(country.ToUpperInvariant(), StringComparer.Ordinal));
    }

    /// <summary>A weighted choice that is the same for the same payment id on every node and every retry.</summary>
    public static RoutingTarget WeightedPick(IReadOnlyList<RoutingTarget> targets, string paymentId)
    {
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

    private bool Usable(ProviderAccountRecord account, Payment payment, string? requestedProvider) =>
        account.Status == "enabled"
        && account.Livemode == payment.Livemode
        && (requestedProvider is null || requestedProvider == account.ProviderId)
        && providers.IsRegistered(account.ProviderId)
        && providers.Get(account.ProviderId).Capabilities.SupportsCurrency(payment.Currency)
        && (payment.PaymentMethodType is not { } type || SupportsMethod(account.ProviderId, type));

    /// <summary>
    /// Payments with a method type of their own (<c>bank_transfer</c>) are routed only by rules that name that type in
    /// <c>payment_method_types</c>; rules without the condition (default routes) stay card routes, so a merchant's
    /// card routing never takes over the gateway's own transfers.
    /// </summary>
    private static bool RoutesMethod(RoutingConditions c, Payment payment) =>
        payment.PaymentMethodType is null || c.PaymentMethodTypes is not null;

    /// <summary>Whether the provider's adapter takes this method type (bank transfers also need its <see cref="IBankTransferProvider"/> flow).</summary>
    private bool SupportsMethod(string providerId, string type) =>
        providers.IsRegistered(providerId)
        && providers.Get(providerId) is var provider
        && provider.Capabilities.PaymentMethodTypes.Contains(type)
        && (type != PaymentService.BankTransferType || provider is IBankTransferProvider);

    /// <summary>
    /// A rule that routes bank transfers must target only accounts whose adapter collects them: 422
    /// <c>provider_method_unsupported</c> naming the target otherwise (checked when the rule is created or changed).
    /// </summary>
    private async Task RequireMethodSupportAsync(RoutingRule rule, CancellationToken ct)
    {
        if (rule.Conditions.PaymentMethodTypes is not { } types || !types.Contains(PaymentService.BankTransferType, StringComparer.Ordinal))
        {
            return;
        }

        for (var i = 0; i < rule.Targets.Count; i++)
        {
            var account = await routingStore.GetProviderAccountAsync(rule.Targets[i].ProviderAccount, ct).ConfigureAwait(false);
            if (account is not null && !SupportsMethod(account.ProviderId, PaymentService.BankTransferType))
            {
                throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderMethodUnsupported,
                    $"targets[{i}].provider_account is a '{account.ProviderId}' account, which cannot collect bank transfers; route bank_transfer to an adapter that can (mollie).",
                    $"targets[{i}]");
            }
        }
    }

    private static int ValidatePriority(int priority) =>
        priority is >= 0 and <= 1_000_000 ? priority : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "priority must be between 0 and 1000000.", "priority");

    private static RoutingConditions ValidateConditions(RoutingConditions c)
    {
        List<string>? Upper(List<string>? values, string param, Func<string, bool> valid, string what)
        {
            if (values is null)
            {
                return null;
            }

            if (values.Count is 0 or > MaxListValues)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"conditions.{param} must list 1 to {MaxListValues} values (omit it to match any).", $"conditions[{param}]");
            }

            foreach (var v in values)
            {
                if (v is null || !valid(v))
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"conditions.{param} must contain {what}.", $"conditions[{param}]");
                }
            }

            return values;
        }

        if (c.AmountGte is < 0 || c.AmountLte is < 0 || (c.AmountGte is { } gte && c.AmountLte is { } lte && gte > lte))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "conditions.amount_gte and amount_lte must be non-negative with amount_gte <= amount_lte.", "conditions[amount_gte]");
        }

        return c with
        {
            Currencies = Upper(c.Currencies, "currencies", v => Currency.TryFind(v, out var cur) && cur.Code == v, "upper-case ISO 4217 codes"),
            CardBrands = Upper(c.CardBrands, "card_brands", v => v.Length is > 0 and <= 32 && v.All(ch => char.IsAsciiLetterLower(ch) || ch == '_'), "card brands as the API shows them (visa, mastercard, amex, …)"),
            PaymentMethodTypes = Upper(c.PaymentMethodTypes, "payment_method_types", v => v.Length is > 0 and <= 32 && v.All(ch => char.IsAsciiLetterLower(ch) || ch == '_'), "payment method types (card, …)"),
            Countries = Upper(c.Countries, "countries", v => v.Length == 2 && v.All(char.IsAsciiLetterUpper), "ISO 3166-1 alpha-2 codes (upper case)"),
        };
    }

    private async Task<List<RoutingTarget>> ValidateTargetsAsync(string merchantId, bool livemode, List<RoutingTarget> targets, CancellationToken ct)
    {
        if (targets.Count is 0 or > MaxTargets)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"targets must list 1 to {MaxTargets} provider accounts.", "targets");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            var param = $"targets[{i}]";
            if (t.EffectiveWeight is < 1 or > 1000)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param}.weight must be between 1 and 1000.", param);
            }

            if (targets.Take(i).Any(o => o.ProviderAccount == t.ProviderAccount))
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param}.provider_account is listed twice.", param);
            }

            var account = await routingStore.GetProviderAccountAsync(t.ProviderAccount ?? string.Empty, ct).ConfigureAwait(false);
            if (account is null || account.MerchantId != merchantId)
            {
                throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing, $"{param}.provider_account is not a provider account of this merchant.", param);
            }

            if (account.Livemode != livemode)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param}.provider_account is a {(account.Livemode ? "live" : "test")}-mode account; the rule is not.", param);
            }
        }

        return [.. targets.Select(t => t with { Weight = t.EffectiveWeight })];
    }

    private async Task<RoutingRule> LoadAsync(string merchantId, string id, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        return await routingStore.GetRoutingRuleAsync(merchantId, id, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("routing_rule", id);
    }

    private async Task RequireMerchantAsync(string merchantId, CancellationToken ct)
    {
        if (await merchantStore.GetMerchantAsync(merchantId, ct).ConfigureAwait(false) is null)
        {
            throw GatewayException.NotFound("merchant", merchantId);
        }
    }
}

/// <summary>A payment's candidates, in the order they are tried, and the decision recorded on it.</summary>
public sealed record RoutingPlan
{
    public required RoutingDecision Decision { get; init; }
    public required IReadOnlyList<ProviderAccountRecord> Accounts { get; init; }
}

internal static class RoutingRuleMapping
{
    public static RoutingRuleResource ToResource(this RoutingRule r) => new()
    {
        Id = r.Id,
        Merchant = r.MerchantId,
        Livemode = r.Livemode,
        Priority = r.Priority,
        Description = r.Description,
        Conditions = r.Conditions,
        Targets = r.Targets,
        Created = r.Created,
        Updated = r.Updated,
    };
}
