using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PaymentGateway.Core;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>Reads a JSON request body with precise, stable 400s for every way it can be wrong.</summary>
public static class JsonBody
{
    public static T Read<T>(HttpContext context, JsonTypeInfo<T> typeInfo, bool allowEmpty)
        where T : class, new()
    {
        var body = context.Features.Get<BufferedBodyFeature>()?.Body ?? [];
        if (body.Length == 0 || body.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            if (allowEmpty)
            {
                return new T();
            }

            throw GatewayException.Invalid(ErrorCodes.InvalidJson, "The request body must be a JSON object.");
        }

        var contentType = context.Request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayException(ErrorKind.InvalidRequest, ErrorCodes.UnsupportedMediaType,
                "Send the request body as JSON with 'Content-Type: application/json'.");
        }

        try
        {
            return JsonSerializer.Deserialize(body, typeInfo)
                   ?? throw GatewayException.Invalid(ErrorCodes.InvalidJson, "The request body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            var param = ToParam(e.Path);
            if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            {
                var unknown = ExtractQuoted(e.Message) ?? param;
                throw GatewayException.Invalid(ErrorCodes.ParameterUnknown, $"Received unknown parameter: {unknown}.", unknown);
            }

            if (param is null || e.Message.Contains("invalid start of a value", StringComparison.OrdinalIgnoreCase) || e.LineNumber is null)
            {
                throw GatewayException.Invalid(ErrorCodes.InvalidJson, "The request body is not valid JSON.");
            }

            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Invalid value for '{param}': wrong type or out of range.", param);
        }
    }

    private static string? ToParam(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        var p = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return p.Replace("['", ".", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal).TrimStart('.');
    }

    private static string? ExtractQuoted(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }
}
