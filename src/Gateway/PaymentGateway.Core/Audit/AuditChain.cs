using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PaymentGateway.Core.Audit;

/// <summary>
/// The tamper-evident chain: entry n's hash is SHA-256 over entry n-1's hash and entry n's canonical text, so changing,
/// removing or reordering any stored entry breaks every hash after it. The canonical text is JSON with a fixed field
/// order (summary keys sorted ordinally), written the same way by every engine and by the verifier.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Canonical(long sequence, AuditRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("seq", sequence);
            w.WriteString("id", record.Id);
            w.WriteString("created", record.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("action", record.Action);
            w.WriteString("outcome", record.Outcome);
            w.WriteStartObject("actor");
            w.WriteString("type", ActorType(record.Actor.Type));
            w.WriteString("id", record.Actor.Id);
            w.WriteString("email", record.Actor.Email);
            w.WriteString("role", record.Actor.Role);
            w.WriteEndObject();
            w.WriteString("merchant_id", record.MerchantId);
            w.WriteString("target_type", record.TargetType);
            w.WriteString("target_id", record.TargetId);
            WriteSummary(w, "before", record.Before);
            WriteSummary(w, "after", record.After);
            w.WriteString("ip", record.Context.Ip);
            w.WriteString("user_agent", record.Context.UserAgent);
            w.WriteString("request_id", record.Context.RequestId);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Hash(string previousHash, string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previousHash + "\n" + canonical)));

    /// <summary>Builds the stored entry at <paramref name="sequence"/> after <paramref name="previousHash"/>.</summary>
    public static AuditEntry Link(long sequence, string previousHash, AuditRecord record)
    {
        var canonical = Canonical(sequence, record);
        return new AuditEntry { Sequence = sequence, Record = record, PreviousHash = previousHash, Hash = Hash(previousHash, canonical), Canonical = canonical };
    }

    /// <summary>
    /// The record stamped no earlier than the chain's latest entry: times never decrease along the chain, so a time range
    /// is a range of positions (a record made a moment before a concurrent one that was appended first takes that one's
    /// time). Stores call it under their append lock.
    /// </summary>
    public static AuditRecord NotBefore(AuditRecord record, DateTimeOffset latest) => record.Created < latest ? record with { Created = latest } : record;

    /// <summary>Reads a record back from its canonical text (what the console shows is what the hash covers).</summary>
    public static AuditRecord Parse(string canonical)
    {
        using var doc = JsonDocument.Parse(canonical);
        var root = doc.RootElement;
        var actor = root.GetProperty("actor");
        return new AuditRecord
        {
            Id = Str(root, "id") ?? string.Empty,
            Created = DateTimeOffset.Parse(Str(root, "created") ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Action = Str(root, "action") ?? string.Empty,
            Outcome = Str(root, "outcome") ?? AuditOutcomes.Succeeded,
            Actor = new AuditActor { Type = ParseActorType(Str(actor, "type")), Id = Str(actor, "id"), Email = Str(actor, "email"), Role = Str(actor, "role") },
            MerchantId = Str(root, "merchant_id"),
            TargetType = Str(root, "target_type"),
            TargetId = Str(root, "target_id"),
            Before = Summary(root, "before"),
            After = Summary(root, "after"),
            Context = new AuditContext { Ip = Str(root, "ip"), UserAgent = Str(root, "user_agent"), RequestId = Str(root, "request_id") },
        };
    }

    public static string ActorType(AuditActorType type) => type switch
    {
        AuditActorType.User => "user",
        AuditActorType.AdminKey => "admin_key",
        AuditActorType.System => "system",
        AuditActorType.ApiKey => "api_key",
        _ => "anonymous",
    };

    private static AuditActorType ParseActorType(string? value) => value switch
    {
        "user" => AuditActorType.User,
        "admin_key" => AuditActorType.AdminKey,
        "system" => AuditActorType.System,
        "api_key" => AuditActorType.ApiKey,
        _ => AuditActorType.Anonymous,
    };

    private static void WriteSummary(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string?>? summary)
    {
        if (summary is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        foreach (var (key, value) in summary.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static Dictionary<string, string?>? Summary(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString();
        }

        return result;
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
