using System.Text.Json.Nodes;
using Json.Schema;

namespace PaymentGateway.Providers.ContractTests.Adyen;

/// <summary>
/// Validates request bodies against Adyen's published Checkout v71 OpenAPI document (TestData/adyen, MIT, as Adyen
/// publishes it): the operation's request schema with every <c>$ref</c> resolved, by a JSON Schema 2020-12 validator
/// (JsonSchema.Net; OpenAPI 3.1 schemas are JSON Schema), so a missing required field, a wrong type or enum value, or an
/// unknown property where the schema says <c>additionalProperties: false</c> fails. On top, a strict walk flags every
/// property the schema does not define at all, also where it leaves <c>additionalProperties</c> open (the card details
/// inside <c>paymentMethod</c>): a field Adyen does not know fails our CI instead of their API.
/// </summary>
public sealed class AdyenOpenApiValidator
{
    private const string ComponentsPrefix = "#/components/schemas/";
    private static readonly Lazy<AdyenOpenApiValidator> Loaded = new(() => new AdyenOpenApiValidator(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "adyen", "CheckoutService-v71.json"))));

    private readonly JsonObject _document;
    private readonly JsonObject _schemas;
    private readonly Dictionary<string, JsonSchema> _compiled = new(StringComparer.Ordinal);

    private AdyenOpenApiValidator(string openApi)
    {
        _document = JsonNode.Parse(openApi)?.AsObject() ?? throw new InvalidOperationException("The OpenAPI document is empty.");
        _schemas = _document["components"]?["schemas"]?.AsObject() ?? throw new InvalidOperationException("The OpenAPI document has no components.schemas.");
    }

    /// <summary>The validator over the Checkout v71 document shipped with the tests.</summary>
    public static AdyenOpenApiValidator CheckoutV71 => Loaded.Value;

    /// <summary>The schema name of the JSON request body of <c>POST {path}</c> (a path under <c>/v71</c>, e.g. <c>/payments/PSP1/captures</c>).</summary>
    public string RequestSchemaFor(string path)
    {
        var paths = _document["paths"]?.AsObject() ?? throw new InvalidOperationException("The OpenAPI document has no paths.");
        foreach (var (template, operations) in paths)
        {
            if (Matches(template, path) && operations?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() is { } reference)
            {
                return reference[ComponentsPrefix.Length..];
            }
        }

        throw new InvalidOperationException($"Adyen's Checkout v71 has no POST {path}.");
    }

    /// <summary>Every problem of <paramref name="body"/> as a <paramref name="schemaName"/>: schema violations and properties the schema does not define.</summary>
    public IReadOnlyList<string> Validate(string schemaName, string body)
    {
        var instance = JsonNode.Parse(body);
        var problems = new List<string>();
        var results = Compiled(schemaName).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            foreach (var detail in results.Details.Where(d => d.Errors is { Count: > 0 }))
            {
                foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
                {
                    problems.Add($"{detail.InstanceLocation}: {keyword}: {message}");
                }
            }

            if (problems.Count == 0)
            {
                problems.Add($"{schemaName}: the body does not match the schema");
            }
        }

        Walk(_schemas[schemaName], instance, "$", problems);
        return problems;
    }

    private JsonSchema Compiled(string schemaName)
    {
        lock (_compiled)
        {
            if (!_compiled.TryGetValue(schemaName, out var schema))
            {
                // OpenAPI 3.1 schemas are JSON Schema 2020-12: the components become $defs of one schema whose root is the request's.
                var defs = JsonNode.Parse(_schemas.ToJsonString().Replace("\"" + ComponentsPrefix, "\"#/$defs/", StringComparison.Ordinal));
                var root = new JsonObject
                {
                    ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                    ["$ref"] = "#/$defs/" + schemaName,
                    ["$defs"] = defs,
                };
                schema = JsonSchema.FromText(root.ToJsonString());
                _compiled[schemaName] = schema;
            }

            return schema;
        }
    }

    /// <summary>Flags every object property the schema does not define (following $ref, allOf, and the oneOf/anyOf branch the value is).</summary>
    private void Walk(JsonNode? schema, JsonNode? instance, string path, List<string> problems)
    {
        schema = Resolve(schema);
        if (schema is not JsonObject node || instance is null)
        {
            return;
        }

        if (instance is JsonArray array && node["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(items, array[i], $"{path}[{i}]", problems);
            }

            return;
        }

        if (instance is not JsonObject obj)
        {
            return;
        }

        var branches = new List<JsonObject> { node };
        foreach (var member in (node["allOf"] as JsonArray ?? []).Select(Resolve).OfType<JsonObject>())
        {
            branches.Add(member);
        }

        if ((node["oneOf"] ?? node["anyOf"]) is JsonArray alternatives && Branch(alternatives, obj) is { } chosen)
        {
            branches.Add(chosen);
        }

        var properties = branches.Select(b => b["properties"] as JsonObject).OfType<JsonObject>().ToList();
        var additional = branches.Select(b => b["additionalProperties"]).FirstOrDefault(a => a is JsonObject);
        if (properties.Count == 0 && additional is null)
        {
            return; // a schema that says nothing about properties (a free-form value)
        }

        foreach (var (name, value) in obj)
        {
            if (properties.FirstOrDefault(p => p.ContainsKey(name)) is { } owner)
            {
                Walk(owner[name], value, $"{path}.{name}", problems);
            }
            else if (additional is not null)
            {
                Walk(additional, value, $"{path}.{name}", problems);
            }
            else
            {
                problems.Add($"{path}.{name}: not a property of the schema");
            }
        }
    }

    /// <summary>The oneOf/anyOf branch an object is: the one whose <c>type</c> enum names the object's <c>type</c>, else the one that defines all its properties.</summary>
    private JsonObject? Branch(JsonArray alternatives, JsonObject obj)
    {
        var candidates = alternatives.Select(Resolve).OfType<JsonObject>().ToList();
        if (obj["type"]?.GetValue<string>() is { } type)
        {
            var byType = candidates.FirstOrDefault(c => c["properties"]?["type"]?["enum"] is JsonArray values && values.Any(v => v?.GetValue<string>() == type));
            if (byType is not null)
            {
                return byType;
            }
        }

        return candidates.FirstOrDefault(c => c["properties"] is JsonObject p && obj.All(kv => p.ContainsKey(kv.Key)));
    }

    private JsonNode? Resolve(JsonNode? schema)
    {
        for (var depth = 0; depth < 32 && schema is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference; depth++)
        {
            schema = reference.StartsWith(ComponentsPrefix, StringComparison.Ordinal) ? _schemas[reference[ComponentsPrefix.Length..]] : null;
        }

        return schema;
    }

    private static bool Matches(string template, string path)
    {
        var expected = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var actual = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        return expected.Length == actual.Length
            && expected.Zip(actual).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.Ordinal));
    }
}
