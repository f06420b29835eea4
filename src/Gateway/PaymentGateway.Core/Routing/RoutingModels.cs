using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Routing;

/// <summary>
/// A merchant's account at a provider, as stored. Credentials are envelope-encrypted (one vault blob per credential,
/// the record id and credential name bound as associated data); only a masked hint of each is ever shown.
/// </summary>
public sealed class ProviderAccountRecord
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string ProviderId { get; init; }
    public string? Description { get; set; }

    /// <summary>enabled or disabled; a disabled account is never routed to, but keeps serving its existing payments.</summary>
    public string Status { get; set; } = "enabled";

    /// <summary>Credential name to vault ciphertext (<c>v1:{keyId}:…</c>).</summary>
    public Dictionary<string, string> EncryptedCredentials { get; set; } = [];

    /// <summary>Credential name to masked hint (last 4 characters), shown instead of the value.</summary>
    public Dictionary<string, string> CredentialHints { get; set; } = [];

    /// <summary>Non-secret settings (merchant_account, base_url, processing_channel_id, return_url, webhook_url).</summary>
    public Dictionary<string, string> Settings { get; set; } = [];

    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>Optimistic concurrency: the version this copy was read at.</summary>
    [JsonIgnore]
    public long Version { get; set; }

    /// <summary>The vault record id a credential is bound to.</summary>
    public static string VaultRecordId(string accountId, string credentialName) => $"{accountId}/{credentialName}";
}

/// <summary>
/// One routing rule of a merchant: when all its conditions hold for a payment, its targets (provider accounts with
/// weights) are the candidates. Rules are evaluated by ascending priority; a rule without conditions is a default route.
/// </summary>
public sealed class RoutingRule
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public int Priority { get; set; }
    public string? Description { get; set; }
    public RoutingConditions Conditions { get; set; } = new();
    public List<RoutingTarget> Targets { get; set; } = [];
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }

    [JsonIgnore]
    public long Version { get; set; }
}

/// <summary>Conditions of a rule; every one that is set must hold. Lists match any of their values.</summary>
public sealed record RoutingConditions
{
    public List<string>? Currencies { get; init; }
    public long? AmountGte { get; init; }
    public long? AmountLte { get; init; }
    public List<string>? CardBrands { get; init; }
    public List<string>? PaymentMethodTypes { get; init; }

    /// <summary>ISO 3166-1 alpha-2 countries, matched against the payment's <c>metadata.country</c> (the merchant states the buyer's country; the gateway has no BIN-country data).</summary>
    public List<string>? Countries { get; init; }
}

/// <summary>A provider account a rule sends traffic to, with its share among the rule's targets.</summary>
public sealed record RoutingTarget
{
    public required string ProviderAccount { get; init; }

    /// <summary>The share among the rule's targets (1–1000); 1 when omitted.</summary>
    public int? Weight { get; init; }

    [JsonIgnore]
    public int EffectiveWeight => Weight ?? 1;
}

/// <summary>Why a payment went where it went: recorded on the payment.</summary>
public sealed record RoutingDecision
{
    /// <summary>The rule that matched, or null when the payment went to the simulator (test mode, no rules).</summary>
    public string? RuleId { get; init; }

    /// <summary>The account chosen first (the weighted pick).</summary>
    public string? ProviderAccount { get; init; }

    /// <summary>Every candidate in the order they are tried: the weighted pick, then the rule's other targets, then the following matching rules' targets.</summary>
    public List<string> Candidates { get; init; } = [];
}
