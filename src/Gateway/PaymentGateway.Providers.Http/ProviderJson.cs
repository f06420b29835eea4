using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PaymentGateway.Providers.Http;

/// <summary>The JSON reading and writing every HTTP adapter's transformers do: no I/O.</summary>
public static class ProviderJson
{
    /// <summary>The string property <paramref name="name"/> of an object; null when absent, not a string, or not an object.</summary>
    public static string? String(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A JSON object written by <paramref name="body"/> (which writes its properties), as UTF-8 bytes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A request body of JSON bytes (<c>application/json</c>).</summary>
    public static HttpContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
