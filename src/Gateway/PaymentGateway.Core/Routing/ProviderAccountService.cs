using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Routing;

/// <summary>
/// Provider accounts per merchant (admin API). Credentials are validated per provider, encrypted with the vault's
/// envelope encryption (per-credential data key wrapped by the active key; account id and credential name bound as
/// associated data) and never returned: responses carry a masked hint only. Every change is audited in its transaction,
/// credentials by name only.
/// </summary>
public sealed class ProviderAccountService(IMerchantStore merchantStore, IRoutingStore routingStore, CardVault vault, ProviderRegistry providers, TimeProvider time)
{
    public const string IdPrefix = "pa";
    private const int MaxValueLength = 2048;

    /// <summary>What each provider needs: required and optional credential names, required and optional settings.</summary>
    internal static readonly IReadOnlyDictionary<string, ProviderSchema> Schemas = new Dictionary<string, ProviderSchema>(StringComparer.Ordinal)
    {
        ["stripe"] = new(["api_key"], ["webhook_secret"], [], ["base_url", "return_url", "raw_card_data_enabled"], Prefixes: new() { ["api_key"] = ["sk_", "rk_"], ["webhook_secret"] = ["whsec_"] }),
        ["adyen"] = new(["api_key"], ["hmac_key"], ["merchant_account"], ["base_url", "return_url", "live_url_prefix", "disputes_base_url"], Hex: ["hmac_key"]),
        ["checkoutcom"] = new(["secret_key"], ["webhook_secret"], [], ["base_url", "return_url", "processing_channel_id", "url_prefix", "three_ds"], Prefixes: new() { ["secret_key"] = ["sk_"] }),
        ["mollie"] = new(["api_key"], [], [], ["base_url", "return_url", "webhook_url"], Prefixes: new() { ["api_key"] = ["live_", "test_"] }),
        [ProviderRegistry.SimulatorId] = new([], [], [], ["outage"]), // outage=true: the account refuses every request unsent (rehearse failover)
    };

