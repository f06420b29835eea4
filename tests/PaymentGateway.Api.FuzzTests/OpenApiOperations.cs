using System.Text.Json.Nodes;

namespace PaymentGateway.Api.FuzzTests;

/// <summary>One operation of the live OpenAPI document, with its request body schema resolved (no <c>$ref</c> left).</summary>
public sealed record FuzzOperation(
    string OperationId,
    string Method,
    string PathTemplate,
    IReadOnlyList<string> PathParameters,
    IReadOnlyList<FuzzQueryParameter> QueryParameters,
    JsonObject? BodySchema,
    bool BodyRequired)
{
    public override string ToString() => $"{Method} {PathTemplate} ({OperationId})";
}

/// <summary>A query parameter the document declares, with its schema type (string, integer, boolean).</summary>
public sealed record FuzzQueryParameter(string Name, string Type);

/// <summary>Reads the operations out of an OpenAPI 3.x document (as Microsoft.AspNetCore.OpenApi writes it).</summary>
public static class OpenApiOperations
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static IReadOnlyList<FuzzOperation> Read(JsonObject document)
    {
        var operations = new List<FuzzOperation>();
        var paths = document["paths"]?.AsObject() ?? throw new InvalidOperationException("The document has no paths.");
        foreach (var (path, item) in paths)
        {
            if (item is not JsonObject pathItem)
            {
                continue;
            }

            foreach (var method in Methods)
            {
                if (pathItem[method] is not JsonObject operation)
                {
                    continue;
                }

                var parameters = (operation["parameters"] as JsonArray ?? [])
                    .Concat(pathItem["parameters"] as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Select(p => Resolve(p, document, 0).AsObject())
                    .ToList();
                var pathParameters = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string?)p["name"] ?? string.Empty).ToList();
                var queryParameters = parameters.Where(p => (string?)p["in"] == "query")
                    .Select(p => new FuzzQueryParameter((string?)p["name"] ?? string.Empty, Types(p["schema"] as JsonObject).FirstOrDefault() ?? "string"))
                    .ToList();
                JsonObject? bodySchema = null;
                var bodyRequired = false;
                if (operation["requestBody"] is JsonObject body)
                {
                    body = Resolve(body, document, 0).AsObject();
                    bodyRequired = (bool?)body["required"] ?? false;
                    if (body["content"]?["application/json"]?["schema"] is JsonObject schema)
                    {
                        bodySchema = Resolve(schema, document, 0).AsObject();
                    }
                }

                operations.Add(new FuzzOperation(
                    (string?)operation["operationId"] ?? $"{method} {path}",
                    method.ToUpperInvariant(),
                    path,
                    pathParameters,
                    queryParameters,
                    bodySchema,
                    bodyRequired));
            }
        }

        return operations;
    }

    /// <summary>The schema's types (<c>type</c> is a string or, in OpenAPI 3.1, an array such as <c>["null","string"]</c>).</summary>
    public static IReadOnlyList<string> Types(JsonObject? schema)
    {
        switch (schema?["type"])
        {
            case JsonValue single when single.TryGetValue<string>(out var type):
                return [type];
            case JsonArray many:
                return many.Select(t => (string?)t).OfType<string>().ToList();
            default:
                if (schema?["properties"] is not null || schema?["additionalProperties"] is JsonObject)
                {
                    return ["object"];
                }

                return schema?["items"] is not null ? ["array"] : [];
        }
    }

    /// <summary>The first non-null type of a schema.</summary>
    public static string? MainType(JsonObject? schema) => Types(schema).FirstOrDefault(t => t != "null");

    /// <summary>A deep copy of <paramref name="node"/> with every <c>$ref</c> replaced by what it points to (bounded depth).</summary>
    private static JsonNode Resolve(JsonNode node, JsonObject document, int depth)
    {
        if (depth > 12)
        {
            return new JsonObject();
        }

        switch (node)
        {
            case JsonObject obj when obj["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var pointer):
                return Resolve(Lookup(document, pointer), document, depth + 1);
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    copy[name] = value is null ? null : Resolve(value, document, depth + 1);
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(v => v is null ? null : Resolve(v, document, depth + 1)).ToArray());
            default:
                return node.DeepClone();
        }
    }

    private static JsonNode Lookup(JsonObject document, string pointer)
    {
        if (!pointer.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Only local references are supported, not {pointer}.");
        }

        JsonNode? current = document;
        foreach (var segment in pointer[2..].Split('/'))
        {
            current = current?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return current ?? throw new InvalidOperationException($"Unresolved reference {pointer}.");
    }
}
