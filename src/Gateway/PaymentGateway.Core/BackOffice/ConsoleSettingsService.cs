using System.Globalization;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>A provider account as the console lists it: the API's resource (credentials as masked hints only) and its circuit on this node.</summary>
public sealed record ConsoleProviderAccount(ProviderAccountResource Account, string Circuit);

/// <summary>What a provider's account takes: credential names (write-only) and setting names, required ones first.</summary>
public sealed record ConsoleProviderSchema(string Provider, IReadOnlyList<string> RequiredCredentials, IReadOnlyList<string> OptionalCredentials,
    IReadOnlyList<string> RequiredSettings, IReadOnlyList<string> OptionalSettings)
{
    public IEnumerable<string> Credentials => RequiredCredentials.Concat(OptionalCredentials);

    public IEnumerable<string> Settings => RequiredSettings.Concat(OptionalSettings);
}

/// <summary>The provider account form: credentials left blank keep the stored value (on an edit) or are not set (on an add).</summary>
public sealed class ConsoleProviderAccountForm
{
    public string? Provider { get; set; }

    /// <summary><c>test</c> or <c>live</c>.</summary>
    public string? Mode { get; set; }

    public string? Description { get; set; }

    public Dictionary<string, string?> Credentials { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, string?> Settings { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The routing rule form, as typed: lists separated by commas, amounts in minor units, targets as rows of account and weight.</summary>
public sealed class ConsoleRoutingRuleForm
{
    public string? Priority { get; set; }

    public string? Description { get; set; }

    public string? Currencies { get; set; }

    public string? AmountGte { get; set; }

    public string? AmountLte { get; set; }

    public string? CardBrands { get; set; }

    public string? PaymentMethodTypes { get; set; }

    public string? Countries { get; set; }

    public List<ConsoleRoutingTargetForm> Targets { get; set; } = [];
}

public sealed class ConsoleRoutingTargetForm
{
    public string? Account { get; set; }

    public string? Weight { get; set; }
}

/// <summary>The routing tester's form: the payment to route.</summary>
public sealed class ConsoleRouteTestForm
{
    public string? Amount { get; set; }

    public string? Currency { get; set; }

    /// <summary><c>card</c> or <c>bank_transfer</c>.</summary>
    public string? MethodType { get; set; } = PaymentMethodTypes.Card;

    public string? CardBrand { get; set; }

    /// <summary>The buyer's country, as the payment's <c>metadata.country</c> (what rules' <c>countries</c> match).</summary>
    public string? Country { get; set; }

    /// <summary>The payment's <c>provider</c> parameter (blank: none asked for).</summary>
    public string? Provider { get; set; }

    /// <summary>The id the weighted pick hashes (blank: <see cref="ConsoleSettingsService.SamplePaymentId"/>).</summary>
    public string? PaymentId { get; set; }
}

/// <summary>
/// The tester's answer. <see cref="Plan"/> is the router's own plan (null when the payment is not routed: no rules in the
/// mode, or no rule for its method type); <see cref="Trace"/> is how the router got there; <see cref="Refusal"/> is the
/// router's refusal (<c>provider_not_configured</c>) when rules exist but none matches with a usable account.
/// </summary>
public sealed record ConsoleRouteTest(
    Payment Payment,
    RoutingPlan? Plan,
    RoutingTrace Trace,
    GatewayException? Refusal,
    string? UnroutedProvider,
    IReadOnlyDictionary<string, ProviderAccountRecord> Accounts,
    IReadOnlyDictionary<string, string> Circuits)
{
    /// <summary>The candidate an attempt made now on this node would reach first: the plan's first whose circuit is not open (an open circuit fails at once and the next is tried).</summary>
    public ProviderAccountRecord? FirstReached => Plan?.Accounts.FirstOrDefault(a => !ConsoleSettingsService.IsOpen(Circuits.GetValueOrDefault(a.Id)));
}

/// <summary>
/// Settings → Provider accounts and Settings → Routing: a merchant's provider accounts (add, edit with write-only
/// credentials, disable, enable, delete) and routing rules (add, edit, delete), through the admin API's own services
/// (<see cref="ProviderAccountService"/>, <see cref="RoutingRuleService"/>) — which validate, encrypt and write the audit
/// entry in the change's transaction — with the console user as the actor; and the routing tester, which runs the
/// router's own <see cref="PaymentRouter.Plan(IReadOnlyList{RoutingRule}, IReadOnlyList{ProviderAccountRecord}, Payment, StoredPaymentMethod?, string?, ProviderRegistry, RoutingTrace?)"/>
/// on a payment described in a form and writes nothing. Owners only (<see cref="ConsolePermission.ManageProviderAccounts"/>,
/// <see cref="ConsolePermission.ManageRouting"/>), checked here; a refused change (role, bad input, the API's refusal) is
/// audited with outcome <c>refused</c>, its reason and the field — never a value typed in the form.
/// </summary>
public sealed class ConsoleSettingsService(
    ProviderAccountService accounts,
    RoutingRuleService rules,
    IRoutingStore routing,
    IMerchantStore merchants,
    IConsoleStore consoleStore,
    ProviderRegistry providers,
    ProviderCircuits circuits,
    TimeProvider time)
{
    /// <summary>The payment id the tester's weighted pick hashes when the form gives none (the same answer every time).</summary>
    public const string SamplePaymentId = "pay_routing_tester";

    /// <summary>How many target rows the rule form offers at least.</summary>
    public const int TargetRows = 4;

    public const string AccountTarget = "provider_account";
    public const string RuleTarget = "routing_rule";

    /// <summary>The merchants on which the caller's role allows <paramref name="permission"/>, by name.</summary>
    public Task<IReadOnlyList<Merchant>> MerchantsAsync(ConsoleCaller caller, ConsolePermission permission, CancellationToken ct) =>
        ConsoleMerchants.AllowingAsync(merchants, caller, permission, ct);

    /// <summary>The providers this gateway has adapters for, with what their accounts take.</summary>
    public IReadOnlyList<ConsoleProviderSchema> Providers() =>
        ProviderAccountService.Schemas.Where(s => providers.IsRegistered(s.Key))
            .Select(s => new ConsoleProviderSchema(s.Key, s.Value.RequiredCredentials, s.Value.OptionalCredentials, s.Value.RequiredSettings, s.Value.OptionalSettings))
            .ToList();

    public ConsoleProviderSchema? Schema(string? provider) => Providers().FirstOrDefault(p => p.Provider == provider);

    // ------------------------------------------------------------------------------------------------ provider accounts

    /// <summary>The merchant's accounts (both modes, oldest first) with their circuit state on this node.</summary>
    public async Task<IReadOnlyList<ConsoleProviderAccount>> ListAccountsAsync(ConsoleCaller caller, string merchantId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ManageProviderAccounts, merchantId);
        var list = await accounts.ListAsync(merchantId, ct).ConfigureAwait(false);
        return list.Data.Select(a => new ConsoleProviderAccount(a, CircuitOf(a.Id))).ToList();
    }

    /// <summary>One account (credentials masked); 404 when it is not the merchant's.</summary>
    public async Task<ConsoleProviderAccount> GetAccountAsync(ConsoleCaller caller, string merchantId, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ManageProviderAccounts, merchantId);
        return new ConsoleProviderAccount(await accounts.GetAsync(merchantId, id, ct).ConfigureAwait(false), CircuitOf(id));
    }

    /// <summary>Adds an account; credentials left blank are not set (a required one is refused beside its field).</summary>
    public Task<ProviderAccountResource> CreateAccountAsync(ConsoleCaller caller, string merchantId, ConsoleProviderAccountForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        return ChangeAsync(caller, ConsolePermission.ManageProviderAccounts, AdminAudit.ProviderAccountCreated, merchantId, AccountTarget, null, by =>
        {
            if (Schema(form.Provider) is not { } schema)
            {
                throw new ConsoleValidationException("Provider", $"Choose a provider: {string.Join(", ", Providers().Select(p => p.Provider))}.");
            }

            var request = new CreateProviderAccountRequest
            {
                Provider = schema.Provider,
                Livemode = ParseMode(form.Mode),
                Description = Blank(form.Description),
                Credentials = Given(form.Credentials, schema.Credentials),
                Settings = Given(form.Settings, schema.Settings),
            };
            return accounts.CreateAsync(by, merchantId, request, reservedId: null, ct);
        }, ct);
    }

    /// <summary>
    /// Changes an account: credentials typed replace the stored ones (blank keeps them), settings are as the form shows
    /// them (blank removes one), the description as given.
    /// </summary>
    public Task<ProviderAccountResource> UpdateAccountAsync(ConsoleCaller caller, string merchantId, string id, ConsoleProviderAccountForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        return ChangeAsync(caller, ConsolePermission.ManageProviderAccounts, AdminAudit.ProviderAccountUpdated, merchantId, AccountTarget, id, async by =>
        {
            var current = await accounts.GetAsync(merchantId, id, ct).ConfigureAwait(false);
            var schema = Schema(current.Provider) ?? throw GatewayException.NotFound("provider_account", id);
            var settings = schema.Settings.ToDictionary(s => s, s => form.Settings.GetValueOrDefault(s)?.Trim() ?? string.Empty, StringComparer.Ordinal);
            return await accounts.UpdateAsync(by, merchantId, id, new UpdateProviderAccountRequest
            {
                Description = form.Description?.Trim() ?? string.Empty,
                Credentials = Given(form.Credentials, schema.Credentials),
                Settings = settings,
            }, ct).ConfigureAwait(false);
        }, ct);
    }

    /// <summary>Disables (never routed to again; its payments keep being served) or enables an account.</summary>
    public Task<ProviderAccountResource> SetAccountDisabledAsync(ConsoleCaller caller, string merchantId, string id, bool disabled, CancellationToken ct) =>
        ChangeAsync(caller, ConsolePermission.ManageProviderAccounts, AdminAudit.ProviderAccountUpdated, merchantId, AccountTarget, id,
            by => accounts.UpdateAsync(by, merchantId, id, new UpdateProviderAccountRequest { Disabled = disabled }, ct), ct);

    /// <summary>Deletes an account no rule uses (a rule that does is named in the refusal).</summary>
    public Task<DeletedResource> DeleteAccountAsync(ConsoleCaller caller, string merchantId, string id, CancellationToken ct) =>
        ChangeAsync(caller, ConsolePermission.ManageProviderAccounts, AdminAudit.ProviderAccountDeleted, merchantId, AccountTarget, id, async by =>
        {
            try
            {
                return await accounts.DeleteAsync(by, merchantId, id, ct).ConfigureAwait(false);
            }
            catch (GatewayException e) when (e.Kind == ErrorKind.InvalidRequest && e.Param == "id")
            {
                throw new ConsoleValidationException("Delete", e.Message);
            }
        }, ct);

    // ------------------------------------------------------------------------------------------------ routing rules

    /// <summary>The rules of a mode in evaluation order (ascending priority).</summary>
    public async Task<IReadOnlyList<RoutingRuleResource>> ListRulesAsync(ConsoleCaller caller, string merchantId, bool livemode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ManageRouting, merchantId);
        return (await rules.ListAsync(merchantId, livemode, ct).ConfigureAwait(false)).Data;
    }

