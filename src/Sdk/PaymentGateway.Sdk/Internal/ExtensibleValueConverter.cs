using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaymentGateway.Sdk.Internal;

/// <summary>A value the server may extend: a string wrapper that round-trips any string, known or not.</summary>
internal interface IExtensibleValue<TSelf>
    where TSelf : struct, IExtensibleValue<TSelf>
{
    static abstract TSelf FromWire(string value);

    string Value { get; }
}

/// <summary>Reads and writes an extensible value as a plain JSON string, preserving values this SDK does not know.</summary>
internal sealed class ExtensibleValueConverter<T> : JsonConverter<T>
    where T : struct, IExtensibleValue<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a JSON string for {typeof(T).Name}, got {reader.TokenType}.");
        }

        return T.FromWire(reader.GetString() ?? string.Empty);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