    public async Task<ProviderAccountResource> CreateAsync(AuditSource by, string merchantId, CreateProviderAccountRequest request, string? reservedId, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        var id = reservedId is null ? Ids.New(IdPrefix) : $"{IdPrefix}_{reservedId}";
        if (reservedId is not null && await routingStore.GetProviderAccountAsync(id, ct).ConfigureAwait(false) is { } existing && existing.MerchantId == merchantId)
        {
            return existing.ToResource();
        }

        var providerId = request.Provider ?? throw GatewayException.Missing("provider");
        if (!Schemas.TryGetValue(providerId, out var schema) || !providers.IsRegistered(providerId))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                $"provider must be one of {string.Join(", ", Schemas.Keys.Where(providers.IsRegistered))}.", "provider");
        }

        var livemode = request.Livemode ?? throw GatewayException.Missing("livemode");
        if (livemode && providerId == ProviderRegistry.SimulatorId)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "The simulator cannot be a live-mode provider account.", "livemode");
        }

        RequestValidation.Text(request.Description, "description", 500);
        var credentials = request.Credentials ?? [];
        var settings = request.Settings ?? [];
        schema.Validate(credentials, settings, requireAll: true);
        ValidateWithAdapter(providerId, id, livemode, credentials.ToDictionary(c => c.Key, c => new Secret(c.Value), StringComparer.Ordinal), settings);
        var now = time.GetUtcNow();
        var account = new ProviderAccountRecord
        {
            Id = id,
            MerchantId = merchantId,
            Livemode = livemode,
            ProviderId = providerId,
            Description = request.Description,
            Settings = new Dictionary<string, string>(settings, StringComparer.Ordinal),
            Created = now,
            Updated = now,
        };
        foreach (var (name, value) in credentials)
        {
            SetCredential(account, name, value);
        }

        var audit = AdminAudit.Record(by, now, AdminAudit.ProviderAccountCreated, merchantId, "provider_account", id, null, AdminAudit.Summary(account));
        await routingStore.CreateProviderAccountAsync(account, audit, ct).ConfigureAwait(false);
        return account.ToResource();
    }

    public async Task<ProviderAccountResource> GetAsync(string merchantId, string id, CancellationToken ct) =>
        (await LoadAsync(merchantId, id, ct).ConfigureAwait(false)).ToResource();

    public async Task<ListResource<ProviderAccountResource>> ListAsync(string merchantId, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        var accounts = await routingStore.ListProviderAccountsAsync(merchantId, ct).ConfigureAwait(false);
        return new ListResource<ProviderAccountResource> { Data = accounts.Select(a => a.ToResource()).ToList(), HasMore = false };
    }

    public async Task<ProviderAccountResource> UpdateAsync(AuditSource by, string merchantId, string id, UpdateProviderAccountRequest request, CancellationToken ct)
    {
        var account = await LoadAsync(merchantId, id, ct).ConfigureAwait(false);
        var before = AdminAudit.Summary(account);
        var schema = Schemas[account.ProviderId];
        RequestValidation.Text(request.Description, "description", 500);
        var settings = new Dictionary<string, string>(account.Settings, StringComparer.Ordinal);
        foreach (var (name, value) in request.Settings ?? [])
        {
            if (value.Length == 0)
            {
                settings.Remove(name);
            }
            else
            {
                settings[name] = value;
            }
        }

        var credentials = request.Credentials ?? [];
        schema.Validate(credentials, settings, requireAll: false);
        schema.RequireSettings(settings);
        var known = Open(account).Credentials.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        foreach (var (name, value) in credentials)
        {
            known[name] = new Secret(value);
        }

        ValidateWithAdapter(account.ProviderId, account.Id, account.Livemode, known, settings);
        account.Settings = settings;
        foreach (var (name, value) in credentials)
        {
            SetCredential(account, name, value);
        }

        if (request.Description is not null)
        {
            account.Description = request.Description;
        }

        if (request.Disabled is { } disabled)
        {
            account.Status = disabled ? "disabled" : "enabled";
        }

        account.Updated = time.GetUtcNow();
        var after = AdminAudit.Summary(account);
        if (credentials.Count > 0)
        {
            after["credentials_replaced"] = string.Join(", ", credentials.Keys.Order(StringComparer.Ordinal));
        }

        var audit = AdminAudit.Record(by, account.Updated, AdminAudit.ProviderAccountUpdated, merchantId, "provider_account", id, before, after);
        try
        {
            await routingStore.UpdateProviderAccountAsync(account, audit, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, $"Provider account {id} was changed by a concurrent request; retrieve it and try again.");
        }

        return account.ToResource();
    }

    public async Task<DeletedResource> DeleteAsync(AuditSource by, string merchantId, string id, CancellationToken ct)
    {
        var account = await LoadAsync(merchantId, id, ct).ConfigureAwait(false);
        var rules = await routingStore.ListRoutingRulesAsync(merchantId, livemode: true, ct).ConfigureAwait(false);
        var testRules = await routingStore.ListRoutingRulesAsync(merchantId, livemode: false, ct).ConfigureAwait(false);
        if (rules.Concat(testRules).FirstOrDefault(r => r.Targets.Any(t => t.ProviderAccount == id)) is { } rule)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Routing rule {rule.Id} still sends traffic to this account; change or delete it first.", "id");
        }

        var audit = AdminAudit.Record(by, time.GetUtcNow(), AdminAudit.ProviderAccountDeleted, merchantId, "provider_account", id, AdminAudit.Summary(account), null);
        if (!await routingStore.DeleteProviderAccountAsync(merchantId, id, audit, ct).ConfigureAwait(false))
        {
            throw GatewayException.NotFound("provider_account", id);
        }

        return new DeletedResource { Id = id, Object = "provider_account" };
    }

    /// <summary>The account with its credentials decrypted, for one provider call.</summary>
    public ProviderAccount Open(ProviderAccountRecord record) => new()
    {
        Id = record.Id,
        ProviderId = record.ProviderId,
        Livemode = record.Livemode,
        Credentials = record.EncryptedCredentials.ToDictionary(
            c => c.Key, c => new Secret(vault.Decrypt(ProviderAccountRecord.VaultRecordId(record.Id, c.Key), c.Value)), StringComparer.Ordinal),
        Settings = record.Settings,
    };

    /// <summary>The adapter's own rules for an account (<see cref="IProviderAccountValidation"/>: key mode, live endpoint settings, documented values).</summary>
    private void ValidateWithAdapter(string providerId, string id, bool livemode, Dictionary<string, Secret> credentials, Dictionary<string, string> settings)
    {
        if (providers.Get(providerId) is not IProviderAccountValidation rules)
        {
            return;
        }

        var problem = rules.ValidateAccount(new ProviderAccount { Id = id, ProviderId = providerId, Livemode = livemode, Credentials = credentials, Settings = settings });
        if (problem is not null)
        {
            throw problem.Missing
                ? new GatewayException(ErrorKind.InvalidRequest, ErrorCodes.ParameterMissing, problem.Message, problem.Parameter)
                : GatewayException.Invalid(ErrorCodes.ParameterInvalid, problem.Message, problem.Parameter);
        }
    }

    private void SetCredential(ProviderAccountRecord account, string name, string value)
    {
        account.EncryptedCredentials[name] = vault.Encrypt(ProviderAccountRecord.VaultRecordId(account.Id, name), value);
        account.CredentialHints[name] = "••••" + (value.Length >= 12 ? value[^4..] : string.Empty);
    }

    private async Task<ProviderAccountRecord> LoadAsync(string merchantId, string id, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        var account = await routingStore.GetProviderAccountAsync(id, ct).ConfigureAwait(false);
        return account is not null && account.MerchantId == merchantId ? account : throw GatewayException.NotFound("provider_account", id);
    }

    private async Task RequireMerchantAsync(string merchantId, CancellationToken ct)
    {
        if (await merchantStore.GetMerchantAsync(merchantId, ct).ConfigureAwait(false) is null)
        {
            throw GatewayException.NotFound("merchant", merchantId);
        }
    }

    internal sealed record ProviderSchema(
        string[] RequiredCredentials,
        string[] OptionalCredentials,
        string[] RequiredSettings,
        string[] OptionalSettings,
        Dictionary<string, string[]>? Prefixes = null,
        string[]? Hex = null)
    {
        public void Validate(Dictionary<string, string> credentials, Dictionary<string, string> settings, bool requireAll)
        {
            foreach (var (name, value) in credentials)
            {
                var param = $"credentials[{Short(name)}]";
                if (!RequiredCredentials.Contains(name) && !OptionalCredentials.Contains(name))
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                        $"Unknown credential '{Short(name)}'; this provider takes {Describe(RequiredCredentials, OptionalCredentials)}.", param);
                }

                if (string.IsNullOrWhiteSpace(value) || value.Length > MaxValueLength || value.Any(char.IsWhiteSpace))
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} must be a non-empty value without spaces.", param);
                }

                if (Prefixes?.TryGetValue(name, out var prefixes) == true && !prefixes.Any(p => value.StartsWith(p, StringComparison.Ordinal)))
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} must start with {string.Join(" or ", prefixes)}.", param);
                }

                if (Hex?.Contains(name) == true && (value.Length % 2 != 0 || !value.All(Uri.IsHexDigit)))
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} must be the hexadecimal key the provider shows.", param);
                }
            }

            if (requireAll && RequiredCredentials.FirstOrDefault(r => !credentials.ContainsKey(r)) is { } missing)
            {
                throw GatewayException.Missing($"credentials[{missing}]");
            }

            foreach (var (name, value) in settings)
            {
                var param = $"settings[{Short(name)}]";
                if (!RequiredSettings.Contains(name) && !OptionalSettings.Contains(name))
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                        $"Unknown setting '{Short(name)}'; this provider takes {Describe(RequiredSettings, OptionalSettings)}.", param);
                }

                if (value.Length > MaxValueLength)
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} is too long.", param);
                }

                if (name.EndsWith("_url", StringComparison.Ordinal))
                {
                    RequestValidation.Url(value, param);
                }
            }

            if (requireAll)
            {
                RequireSettings(settings);
            }
        }

        public void RequireSettings(Dictionary<string, string> settings)
        {
            if (RequiredSettings.FirstOrDefault(r => !settings.ContainsKey(r)) is { } missing)
            {
                throw GatewayException.Missing($"settings[{missing}]");
            }
        }

        private static string Describe(string[] required, string[] optional) =>
            required.Length + optional.Length == 0 ? "none" : string.Join(", ", required.Concat(optional));

        private static string Short(string name) => name.Length > 40 ? name[..40] : name;
    }
}

internal static class ProviderAccountMapping
{
    public static ProviderAccountResource ToResource(this ProviderAccountRecord a) => new()
    {
        Id = a.Id,
        Merchant = a.MerchantId,
        Provider = a.ProviderId,
        Livemode = a.Livemode,
        Status = a.Status,
        Description = a.Description,
        Credentials = new Dictionary<string, string>(a.CredentialHints, StringComparer.Ordinal),
        Settings = new Dictionary<string, string>(a.Settings, StringComparer.Ordinal),
        WebhookPath = $"/v1/provider_webhooks/{a.Id}",
        Created = a.Created,
        Updated = a.Updated,
    };
}
