using System.Globalization;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.Audit;

/// <summary>
/// Audit action names and before/after summaries for the admin-API writes (merchants, API keys, provider accounts,
/// routing rules) and a merchant's webhook endpoints. A summary holds plain values only: never a credential, a
/// webhook secret, a key or a hint of one — credentials appear by name, secrets as "rotated".
/// </summary>
public static class AdminAudit
{
    public const string MerchantCreated = "merchant.created";
    public const string ApiKeyCreated = "api_key.created";
    public const string ProviderAccountCreated = "provider_account.created";
    public const string ProviderAccountUpdated = "provider_account.updated";
    public const string ProviderAccountDeleted = "provider_account.deleted";
    public const string RoutingRuleCreated = "routing_rule.created";
    public const string RoutingRuleUpdated = "routing_rule.updated";
    public const string RoutingRuleDeleted = "routing_rule.deleted";
    public const string WebhookEndpointCreated = "webhook_endpoint.created";
    public const string WebhookEndpointUpdated = "webhook_endpoint.updated";
    public const string WebhookEndpointDeleted = "webhook_endpoint.deleted";
    public const string WebhookSecretRotated = "webhook_endpoint.secret_rotated";

    public static AuditRecord Record(AuditSource by, DateTimeOffset now, string action, string merchantId, string targetType, string targetId,
        IReadOnlyDictionary<string, string?>? before, IReadOnlyDictionary<string, string?>? after) => new()
        {
            Created = now,
            Action = action,
            Actor = by.Actor,
            MerchantId = merchantId,
            TargetType = targetType,
            TargetId = targetId,
            Before = before,
            After = after,
            Context = by.Context,
        };

    public static Dictionary<string, string?> Summary(Merchant m) => new(StringComparer.Ordinal) { ["name"] = m.Name };

    public static Dictionary<string, string?> Summary(ApiKeyRecord k) => new(StringComparer.Ordinal)
    {
        ["type"] = k.Kind == ApiKeyKind.Secret ? "secret" : "publishable",
        ["livemode"] = Bool(k.Livemode),
    };

    /// <summary>Provider, mode, status, description, settings, and the credential names (their values never).</summary>
    public static Dictionary<string, string?> Summary(ProviderAccountRecord a)
    {
        var summary = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["provider"] = a.ProviderId,
            ["livemode"] = Bool(a.Livemode),
            ["status"] = a.Status,
            ["description"] = a.Description,
            ["credentials"] = string.Join(", ", a.EncryptedCredentials.Keys.Order(StringComparer.Ordinal)),
        };
        foreach (var (name, value) in a.Settings)
        {
            summary["settings." + name] = value;
        }

        return summary;
    }

    public static Dictionary<string, string?> Summary(RoutingRule r)
    {
        var c = r.Conditions;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["livemode"] = Bool(r.Livemode),
            ["priority"] = r.Priority.ToString(CultureInfo.InvariantCulture),
            ["description"] = r.Description,
            ["conditions.currencies"] = List(c.Currencies),
            ["conditions.amount_gte"] = c.AmountGte?.ToString(CultureInfo.InvariantCulture),
            ["conditions.amount_lte"] = c.AmountLte?.ToString(CultureInfo.InvariantCulture),
            ["conditions.card_brands"] = List(c.CardBrands),
            ["conditions.payment_method_types"] = List(c.PaymentMethodTypes),
            ["conditions.countries"] = List(c.Countries),
            ["targets"] = string.Join(", ", r.Targets.Select(t => $"{t.ProviderAccount}:{t.EffectiveWeight.ToString(CultureInfo.InvariantCulture)}")),
        };
    }

    /// <summary>The URL without user info, query or fragment (they may carry tokens), events, status, description; no secret.</summary>
    public static Dictionary<string, string?> Summary(WebhookEndpoint e) => new(StringComparer.Ordinal)
    {
        ["url"] = Uri.TryCreate(e.Url, UriKind.Absolute, out var url) ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : null,
        ["livemode"] = Bool(e.Livemode),
        ["enabled_events"] = string.Join(", ", e.EnabledEvents),
        ["status"] = e.Status.ToWire(),
        ["description"] = e.Description,
    };

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? List(List<string>? values) => values is null ? null : string.Join(", ", values);
}
