using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Routing;

/// <summary>
/// Routing rules per merchant and mode (admin API): create, read, update, delete, and the checks a rule must pass. The
/// <see cref="PaymentRouter"/> applies them to payments.
/// </summary>
public sealed class RoutingRuleService(IMerchantStore merchantStore, IRoutingStore routingStore, ProviderRegistry providers, TimeProvider time)
{
    public const string IdPrefix = "rr";
    private const int MaxTargets = 10;
    private const int MaxListValues = 50;

    public async Task<RoutingRuleResource> CreateAsync(AuditSource by, string merchantId, CreateRoutingRuleRequest request, string? reservedId, CancellationToken ct)
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
        RequestValidation.Text(request.Description, "description", 500);
        var audit = AdminAudit.Record(by, now, AdminAudit.RoutingRuleCreated, merchantId, "routing_rule", id, null, AdminAudit.Summary(rule));
        await routingStore.CreateRoutingRuleAsync(rule, audit, ct).ConfigureAwait(false);
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

    public async Task<RoutingRuleResource> UpdateAsync(AuditSource by, string merchantId, string id, UpdateRoutingRuleRequest request, CancellationToken ct)
    {
        var rule = await LoadAsync(merchantId, id, ct).ConfigureAwait(false);
        var before = AdminAudit.Summary(rule);
        RequestValidation.Text(request.Description, "description", 500);
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
        var audit = AdminAudit.Record(by, rule.Updated, AdminAudit.RoutingRuleUpdated, merchantId, "routing_rule", id, before, AdminAudit.Summary(rule));
        try
        {
            await routingStore.UpdateRoutingRuleAsync(rule, audit, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, $"Routing rule {id} was changed by a concurrent request; retrieve it and try again.");
        }

        return rule.ToResource();
    }

    public async Task<DeletedResource> DeleteAsync(AuditSource by, string merchantId, string id, CancellationToken ct)
    {
        var rule = await LoadAsync(merchantId, id, ct).ConfigureAwait(false);
        var audit = AdminAudit.Record(by, time.GetUtcNow(), AdminAudit.RoutingRuleDeleted, merchantId, "routing_rule", id, AdminAudit.Summary(rule), null);
        return await routingStore.DeleteRoutingRuleAsync(merchantId, id, audit, ct).ConfigureAwait(false)
            ? new DeletedResource { Id = id, Object = "routing_rule" }
            : throw GatewayException.NotFound("routing_rule", id);
    }

    /// <summary>
    /// A rule that routes bank transfers must target only accounts whose adapter collects them: 422
    /// <c>provider_method_unsupported</c> naming the target otherwise (checked when the rule is created or changed).
    /// </summary>
    private async Task RequireMethodSupportAsync(RoutingRule rule, CancellationToken ct)
    {
        if (rule.Conditions.PaymentMethodTypes is not { } types || !types.Contains(PaymentMethodTypes.BankTransfer, StringComparer.Ordinal))
        {
            return;
        }

        for (var i = 0; i < rule.Targets.Count; i++)
        {
            var account = await routingStore.GetProviderAccountAsync(rule.Targets[i].ProviderAccount, ct).ConfigureAwait(false);
            if (account is not null && !providers.SupportsMethod(account.ProviderId, PaymentMethodTypes.BankTransfer))
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
