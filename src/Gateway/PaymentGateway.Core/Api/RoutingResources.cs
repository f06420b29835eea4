using System.Text.Json;
using System.Text.Json.Serialization;
using PaymentGateway.Core.Routing;

namespace PaymentGateway.Core.Api;

/// <summary>A provider account as the admin API shows it: credentials only as masked hints, never their values.</summary>
public sealed record ProviderAccountResource
{
    public required string Id { get; init; }
    public string Object { get; init; } = "provider_account";
    public required string Merchant { get; init; }
    public required string Provider { get; init; }
    public required bool Livemode { get; init; }
    public required string Status { get; init; }
    public string? Description { get; init; }

    /// <summary>Credential name to a masked hint (<c>••••abcd</c>).</summary>
    public required Dictionary<string, string> Credentials { get; init; }

    public required Dictionary<string, string> Settings { get; init; }

    /// <summary>The inbound webhook path to register at the provider (prefix it with the gateway's public base URL).</summary>
    public required string WebhookPath { get; init; }

    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

public sealed class CreateProviderAccountRequest
{
    public string? Provider { get; set; }
    public bool? Livemode { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, string>? Credentials { get; set; }
    public Dictionary<string, string>? Settings { get; set; }
}

/// <summary>Update: credentials given replace those names (rotation); settings given are merged (an empty value removes one).</summary>
public sealed class UpdateProviderAccountRequest
{
    public string? Description { get; set; }
    public bool? Disabled { get; set; }
    public Dictionary<string, string>? Credentials { get; set; }
    public Dictionary<string, string>? Settings { get; set; }
}

public sealed record RoutingRuleResource
{
    public required string Id { get; init; }
    public string Object { get; init; } = "routing_rule";
    public required string Merchant { get; init; }
    public required bool Livemode { get; init; }
    public required int Priority { get; init; }
    public string? Description { get; init; }
    public required RoutingConditions Conditions { get; init; }
    public required List<RoutingTarget> Targets { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

public sealed class CreateRoutingRuleRequest
{
    public bool? Livemode { get; set; }
    public int? Priority { get; set; }
    public string? Description { get; set; }
    public RoutingConditions? Conditions { get; set; }
    public List<RoutingTarget>? Targets { get; set; }
}

public sealed class UpdateRoutingRuleRequest
{
    public int? Priority { get; set; }
    public string? Description { get; set; }
    public RoutingConditions? Conditions { get; set; }
    public List<RoutingTarget>? Targets { get; set; }
}

/// <summary>JSON for the provider account and routing rule admin API, with the API's settings (<see cref="ApiJson.Options"/>).</summary>
[JsonSerializable(typeof(ProviderAccountResource))]
[JsonSerializable(typeof(ListResource<ProviderAccountResource>))]
[JsonSerializable(typeof(CreateProviderAccountRequest))]
[JsonSerializable(typeof(UpdateProviderAccountRequest))]
[JsonSerializable(typeof(RoutingRuleResource))]
[JsonSerializable(typeof(ListResource<RoutingRuleResource>))]
[JsonSerializable(typeof(CreateRoutingRuleRequest))]
[JsonSerializable(typeof(UpdateRoutingRuleRequest))]
[JsonSerializable(typeof(DeletedResource))]
[JsonSerializable(typeof(Payments.AttemptStatus))]
public sealed partial class RoutingApiJsonContext : JsonSerializerContext
{
    public static RoutingApiJsonContext Api { get; } = new(new JsonSerializerOptions(ApiJson.Options) { TypeInfoResolver = null });
}

/// <summary>The routing explanation on a payment.</summary>
public sealed record PaymentRoutingResource
{
    /// <summary>The routing rule that matched.</summary>
    public string? RuleId { get; init; }

    /// <summary>The provider account chosen first (the rule's weighted pick).</summary>
    public string? ProviderAccount { get; init; }

    /// <summary>Every candidate account in the order they are tried on failover.</summary>
    public required IReadOnlyList<string> Candidates { get; init; }

    /// <summary>The attempts, oldest first: which account each went to and how it ended.</summary>
    public required IReadOnlyList<PaymentRoutingAttemptResource> Attempts { get; init; }
}

/// <summary>One attempt of a routed payment.</summary>
public sealed record PaymentRoutingAttemptResource
{
    public required string Id { get; init; }
    public required string Provider { get; init; }
    public string? ProviderAccount { get; init; }

    /// <summary>started, requires_action, unknown, authorized, captured, declined or failed (failed: the provider did not take it).</summary>
    public required string Status { get; init; }
}

internal static class RoutingResources
{
    public static PaymentRoutingResource? ToRoutingResource(Payments.Payment p) => p.Routing is not { } routing ? null : new PaymentRoutingResource
    {
        RuleId = routing.RuleId,
        ProviderAccount = routing.ProviderAccount,
        Candidates = routing.Candidates,
        Attempts = p.Attempts.Select(a => new PaymentRoutingAttemptResource
        {
            Id = a.Id,
            Provider = a.Provider,
            ProviderAccount = a.ProviderAccountId,
            Status = JsonSerializer.Serialize(a.Status, RoutingApiJsonContext.Api.AttemptStatus).Trim('"'),
        }).ToList(),
    };
}
