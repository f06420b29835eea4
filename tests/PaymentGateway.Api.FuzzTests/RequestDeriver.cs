using System.Text;
using System.Text.Json.Nodes;

namespace PaymentGateway.Api.FuzzTests;

/// <summary>One change to an operation's valid request. Core mutations are always sent; the others are sampled.</summary>
public sealed record Mutation(string Description, bool Core, Action<RequestDraft> Apply);

/// <summary>
/// Derives the mutations of an operation from its OpenAPI description: for every slot of the request body schema
/// (every property, array item and map value, at every depth) nulls, values of the wrong type and hostile values of
/// its own type, an unknown member in every object; whole bodies that are not JSON objects; wrong content types; bad
/// path segments and query values; odd headers.
/// </summary>
public sealed class RequestDeriver(FuzzWorld world)
{
    private const int MaxDepth = 6;

    public IReadOnlyList<Mutation> Mutations(FuzzOperation operation)
    {
        var list = new List<Mutation>
        {
            new("the valid request", true, _ => { }),
        };

        if (operation.BodySchema is { } schema)
        {
            foreach (var (pointer, slot) in Slots(schema, [], 0))
            {
                AddSlotMutations(list, pointer, slot);
            }

            foreach (var (body, index) in FuzzValues.Bodies.Select((b, i) => (b, i)))
            {
                list.Add(new($"body = {Show(body)}", index < 12, d => { d.RawBody = Encoding.UTF8.GetBytes(body); d.ContentType = "application/json"; }));
            }

            list.Add(new("body with a UTF-8 byte order mark", false, d => d.RawBody = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(d.Build("").Body is { } b ? Encoding.UTF8.GetString(b) : "{}")]));
            list.Add(new("body with invalid UTF-8 inside a string", true, d => d.RawBody = [.. "{\"description\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8]));
            list.Add(new("body in UTF-16", false, d => d.RawBody = Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(d.Build("").Body ?? "{}"u8.ToArray()))));
        }
        else if (operation.Method is "POST" or "PUT" or "PATCH")
        {
            foreach (var (body, index) in FuzzValues.RawBodies.Select((b, i) => (b, i)))
            {
                list.Add(new($"raw body = {Show(body)} as application/xml", index < 6, d => { d.RawBody = Encoding.UTF8.GetBytes(body); d.ContentType = "application/xml"; }));
                list.Add(new($"raw body = {Show(body)} as application/json", false, d => { d.RawBody = Encoding.UTF8.GetBytes(body); d.ContentType = "application/json"; }));
            }
        }
        else
        {
            list.Add(new("a JSON body on a request that takes none", false, d => { d.RawBody = "{\"a\":null}"u8.ToArray(); d.ContentType = "application/json"; }));
        }

        foreach (var (contentType, index) in FuzzValues.ContentTypes.Select((c, i) => (c, i)))
        {
            list.Add(new($"Content-Type: {contentType}", index < 3, d =>
            {
                d.RawBody ??= d.Build("").Body ?? "{}"u8.ToArray();
                d.ContentType = contentType;
            }));
        }

        list.Add(new("no Content-Type", true, d =>
        {
            d.RawBody ??= d.Build("").Body ?? "{}"u8.ToArray();
            d.ContentType = null;
        }));

        foreach (var parameter in operation.PathParameters)
        {
            foreach (var (value, index) in FuzzValues.PathSegments.Select((v, i) => (v, i)))
            {
                list.Add(new($"path {{{parameter}}} = {Show(value)}", index < 3, d => d.PathValues[parameter] = value));
            }

            foreach (var value in FuzzValues.ServerLevelPathSegments)
            {
                list.Add(new($"path {{{parameter}}} = {value}", true, d => { d.PathValues[parameter] = value; d.Expect = FuzzExpectation.ServerMayReject; }));
            }
        }

        foreach (var parameter in operation.QueryParameters)
        {
            var name = Uri.EscapeDataString(parameter.Name);
            foreach (var (value, index) in FuzzValues.QueryValues.Select((v, i) => (v, i)))
            {
                list.Add(new($"query {parameter.Name}={Show(value)}", index < 3 || value == "%00", d => d.Query.Add((name, value))));
            }

            list.Add(new($"query {parameter.Name} twice", false, d => { d.Query.Add((name, "1")); d.Query.Add((name, "2")); }));
            list.Add(new($"query {parameter.Name}[]", false, d => d.Query.Add((name + "%5B%5D", "x"))));
        }

        list.Add(new("unknown query parameter", false, d => d.Query.Add(("zz_unknown", "1"))));
        list.Add(new("Idempotency-Key of 300 characters", false, d => d.Headers["Idempotency-Key"] = new string('k', 300)));
        list.Add(new("empty Idempotency-Key", false, d => d.Headers["Idempotency-Key"] = string.Empty));
        list.Add(new("Idempotency-Key with spaces and symbols", false, d => d.Headers["Idempotency-Key"] = "a b;c=\"d\""));
        list.Add(new("Authorization: Bearer + 5,000 characters", false, d => d.Authorization = "Bearer " + new string('s', 5_000)));
        list.Add(new("Authorization: Basic", false, d => d.Authorization = "Basic Zm9vOmJhcg=="));
        list.Add(new("Authorization: Bearer (empty)", false, d => d.Authorization = "Bearer "));
        return list;
    }

    /// <summary>The operation's valid request, before any mutation.</summary>
    public RequestDraft Draft(FuzzOperation operation, FuzzKey key)
    {
        var pathValues = operation.PathParameters.ToDictionary(p => p, p => Uri.EscapeDataString(world.PathValue(operation, p)), StringComparer.Ordinal);
        if (operation.BodySchema is not null)
        {
            return new RequestDraft(operation, key, pathValues, world.BaseBody(operation)?.DeepClone() ?? new JsonObject(), null, "application/json");
        }

        var raw = world.BaseRawBody(operation, out var contentType);
        return new RequestDraft(operation, key, pathValues, null, raw, contentType);
    }

    private static void AddSlotMutations(List<Mutation> list, IReadOnlyList<JsonSegment> pointer, JsonObject slot)
    {
        var where = JsonSegment.Describe(pointer);
        var type = OpenApiOperations.MainType(slot);
        var isDate = (string?)slot["format"] is "date-time" or "date";
        var isMap = type == "object" && slot["additionalProperties"] is JsonObject;

        void Add(string value, bool core) => list.Add(new($"{where} = {Show(value)}", core, d => d.SetJson(pointer, value)));

        Add("null", true);
        Add(type == "string" ? "1" : "\"fuzz\"", true);
        Add(type is "array" or "object" ? "true" : "{}", true);
        foreach (var value in FuzzValues.AnyType.Skip(1))
        {
            Add(value, false);
        }

        var own = type switch
        {
            "string" when isDate => FuzzValues.DateTimes,
            "string" => FuzzValues.Strings,
            "integer" or "number" => FuzzValues.Integers,
            "boolean" => FuzzValues.Booleans,
            "array" => FuzzValues.Arrays,
            "object" when isMap => FuzzValues.Maps,
            "object" => FuzzValues.Objects,
            _ => [],
        };
        foreach (var (value, index) in own.Select((v, i) => (v, i)))
        {
            // The first values of each type are always sent: for arrays [] and [null], for maps {} and {"k": null},
            // for dates an unparseable one, for integers 0 and -1, for strings the empty and blank ones.
            Add(value, index < (type == "string" && !isDate ? 6 : 3) || (type == "integer" && value.StartsWith("9223372036854775808", StringComparison.Ordinal)));
        }

        if (type == "object" && !isMap)
        {
            list.Add(new($"{where}.zz_unknown_field = \"x\"", true, d => d.SetJson([.. pointer, new JsonSegment.Property("zz_unknown_field")], "\"x\"")));
        }
    }

    private static IEnumerable<(IReadOnlyList<JsonSegment> Pointer, JsonObject Schema)> Slots(JsonObject schema, IReadOnlyList<JsonSegment> pointer, int depth)
    {
        if (depth > MaxDepth)
        {
            yield break;
        }

        if (pointer.Count == 0)
        {
            // The body itself is fuzzed as a whole (FuzzValues.Bodies); an unknown top-level member is a slot mutation.
            yield return (pointer, new JsonObject { ["type"] = "object" });
        }
        else
        {
            yield return (pointer, schema);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, value) in properties)
            {
                if (value is JsonObject child)
                {
                    foreach (var slot in Slots(child, [.. pointer, new JsonSegment.Property(name)], depth + 1))
                    {
                        yield return slot;
                    }
                }
            }
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            foreach (var slot in Slots(values, [.. pointer, new JsonSegment.Property("k")], depth + 1))
            {
                yield return slot;
            }
        }

        if (schema["items"] is JsonObject items)
        {
            foreach (var slot in Slots(items, [.. pointer, new JsonSegment.Index(0)], depth + 1))
            {
                yield return slot;
            }
        }
    }

    /// <summary>A value as a reproduction shows it: short ones verbatim, long ones by their shape and length.</summary>
    public static string Show(string value) =>
        value.Length <= 80 ? value : $"{value[..40]}… ({value.Length} chars)";
}
