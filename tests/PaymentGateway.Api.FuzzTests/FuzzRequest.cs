using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaymentGateway.Api.FuzzTests;

/// <summary>Which API key a request carries.</summary>
public enum FuzzKey
{
    Secret,
    Publishable,
    Admin,
}

/// <summary>What the gateway must answer.</summary>
public enum FuzzExpectation
{
    /// <summary>Any status below 500; an error is <c>application/problem+json</c> with a <c>code</c> and a <c>Request-Id</c>.</summary>
    Application,

    /// <summary>
    /// Invalid at the HTTP level (for example <c>%00</c> in the path): Kestrel may answer 400 before the application runs,
    /// with no body; that answer must still carry a <c>Request-Id</c>. If the application does run, <see cref="Application"/> holds.
    /// </summary>
    ServerMayReject,
}

/// <summary>One request to send, with the description of what was changed from the operation's valid request.</summary>
public sealed record FuzzRequest(
    FuzzOperation Operation,
    string Mutation,
    string Method,
    string PathAndQuery,
    FuzzKey Key,
    string? Authorization,
    string? ContentType,
    byte[]? Body,
    IReadOnlyDictionary<string, string> Headers,
    FuzzExpectation Expect);

/// <summary>
/// A request being built: the operation's valid request (real ids in the path, a valid JSON body), to which one or more
/// mutations are applied. JSON values are set as raw JSON text, so anything JSON can carry is sent exactly.
/// </summary>
public sealed class RequestDraft
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Dictionary<string, string> _raw = new(StringComparer.Ordinal);

    public RequestDraft(FuzzOperation operation, FuzzKey key, Dictionary<string, string> pathValues, JsonNode? json, byte[]? rawBody, string? contentType)
    {
        Operation = operation;
        Key = key;
        PathValues = pathValues;
        Json = json;
        RawBody = rawBody;
        ContentType = contentType;
    }

    public FuzzOperation Operation { get; }

    public FuzzKey Key { get; }

    public Dictionary<string, string> PathValues { get; }

    public List<(string Name, string Value)> Query { get; } = [];

    public JsonNode? Json { get; set; }

    public byte[]? RawBody { get; set; }

    public string? ContentType { get; set; }

    public string? Authorization { get; set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public FuzzExpectation Expect { get; set; } = FuzzExpectation.Application;

    public List<string> Changes { get; } = [];

    /// <summary>Sets the JSON value at <paramref name="pointer"/> to <paramref name="rawJson"/>, creating the containers on the way.</summary>
    public void SetJson(IReadOnlyList<JsonSegment> pointer, string rawJson)
    {
        var token = $"~~fuzz-raw-{_raw.Count}~~";
        _raw[token] = rawJson;
        if (pointer.Count == 0)
        {
            Json = JsonValue.Create(token);
            RawBody = null;
            return;
        }

        if (Json is not JsonObject)
        {
            Json = new JsonObject();
        }

        JsonNode parent = Json;
        for (var i = 0; i < pointer.Count - 1; i++)
        {
            parent = Child(parent, pointer[i], pointer[i + 1]);
        }

        Assign(parent, pointer[^1], JsonValue.Create(token));
        RawBody = null;
    }

    public FuzzRequest Build(string mutation)
    {
        var path = Operation.PathTemplate;
        foreach (var (name, value) in PathValues)
        {
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        if (Query.Count > 0)
        {
            path += "?" + string.Join('&', Query.Select(q => q.Name + "=" + q.Value));
        }

        byte[]? body = RawBody;
        if (body is null && Json is not null)
        {
            var text = Json.ToJsonString(Relaxed);
            foreach (var (token, raw) in _raw)
            {
                text = text.Replace("\"" + token + "\"", raw, StringComparison.Ordinal);
            }

            body = Encoding.UTF8.GetBytes(text);
        }

        return new FuzzRequest(Operation, mutation, Operation.Method, path, Key, Authorization, body is null ? null : ContentType, body,
            new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase), Expect);
    }

    private static JsonNode Child(JsonNode parent, JsonSegment segment, JsonSegment next)
    {
        var existing = segment switch
        {
            JsonSegment.Property p when parent is JsonObject o => o[p.Name],
            JsonSegment.Index x when parent is JsonArray a && x.Position < a.Count => a[x.Position],
            _ => null,
        };
        var wantArray = next is JsonSegment.Index;
        if (existing is JsonArray && wantArray)
        {
            return existing;
        }

        if (existing is JsonObject && !wantArray)
        {
            return existing;
        }

        JsonNode created = wantArray ? new JsonArray() : new JsonObject();
        Assign(parent, segment, created);
        return created;
    }

    private static void Assign(JsonNode parent, JsonSegment segment, JsonNode value)
    {
        switch (segment)
        {
            case JsonSegment.Property p when parent is JsonObject o:
                o[p.Name] = value;
                break;
            case JsonSegment.Index x when parent is JsonArray a:
                while (a.Count <= x.Position)
                {
                    a.Add(null);
                }

                a[x.Position] = value;
                break;
            default:
                throw new InvalidOperationException($"Cannot set {segment} on {parent.GetType().Name}.");
        }
    }
}

/// <summary>One step of a JSON pointer: an object member or an array index.</summary>
public abstract record JsonSegment
{
    public sealed record Property(string Name) : JsonSegment
    {
        public override string ToString() => Name;
    }

    public sealed record Index(int Position) : JsonSegment
    {
        public override string ToString() => $"[{Position}]";
    }

    public static string Describe(IReadOnlyList<JsonSegment> pointer) =>
        pointer.Count == 0 ? "(body)" : string.Concat(pointer.Select((s, i) => s is Property && i > 0 ? "." + s : s.ToString()));
}
