using System.Text.Json.Serialization;
using PaymentGateway.Core.Audit;

namespace PaymentGateway.Core.Api;

/// <summary>An audit entry on the admin API (<c>GET /v1/audit_entries</c>).</summary>
public sealed record AuditEntryResource
{
    public string Object => "audit_entry";
    public required string Id { get; init; }
    public required long Sequence { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required string Action { get; init; }
    public required string Outcome { get; init; }
    public required AuditActorResource Actor { get; init; }
    public string? MerchantId { get; init; }
    public string? TargetType { get; init; }
    public string? TargetId { get; init; }
    public IReadOnlyDictionary<string, string?>? Before { get; init; }
    public IReadOnlyDictionary<string, string?>? After { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? RequestId { get; init; }

    /// <summary>The previous entry's hash; the chain starts from 64 zeros.</summary>
    public required string PreviousHash { get; init; }

    /// <summary>SHA-256 over the previous hash and this entry's canonical text.</summary>
    public required string Hash { get; init; }

    public static AuditEntryResource From(AuditEntry entry)
    {
        var r = entry.Record;
        return new AuditEntryResource
        {
            Id = r.Id,
            Sequence = entry.Sequence,
            Created = r.Created,
            Action = r.Action,
            Outcome = r.Outcome,
            Actor = new AuditActorResource { Type = AuditChain.ActorType(r.Actor.Type), Id = r.Actor.Id, Email = r.Actor.Email, Role = r.Actor.Role },
            MerchantId = r.MerchantId,
            TargetType = r.TargetType,
            TargetId = r.TargetId,
            Before = r.Before,
            After = r.After,
            Ip = r.Context.Ip,
            UserAgent = r.Context.UserAgent,
            RequestId = r.Context.RequestId,
            PreviousHash = entry.PreviousHash,
            Hash = entry.Hash,
        };
    }
}

public sealed record AuditActorResource
{
    /// <summary><c>user</c>, <c>admin_key</c>, <c>system</c> or <c>anonymous</c>.</summary>
    public required string Type { get; init; }
    public string? Id { get; init; }
    public string? Email { get; init; }
    public string? Role { get; init; }
}

/// <summary>The audit list's JSON: the API's naming and timestamp format.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(ListResource<AuditEntryResource>))]
public sealed partial class AuditJsonContext : JsonSerializerContext;
