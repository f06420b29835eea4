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

        T request;
        try
        {
            request = JsonSerializer.Deserialize(body, typeInfo)
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

        RejectValuesNoHandlerTakes(request, typeInfo, path: null, depth: 0);
        return request;
    }

    /// <summary>
    /// What JSON binding lets through but no request of this API means: a <c>null</c> element of an array or value of a
    /// map (every collection in a request holds non-null values; <c>null</c> means "absent" only for a member), and a
    /// string holding U+0000 (which PostgreSQL cannot store). Found anywhere in the request, it is a 400
    /// <c>parameter_invalid</c> naming the value (<c>targets[0]</c>, <c>settings[api_key]</c>) before any handler runs,
    /// instead of a handler tripping over it. Walks the request by its serializer metadata, so it covers every request
    /// type without knowing any.
    /// </summary>
    private static void RejectValuesNoHandlerTakes(object value, JsonTypeInfo typeInfo, string? path, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in typeInfo.Properties)
                {
                    if (property.Get?.Invoke(value) is { } member)
                    {
                        Visit(member, typeInfo.Options, property.PropertyType, path is null ? property.Name : $"{path}.{property.Name}", depth);
                    }
                }

                break;
            case JsonTypeInfoKind.Dictionary when value is System.Collections.IDictionary map && typeInfo.ElementType is { } valueType:
                foreach (System.Collections.DictionaryEntry entry in map)
                {
                    var name = entry.Key as string ?? string.Empty;
                    var key = $"{path}[{(name.Length > 64 ? name[..64] + "…" : name)}]";
                    if (name.Contains('\0', StringComparison.Ordinal))
                    {
                        throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"The keys of '{path}' must not contain the character U+0000.", path);
                    }

                    Visit(entry.Value ?? throw NullElement(key), typeInfo.Options, valueType, key, depth);
                }

                break;
            case JsonTypeInfoKind.Enumerable when value is System.Collections.IEnumerable items && typeInfo.ElementType is { } itemType:
                var index = 0;
                foreach (var item in items)
                {
                    var at = $"{path}[{index++}]";
                    Visit(item ?? throw NullElement(at), typeInfo.Options, itemType, at, depth);
                }

                break;
        }
    }

    private static void Visit(object value, JsonSerializerOptions options, Type declaredType, string path, int depth)
    {
        if (value is string text)
        {
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Invalid value for '{path}': it contains the character U+0000.", path);
            }

            return;
        }

        if (options.TryGetTypeInfo(declaredType, out var typeInfo) && typeInfo.Kind != JsonTypeInfoKind.None)
        {
            RejectValuesNoHandlerTakes(value, typeInfo, path, depth + 1);
        }
    }

    private static GatewayException NullElement(string path) =>
        GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Invalid value for '{path}': null is not allowed here; leave the element out instead.", path);

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
