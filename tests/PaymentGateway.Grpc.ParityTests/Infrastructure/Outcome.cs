using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PaymentGateway.Grpc.ParityTests.Infrastructure;

/// <summary>
/// What one call produced, in a transport-neutral shape: the REST-equivalent status, the error fields, and the
/// returned object (or the payment carried by an error) flattened to path → value, with ids and times reduced to
/// their shape so two runs of the same scenario compare field by field.
/// </summary>
public sealed record Outcome
{
    public required int Status { get; init; }

    public string? Code { get; init; }

    public string? Param { get; init; }

    public string? DeclineCode { get; init; }

    public bool Replayed { get; init; }

    public bool HasRequestId { get; init; }

    /// <summary>The id of the returned object (raw, for chaining calls); not compared.</summary>
    public string? Id { get; init; }

    /// <summary>The raw ids of a returned list's items; not compared.</summary>
    public IReadOnlyList<string> ListIds { get; init; } = [];

    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    public Outcome EnsureOk()
    {
        if (Status != 200)
        {
            throw new Xunit.Sdk.XunitException($"Expected success but got {Status} {Code} (param {Param}).");
        }

        return this;
    }

    /// <summary>The differences to <paramref name="other"/>, empty when both are the same field by field.</summary>
    public IEnumerable<string> DifferencesTo(Outcome other)
    {
        if (Status != other.Status)
        {
            yield return $"status {Status} vs {other.Status}";
        }

        if (Code != other.Code)
        {
            yield return $"code {Code} vs {other.Code}";
        }

        if (Param != other.Param)
        {
            yield return $"param {Param} vs {other.Param}";
        }

        if (DeclineCode != other.DeclineCode)
        {
            yield return $"decline_code {DeclineCode} vs {other.DeclineCode}";
        }

        if (Replayed != other.Replayed)
        {
            yield return $"replayed {Replayed} vs {other.Replayed}";
        }

        if (HasRequestId != other.HasRequestId)
        {
            yield return $"request id present {HasRequestId} vs {other.HasRequestId}";
        }

        foreach (var key in Fields.Keys.Union(other.Fields.Keys).Order(StringComparer.Ordinal))
        {
            var a = Fields.GetValueOrDefault(key);
            var b = other.Fields.GetValueOrDefault(key);
            if (a != b)
            {
                yield return $"{key}: {a ?? "(absent)"} vs {b ?? "(absent)"}";
            }
        }
    }
}

/// <summary>Flattens JSON (REST bodies, and protobuf messages formatted as JSON) into comparable path → value pairs.</summary>
public static partial class Flattener
{
    // The enum prefixes of payments.v1; a value like PAYMENT_STATUS_REQUIRES_CAPTURE becomes REST's requires_capture.
    private static readonly string[] EnumPrefixes =
        ["PAYMENT_STATUS_", "CAPTURE_METHOD_", "CANCELLATION_REASON_", "REFUND_STATUS_", "REFUND_REASON_", "PAYMENT_METHOD_TYPE_", "PAYMENT_MODE_", "SETUP_FUTURE_USAGE_",
         "MIT_TYPE_"];

    public static Dictionary<string, string> Flatten(JsonElement element, string prefix = "")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(element, prefix, result);
        return result;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, string> result)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    // REST's "object" discriminator has no gRPC counterpart: the message type says it.
                    if (property.Name == "object")
                    {
                        continue;
                    }

                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", result);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]", result);
                }

                break;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            case JsonValueKind.String:
                var text = Canonical(element.GetString() ?? string.Empty);
                if (text is not null)
                {
                    result[path] = text;
                }

                break;
            default:
                result[path] = element.GetRawText();
                break;
        }
    }

    private static string? Canonical(string value)
    {
        foreach (var prefix in EnumPrefixes)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                var name = value[prefix.Length..];
                return name == "UNSPECIFIED" ? null : name.ToLowerInvariant();
            }
        }

        if (TimestampPattern().IsMatch(value))
        {
            return "<timestamp>";
        }

        if (KeyHintPattern().IsMatch(value))
        {
            return value[..value.IndexOf('…', StringComparison.Ordinal)] + "…<hint>"; // api_key.created events: each run's own keys
        }

        return IdPattern().Replace(value, m => m.Groups[1].Value + "_<id>");
    }

    [GeneratedRegex(@"^(sk|pk)_(test|live)_…[0-9A-Za-z]{4}$")]
    private static partial Regex KeyHintPattern();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"\b(pay|re|pm|evt|req|att|sim|cus|key|mer)_[0-9a-z]{12,}")]
    private static partial Regex IdPattern();

    public static string Describe(IReadOnlyList<(string Step, Outcome OverRest, Outcome OverGrpc)> steps)
    {
        var text = new StringBuilder();
        foreach (var (step, rest, grpc) in steps)
        {
            var differences = rest.DifferencesTo(grpc).ToList();
            if (differences.Count > 0)
            {
                text.Append("step '").Append(step).Append("' (REST vs gRPC):").AppendLine();
                foreach (var d in differences)
                {
                    text.Append("  ").AppendLine(d);
                }
            }
        }

        return text.ToString();
    }
}