    public async Task<RoutingRuleResource> GetRuleAsync(ConsoleCaller caller, string merchantId, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ManageRouting, merchantId);
        return await rules.GetAsync(merchantId, id, ct).ConfigureAwait(false);
    }

    /// <summary>The accounts a rule of this mode may target (for the form's choices), with the routing permission.</summary>
    public async Task<IReadOnlyList<ProviderAccountResource>> TargetChoicesAsync(ConsoleCaller caller, string merchantId, bool livemode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ManageRouting, merchantId);
        return (await accounts.ListAsync(merchantId, ct).ConfigureAwait(false)).Data.Where(a => a.Livemode == livemode).ToList();
    }

    public Task<RoutingRuleResource> CreateRuleAsync(ConsoleCaller caller, string merchantId, bool livemode, ConsoleRoutingRuleForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        return ChangeAsync(caller, ConsolePermission.ManageRouting, AdminAudit.RoutingRuleCreated, merchantId, RuleTarget, null, by =>
        {
            var (priority, conditions, targets, rows) = ParseRule(form);
            return RuleFieldErrors(rows, () => rules.CreateAsync(by, merchantId, new CreateRoutingRuleRequest
            {
                Livemode = livemode,
                Priority = priority,
                Description = Blank(form.Description),
                Conditions = conditions,
                Targets = targets,
            }, reservedId: null, ct));
        }, ct);
    }

    public Task<RoutingRuleResource> UpdateRuleAsync(ConsoleCaller caller, string merchantId, string id, ConsoleRoutingRuleForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        return ChangeAsync(caller, ConsolePermission.ManageRouting, AdminAudit.RoutingRuleUpdated, merchantId, RuleTarget, id, by =>
        {
            var (priority, conditions, targets, rows) = ParseRule(form);
            return RuleFieldErrors(rows, () => rules.UpdateAsync(by, merchantId, id, new UpdateRoutingRuleRequest
            {
                Priority = priority,
                Description = form.Description?.Trim() ?? string.Empty,
                Conditions = conditions,
                Targets = targets,
            }, ct));
        }, ct);
    }

    public Task<DeletedResource> DeleteRuleAsync(ConsoleCaller caller, string merchantId, string id, CancellationToken ct) =>
        ChangeAsync(caller, ConsolePermission.ManageRouting, AdminAudit.RoutingRuleDeleted, merchantId, RuleTarget, id,
            by => rules.DeleteAsync(by, merchantId, id, ct), ct);

    /// <summary>A rule as the form shows it (lists joined by commas, targets as rows, at least <see cref="TargetRows"/>).</summary>
    public static ConsoleRoutingRuleForm FormOf(RoutingRuleResource? rule)
    {
        static string? Join(List<string>? values) => values is null ? null : string.Join(", ", values);
        var form = rule is null ? new ConsoleRoutingRuleForm() : new ConsoleRoutingRuleForm
        {
            Priority = rule.Priority.ToString(CultureInfo.InvariantCulture),
            Description = rule.Description,
            Currencies = Join(rule.Conditions.Currencies),
            AmountGte = rule.Conditions.AmountGte?.ToString(CultureInfo.InvariantCulture),
            AmountLte = rule.Conditions.AmountLte?.ToString(CultureInfo.InvariantCulture),
            CardBrands = Join(rule.Conditions.CardBrands),
            PaymentMethodTypes = Join(rule.Conditions.PaymentMethodTypes),
            Countries = Join(rule.Conditions.Countries),
            Targets = rule.Targets.Select(t => new ConsoleRoutingTargetForm { Account = t.ProviderAccount, Weight = t.EffectiveWeight.ToString(CultureInfo.InvariantCulture) }).ToList(),
        };
        return PadTargets(form);
    }

    /// <summary>Adds empty target rows up to <see cref="TargetRows"/> (and one spare below the filled ones).</summary>
    public static ConsoleRoutingRuleForm PadTargets(ConsoleRoutingRuleForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var want = Math.Max(TargetRows, form.Targets.Count(t => !string.IsNullOrWhiteSpace(t.Account)) + 1);
        while (form.Targets.Count < want)
        {
            form.Targets.Add(new ConsoleRoutingTargetForm());
        }

        return form;
    }

    // ------------------------------------------------------------------------------------------------ tester

    /// <summary>
    /// Which account a payment like the form's would go to, and why: the router's own plan and trace over the merchant's
    /// rules and accounts as stored now, with each candidate's circuit on this node. Reads only; writes nothing.
    /// </summary>
    public async Task<ConsoleRouteTest> TestRouteAsync(ConsoleCaller caller, string merchantId, bool livemode, ConsoleRouteTestForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(form);
        caller.Demand(ConsolePermission.ManageRouting, merchantId);
        var (payment, method, requested) = SamplePayment(merchantId, livemode, form);
        var ruleList = await routing.ListRoutingRulesAsync(merchantId, livemode, ct).ConfigureAwait(false);
        var accountList = await routing.ListProviderAccountsAsync(merchantId, ct).ConfigureAwait(false);
        var trace = new RoutingTrace();
        RoutingPlan? plan = null;
        GatewayException? refusal = null;
        string? unrouted = null;
        try
        {
            plan = PaymentRouter.Plan(ruleList, accountList, payment, method, requested, providers, trace);
            if (plan is null && payment.PaymentMethodType is null)
            {
                // Not routed: the gateway's default choice, as a card payment of this mode would get it (CardPayments).
                unrouted = providers.Choose(livemode, requested, payment.Currency);
            }
        }
        catch (GatewayException e) when (e.Kind is ErrorKind.Unprocessable or ErrorKind.InvalidRequest)
        {
            refusal = e;
        }

        return new ConsoleRouteTest(payment, plan, trace, refusal, unrouted,
            accountList.ToDictionary(a => a.Id, StringComparer.Ordinal),
            accountList.ToDictionary(a => a.Id, a => CircuitOf(a.Id), StringComparer.Ordinal));
    }

    /// <summary>Whether a circuit state means a call fails at once without being sent.</summary>
    public static bool IsOpen(string? circuit) => circuit is "open" or "isolated";

    private (Payment Payment, StoredPaymentMethod? Method, string? Requested) SamplePayment(string merchantId, bool livemode, ConsoleRouteTestForm form)
    {
        var currencyText = form.Currency?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(currencyText) || !PaymentGateway.Providers.Currency.TryFind(currencyText, out var currency) || currency.Code != currencyText)
        {
            throw new ConsoleValidationException("Currency", "Enter a three-letter currency code, like EUR.");
        }

        if (string.IsNullOrWhiteSpace(form.Amount))
        {
            throw new ConsoleValidationException("Amount", "Enter the amount, like 12.50.");
        }

        long amount;
        try
        {
            amount = ConsolePaymentService.ParseAmount(form.Amount, currency.Code, 0);
        }
        catch (OverflowException)
        {
            throw new ConsoleValidationException("Amount", "This amount is too large.");
        }

        var type = form.MethodType?.Trim();
        if (type is not (PaymentMethodTypes.Card or PaymentMethodTypes.BankTransfer))
        {
            throw new ConsoleValidationException("MethodType", "Choose card or bank_transfer.");
        }

        var brand = form.CardBrand?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(brand) && (type != PaymentMethodTypes.Card || brand.Length > 32 || !brand.All(c => char.IsAsciiLetterLower(c) || c == '_')))
        {
            throw new ConsoleValidationException("CardBrand", type != PaymentMethodTypes.Card ? "Only a card has a brand; leave it blank." : "Enter a brand as the API shows it, like visa or mastercard.");
        }

        var country = form.Country?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(country) && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            throw new ConsoleValidationException("Country", "Enter a two-letter country code (ISO 3166-1), like DE.");
        }

        var requested = form.Provider?.Trim();
        if (!string.IsNullOrEmpty(requested) && !providers.IsRegistered(requested))
        {
            throw new ConsoleValidationException("Provider", $"Choose one of {string.Join(", ", Providers().Select(p => p.Provider))}, or none.");
        }

        var id = form.PaymentId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            id = SamplePaymentId;
        }
        else if (!id.StartsWith("pay_", StringComparison.Ordinal) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ConsoleValidationException("PaymentId", "Enter a payment id like pay_… (letters, digits and _), or leave it blank.");
        }

        var now = time.GetUtcNow();
        var payment = new Payment
        {
            Id = id,
            MerchantId = merchantId,
            Livemode = livemode,
            Amount = amount,
            Currency = currency.Code,
            PaymentMethodType = type == PaymentMethodTypes.Card ? null : type,
            Metadata = string.IsNullOrEmpty(country) ? [] : new Dictionary<string, string>(StringComparer.Ordinal) { ["country"] = country },
            Created = now,
            Updated = now,
        };
        var method = type != PaymentMethodTypes.Card ? null : new StoredPaymentMethod
        {
            Id = "pm_routing_tester",
            MerchantId = merchantId,
            Livemode = livemode,
            Type = PaymentMethodTypes.Card,
            Card = string.IsNullOrEmpty(brand) ? null : new StoredCard { Brand = brand, Last4 = "0000", ExpMonth = 12, ExpYear = now.Year + 1, Fingerprint = "routing_tester" },
        };
        return (payment, method, string.IsNullOrEmpty(requested) ? null : requested);
    }

    // ------------------------------------------------------------------------------------------------ shared

    private string CircuitOf(string accountId) => circuits.StateOf(accountId).ToString().ToLowerInvariant();

    private static (int Priority, RoutingConditions Conditions, List<RoutingTarget> Targets, List<int> Rows) ParseRule(ConsoleRoutingRuleForm form)
    {
        if (!int.TryParse(form.Priority?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var priority))
        {
            throw new ConsoleValidationException("Priority", "Enter the priority as a whole number from 0 to 1000000 (lower is tried first).");
        }

        static long? Amount(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ConsoleValidationException(field, "Enter a whole number of minor units (1250 for 12.50 EUR), or leave it blank.");
        }

        static List<string>? List(string? text, bool upper)
        {
            var values = (text ?? string.Empty).Split([',', ' ', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => upper ? v.ToUpperInvariant() : v.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
            return values.Count == 0 ? null : values;
        }

        var conditions = new RoutingConditions
        {
            Currencies = List(form.Currencies, upper: true),
            AmountGte = Amount(form.AmountGte, "AmountGte"),
            AmountLte = Amount(form.AmountLte, "AmountLte"),
            CardBrands = List(form.CardBrands, upper: false),
            PaymentMethodTypes = List(form.PaymentMethodTypes, upper: false),
            Countries = List(form.Countries, upper: true),
        };
        var targets = new List<RoutingTarget>();
        var rows = new List<int>();
        for (var i = 0; i < form.Targets.Count; i++)
        {
            var row = form.Targets[i];
            if (string.IsNullOrWhiteSpace(row.Account))
            {
                if (!string.IsNullOrWhiteSpace(row.Weight))
                {
                    throw new ConsoleValidationException($"Targets[{i}].Account", "Choose the provider account this weight is for.");
                }

                continue;
            }

            int? weight = null;
            if (!string.IsNullOrWhiteSpace(row.Weight))
            {
                weight = int.TryParse(row.Weight.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var w)
                    ? w
                    : throw new ConsoleValidationException($"Targets[{i}].Weight", "Enter a whole number from 1 to 1000, or leave it blank for 1.");
            }

            targets.Add(new RoutingTarget { ProviderAccount = row.Account.Trim(), Weight = weight });
            rows.Add(i);
        }

        if (targets.Count == 0)
        {
            throw new ConsoleValidationException("Targets[0].Account", "Choose at least one provider account to send the payments to.");
        }

        return (priority, conditions, targets, rows);
    }

    /// <summary>The API's refusal of a rule field, shown beside the form's field (targets by their row).</summary>
    private static async Task<T> RuleFieldErrors<T>(List<int> rows, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Param is { } param && param != "id" && e.Kind is ErrorKind.InvalidRequest or ErrorKind.Unprocessable or ErrorKind.NotFound)
        {
            var field = param switch
            {
                "priority" => "Priority",
                "description" => "Description",
                "targets" => "Targets[0].Account",
                "conditions[currencies]" => "Currencies",
                "conditions[amount_gte]" => "AmountGte",
                "conditions[amount_lte]" => "AmountLte",
                "conditions[card_brands]" => "CardBrands",
                "conditions[payment_method_types]" => "PaymentMethodTypes",
                "conditions[countries]" => "Countries",
                _ when param.StartsWith("targets[", StringComparison.Ordinal)
                    && int.TryParse(param.AsSpan(8, param.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < rows.Count
                    => $"Targets[{rows[index]}].{(e.Message.Contains(".weight", StringComparison.Ordinal) ? "Weight" : "Account")}",
                _ => param,
            };
            throw new ConsoleRefusalException(field, e.Message, e.Code);
        }
    }

    /// <summary>
    /// Runs a change as the caller: the role that allows <paramref name="permission"/> on the merchant or a refusal
    /// (audited, 403); then the API's service with the caller as the actor (it audits the change in its own
    /// transaction). A refused field or an API refusal is audited as refused (reason and field only) and shown.
    /// </summary>
    private async Task<T> ChangeAsync<T>(ConsoleCaller caller, ConsolePermission permission, string action, string merchantId, string targetType, string? targetId,
        Func<AuditSource, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var role = await caller.DemandAuditedAsync(permission, merchantId,
            () => RefusedAsync(caller, null, action, merchantId, targetType, targetId, "role", null)).ConfigureAwait(false);

        try
        {
            return await work(new AuditSource(caller.Actor(role), caller.Context)).ConfigureAwait(false);
        }
        catch (ConsoleRefusalException refused)
        {
            await RefusedAsync(caller, role, action, merchantId, targetType, targetId, refused.Code, refused.Field).ConfigureAwait(false);
            throw;
        }
        catch (ConsoleValidationException invalid)
        {
            await RefusedAsync(caller, role, action, merchantId, targetType, targetId, "invalid_input", invalid.Field).ConfigureAwait(false);
            throw;
        }
        catch (GatewayException e) when (e.Param is { } param && param != "id" && e.Kind is ErrorKind.InvalidRequest or ErrorKind.Unprocessable)
        {
            var field = AccountField(param);
            await RefusedAsync(caller, role, action, merchantId, targetType, targetId, e.Code, field).ConfigureAwait(false);
            throw new ConsoleValidationException(field, e.Message);
        }
        catch (GatewayException e)
        {
            await RefusedAsync(caller, role, action, merchantId, targetType, targetId,
                e.Kind == ErrorKind.NotFound ? "not_found_or_other_merchant" : e.Code, null).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The provider account form's field for an API parameter (<c>credentials[api_key]</c> → <c>Credentials[api_key]</c>).</summary>
    private static string AccountField(string param) => param switch
    {
        "provider" => "Provider",
        "livemode" => "Mode",
        "description" => "Description",
        _ when param.StartsWith("credentials[", StringComparison.Ordinal) => "Credentials" + param["credentials".Length..],
        _ when param.StartsWith("settings[", StringComparison.Ordinal) => "Settings" + param["settings".Length..],
        _ => param,
    };

    private async Task RefusedAsync(ConsoleCaller caller, ConsoleRole? role, string action, string merchantId, string targetType, string? targetId, string reason, string? field)
    {
        var after = new Dictionary<string, string?>(StringComparer.Ordinal) { ["reason"] = reason };
        if (field is not null)
        {
            after["field"] = field.Length > 80 ? field[..80] : field;
        }

        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(new AuditRecord
        {
            Created = time.GetUtcNow(),
            Action = action,
            Outcome = AuditOutcomes.Refused,
            Actor = caller.Actor(role),
            MerchantId = merchantId,
            TargetType = targetType,
            TargetId = targetId,
            After = after,
            Context = caller.Context,
        });
        await consoleStore.CommitAsync(changes, CancellationToken.None).ConfigureAwait(false);
    }

    private static bool ParseMode(string? mode) => mode?.Trim() switch
    {
        "live" => true,
        "test" => false,
        _ => throw new ConsoleValidationException("Mode", "Choose test or live."),
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The values typed for the schema's names (blank ones left out), trimmed.</summary>
    private static Dictionary<string, string> Given(Dictionary<string, string?> typed, IEnumerable<string> names) =>
        names.Where(n => !string.IsNullOrWhiteSpace(typed.GetValueOrDefault(n)))
            .ToDictionary(n => n, n => typed[n]!.Trim(), StringComparer.Ordinal);
}

/// <summary>A field refused by the API's service, with its error code (for the audit entry).</summary>
public sealed class ConsoleRefusalException(string field, string message, string code) : ConsoleValidationException(field, message)
{
    public string Code { get; } = code;
}
