using System.Globalization;
using System.Text.Json;

namespace PaymentGateway.Providers;

/// <summary>Reading providers' JSON settlement documents with format errors that say where.</summary>
public static class SettlementJson
{
    /// <summary>Parses <paramref name="content"/> as JSON, or a <see cref="SettlementFormatException"/>.</summary>
    public static async Task<JsonDocument> ParseAsync(Stream content, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new SettlementFormatException($"The document is not valid JSON (line {e.LineNumber + 1}).");
        }
    }

    /// <summary>The array <paramref name="name"/> of <paramref name="e"/>, or a format error.</summary>
    public static JsonElement Array(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? a
            : throw new SettlementFormatException($"Expected an array '{name}'.");

    /// <summary>A string property, or null.</summary>
    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A non-empty string property, or a format error naming the item.</summary>
    public static string RequiredString(JsonElement e, string name, int index) =>
        String(e, name) is { Length: > 0 } s ? s : throw new SettlementFormatException($"Item {index}: '{name}' is missing.");

    /// <summary>An integer amount already in minor units.</summary>
    public static long Minor(JsonElement e, string name, int index) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)
            ? n
            : throw new SettlementFormatException($"Item {index}: '{name}' is not an integer amount.");

    /// <summary>A decimal amount in major units (a JSON number or string) as minor units of <paramref name="currency"/>.</summary>
    public static long Major(JsonElement value, Currency currency, int index, string name)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        return text is null
            ? throw new SettlementFormatException($"Item {index}: '{name}' is not an amount.")
            : SettlementCsv.Minor(text, currency, index, name);
    }

    /// <summary>An ISO 8601 timestamp property, or null.</summary>
    public static DateTimeOffset? Time(JsonElement e, string name) =>
        String(e, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
