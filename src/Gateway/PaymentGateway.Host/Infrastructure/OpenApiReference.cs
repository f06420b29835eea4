using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Providers;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Makes the generated OpenAPI document a reference to trust (docs/api-reference.md): every property described (its XML
/// doc comment, else <see cref="ApiPropertyDescriptions"/>), required properties and non-nullable CLR properties not
/// nullable, and the closed sets as enums: payment and refund statuses, currency codes from the one currency table,
/// error codes from <see cref="ErrorCodes"/>. Bounds and examples where the API checks them.
/// </summary>
internal sealed partial class ApiSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly Lazy<FrozenDictionary<string, string>> XmlDocs = new(LoadXmlDocs);

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var typeInfo = context.JsonTypeInfo;
        if (typeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is null)
        {
            return Task.CompletedTask; // only objects: each property is handled with its object, where the CLR type is known
        }

        var type = typeInfo.Type;
        var typeName = TypeName(type);
        var isRequest = typeName.EndsWith("Request", StringComparison.Ordinal);
        foreach (var property in typeInfo.Properties)
        {
            if (!schema.Properties.TryGetValue(property.Name, out var propertySchema))
            {
                continue;
            }

            var description = Describe(type, property.Name);
            var required = schema.Required?.Contains(property.Name) == true;
            var nonNullable = required || (!isRequest && !property.IsGetNullable) || property.Name == "object";
            if (propertySchema is OpenApiSchema inline)
            {
                if (description is not null)
                {
                    inline.Description = description;
                }

                if (nonNullable)
                {
                    RemoveNull(inline);
                }

                Constrain(typeName, property.Name, inline, isRequest);
            }
            else if (propertySchema is OpenApiSchemaReference reference && description is not null)
            {
                reference.Description = description;
            }
        }

        if (typeName == "ListResource")
        {
            schema.Required ??= new HashSet<string>();
            schema.Required.Add("object");
        }

        return Task.CompletedTask;
    }

    internal static string TypeName(Type type) => type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name;

    /// <summary>The description of a property by its CLR type and JSON name: its XML doc comment, else the table's.</summary>
    internal static string? Describe(Type type, string jsonName)
    {
        var clr = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => SnakeCase(p.Name) == jsonName);
        var xml = clr?.DeclaringType?.FullName is { } declaring && XmlDocs.Value.TryGetValue($"P:{declaring}.{clr.Name}", out var text) ? text : null;
        return xml ?? ApiPropertyDescriptions.Find(TypeName(type), jsonName);
    }

    internal static void RemoveNull(OpenApiSchema schema)
    {
        if (schema.Type is { } t && t.HasFlag(JsonSchemaType.Null) && t != JsonSchemaType.Null)
        {
            schema.Type = t & ~JsonSchemaType.Null;
        }

        if (schema.OneOf is { Count: 2 } oneOf && oneOf.FirstOrDefault(s => s is OpenApiSchema { Type: JsonSchemaType.Null }) is { } nullBranch)
        {
            oneOf.Remove(nullBranch); // oneOf [null, $ref]: the $ref alone (kept in oneOf so the description stays beside it)
        }
    }

    /// <summary>Enums, bounds and examples for the properties whose values the API checks or fixes.</summary>
    private static void Constrain(string typeName, string name, OpenApiSchema schema, bool isRequest)
    {
        switch (typeName, name)
        {
            case (_, "object") when ObjectNames.TryGetValue(typeName, out var objectName):
                schema.Enum = [JsonValue.Create(objectName)];
                break;
            case ("PaymentResource", "status"):
                schema.Enum = Values(Enum.GetValues<PaymentStatus>().Select(s => s.ToWire()));
                schema.Examples = [JsonValue.Create("succeeded")];
                break;
            case ("RefundResource", "status"):
                schema.Enum = Values(Enum.GetValues<RefundStatus>().Select(s => s.ToWire()));
                break;
            case ("ProblemResource", "code"):
                schema.Enum = Values(ErrorCodeValues.Value);
                schema.Examples = [JsonValue.Create(ErrorCodes.ParameterMissing)];
                break;
            case (_, "currency" or "currencies"):
                if (isRequest)
                {
                    var target = name == "currencies" && schema.Items is OpenApiSchema items ? items : schema;
                    target.Pattern = "^[A-Za-z]{3}$";
                }
                else if (name == "currency")
                {
                    schema.Enum = Values(CurrencyTable.ByCode.Keys.Order(StringComparer.Ordinal));
                }

                if (name == "currency")
                {
                    schema.Examples = [JsonValue.Create("EUR")];
                }

                break;
            case (_, "capture_method"):
                if (!isRequest)
                {
                    schema.Enum = Values(["automatic", "manual"]);
                }

                break;
            case (_, "exp_month"):
                schema.Minimum = "1";
                schema.Maximum = "12";
                schema.Examples = [JsonValue.Create(12)];
                break;
            case (_, "quantity"):
                schema.Minimum = "1";
                break;
            case (_, "limit"):
                schema.Minimum = "1";
                schema.Maximum = "100";
                break;
            case (_, "id") when IdExamples.TryGetValue(typeName, out var example):
                schema.Examples = [JsonValue.Create(example)];
                break;
            case (_, "overlap_seconds"):
                schema.Minimum = "0";
                schema.Maximum = "604800";
                break;
            case (_, "progress_percent"):
                schema.Minimum = "0";
                schema.Maximum = "100";
                break;
        }

        if (IsAmount(name) && schema.Type is { } t && t.HasFlag(JsonSchemaType.Integer))
        {
            schema.Minimum = "0";
            if (name is "amount" or "amount_to_capture" or "unit_amount")
            {
                schema.Examples = [JsonValue.Create(2000)];
            }
        }
    }

    private static bool IsAmount(string name) =>
        name is "amount" or "amount_to_capture" or "unit_amount" or "control_sum" or "amount_gte" or "amount_lte"
        || (name.StartsWith("amount_", StringComparison.Ordinal) && name != "amount_surplus");

    private static List<JsonNode> Values(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];

    private static readonly Lazy<string[]> ErrorCodeValues = new(() =>
        [.. typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => f.GetRawConstantValue()).OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)]);

    private static readonly FrozenDictionary<string, string> ObjectNames = new Dictionary<string, string>
    {
        ["PaymentResource"] = "payment",
        ["RefundResource"] = "refund",
        ["PaymentMethodResource"] = "payment_method",
        ["EventResource"] = "event",
        ["ListResource"] = "list",
        ["MerchantResource"] = "merchant",
        ["ApiKeyResource"] = "api_key",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> IdExamples = new Dictionary<string, string>
    {
        ["PaymentResource"] = "pay_3kTf8bQ1xY7mN2pL",
        ["RefundResource"] = "re_9sLq2wE4rT6yU8iO",
        ["PaymentMethodResource"] = "pm_5hGf3dS1aZ7xC9vB",
        ["EventResource"] = "evt_2nM4bV6cX8zL0kJ1",
        ["CustomerResource"] = "cus_7jH5gF3dS1aQ9wE2",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Property summaries from the contracts' documentation file (PaymentGateway.Core.xml beside the assembly).</summary>
    private static FrozenDictionary<string, string> LoadXmlDocs()
    {
        var path = Path.ChangeExtension(typeof(PaymentResource).Assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            return FrozenDictionary<string, string>.Empty;
        }

        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name && name.StartsWith("P:PaymentGateway.Core.Api.", StringComparison.Ordinal)
                && member.Element("summary") is { } summary)
            {
                docs[name] = PlainText(summary);
            }
        }

        return docs.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string PlainText(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(node => node switch
        {
            XElement { Name.LocalName: "see" } see when see.Attribute("cref")?.Value is { } cref =>
                SnakeCase(cref[(cref.LastIndexOf('.') + 1)..]),
            XElement { Name.LocalName: "see" } see => see.Attribute("langword")?.Value ?? see.Value,
            XElement element => element.Value,
            _ => node.ToString(),
        }));
        return Whitespace().Replace(System.Net.WebUtility.HtmlDecode(text), " ").Trim();
    }

    private static string SnakeCase(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>
/// Per operation: the security it really accepts (<see cref="RequireKeyAttribute"/>: secret, publishable or admin key,
/// or none for provider webhooks), the <c>Idempotency-Key</c> request header on POSTs, the response headers every
/// answer carries (<c>Request-Id</c>, <c>Server-Timing</c>, and <c>Idempotent-Replayed</c> on POSTs), and a
/// description on every operation and response.
/// </summary>
internal sealed class ApiOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var requirement = metadata.OfType<RequireKeyAttribute>().LastOrDefault()?.Requirement ?? KeyRequirement.None;
        var document = context.Document;
        operation.Security = requirement switch
        {
            KeyRequirement.Secret => [Requirement(ApiDocumentTransformer.SecretKey, document)],
            KeyRequirement.Publishable => [Requirement(ApiDocumentTransformer.PublishableKey, document)],
            KeyRequirement.SecretOrPublishable => [Requirement(ApiDocumentTransformer.SecretKey, document), Requirement(ApiDocumentTransformer.PublishableKey, document)],
            KeyRequirement.Admin => [Requirement(ApiDocumentTransformer.AdminKey, document)],
            _ => [],
        };

        var post = string.Equals(context.Description.HttpMethod, HttpMethods.Post, StringComparison.OrdinalIgnoreCase);
        if (post && requirement != KeyRequirement.None)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameterReference(ApiDocumentTransformer.IdempotencyKeyParameter, document));
        }

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Path && string.IsNullOrEmpty(parameter.Description))
            {
                parameter.Description = PathParameterDescription(context.Description.RelativePath ?? "", parameter.Name ?? "");
            }
        }

        if (string.IsNullOrEmpty(operation.Description) && operation.Summary is { } summary)
        {
            operation.Description = summary;
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[RequestContextMiddleware.RequestIdHeader] = new OpenApiHeaderReference(ApiDocumentTransformer.RequestIdHeader, document);
            concrete.Headers["Server-Timing"] = new OpenApiHeaderReference(ApiDocumentTransformer.ServerTimingHeader, document);
            if (post && requirement != KeyRequirement.None)
            {
                concrete.Headers[IdempotencyMiddleware.ReplayedHeader] = new OpenApiHeaderReference(ApiDocumentTransformer.ReplayedHeader, document);
            }

            concrete.Description = status switch
            {
                "200" or "201" or "202" or "204" => concrete.Description is { Length: > 0 } d && d != "OK" ? d : "Success.",
                "400" => "Invalid request: a parameter is missing, malformed or unknown (code names which; param names the parameter).",
                "401" => "No key, or a wrong, expired or revoked key (api_key_missing, api_key_invalid, api_key_expired, api_key_revoked).",
                "402" => "The card was declined (card_declined with decline_code); payment holds the payment as it is now.",
                "403" => "The key is valid but of the wrong type or mode for this operation.",
                "404" => "The object does not exist for this merchant and mode (resource_missing).",
                "409" => "The object is not in a state that allows this, or the Idempotency-Key was used with another body.",
                "410" => "The object is no longer available.",
                "413" => "The request body is larger than the gateway accepts.",
                "422" => "The request is well-formed but cannot be done (for example more than can be captured or refunded).",
                "503" => "The provider did not give a definite answer in time; nothing is charged twice: retry with the same Idempotency-Key.",
                _ => concrete.Description,
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>"The id of the payment" for <c>{id}</c> after <c>payments/</c>; named parameters say what they name.</summary>
    internal static string PathParameterDescription(string path, string name)
    {
        var segments = path.Split('/');
        var at = Array.FindIndex(segments, s => s == "{" + name + "}" || s.StartsWith("{" + name + ":", StringComparison.Ordinal));
        var collection = name switch
        {
            "merchant_id" => "merchants",
            "provider_account_id" => "provider_accounts",
            "keyId" => "api_keys",
            "fileId" => "evidence files",
            "paymentMethodId" => "payment_methods",
            _ => at > 0 ? segments[at - 1] : "objects",
        };
        var noun = collection.EndsWith("ies", StringComparison.Ordinal) ? collection[..^3] + "y"
            : collection.EndsWith("ches", StringComparison.Ordinal) ? collection[..^2]
            : collection.TrimEnd('s');
        return $"The id of the {noun.Replace('_', ' ')}.";
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}

/// <summary>
/// The document's info, the three key types as security schemes, and the shared header components. No global security:
/// each operation names its own (<see cref="ApiOperationTransformer"/>).
/// </summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SecretKey = "secretKey";
    public const string PublishableKey = "publishableKey";
    public const string AdminKey = "adminKey";
    public const string IdempotencyKeyParameter = "IdempotencyKey";
    public const string RequestIdHeader = "RequestId";
    public const string ServerTimingHeader = "ServerTiming";
    public const string ReplayedHeader = "IdempotentReplayed";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "PaymentGateway API",
            Version = "v1",
            Description = "Self-hosted payment gateway. JSON is snake_case; amounts are integer minor units of the currency; times are UTC ISO 8601; "
                + "errors are RFC 9457 application/problem+json with a stable `code`. Authenticate with `Authorization: Bearer <key>`; "
                + "POSTs accept `Idempotency-Key`. Guides: /docs/guides.",
            License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
            Contact = new OpenApiContact { Name = "PaymentGateway contributors" },
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [SecretKey] = Bearer("A secret key, sk_test_… or sk_live_…: server side only. The mode of the key is the mode of every object it touches."),
            [PublishableKey] = Bearer("A publishable key, pk_test_… or pk_live_…: safe in a browser; it can only tokenize cards (POST /v1/payment_methods)."),
            [AdminKey] = Bearer("The gateway's admin key (printed once at first start): merchants, keys, provider accounts, routing, audit."),
        };
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        document.Components.Parameters[IdempotencyKeyParameter] = new OpenApiParameter
        {
            Name = IdempotencyMiddleware.HeaderName,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Any unique string of 1 to 255 printable ASCII characters. A retry with the same key and body gets the first answer back "
                + "(with Idempotent-Replayed: true) instead of doing the work twice; the same key with another body is 409.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = PaymentGateway.Core.Idempotency.IdempotencyService.MaxKeyLength, Pattern = "^[\\x20-\\x7E]+$" },
            Example = JsonValue.Create("order-1001-charge"),
        };
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        document.Components.Headers[RequestIdHeader] = Header("The request's id (req_…), also in the logs and in problem bodies: quote it when asking for help.");
        document.Components.Headers[ServerTimingHeader] = Header("Time spent in the gateway (W3C Server-Timing), for example `gateway;dur=1.2, provider;dur=40.5, total;dur=41.7`.");
        document.Components.Headers[ReplayedHeader] = Header("`true` when this answer is a replay of an earlier request with the same Idempotency-Key.");
        document.Security = null;
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        DescribeWrappedProperties(document);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A nullable object property becomes <c>oneOf: [null, $ref]</c> after the schema transformers ran, so it is described
    /// here, on the finished components; a required one loses its null branch.
    /// </summary>
    private static void DescribeWrappedProperties(OpenApiDocument document)
    {
        foreach (var (name, component) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (component is not OpenApiSchema { Properties: { } properties } schema || !ContractTypes.Value.TryGetValue(name, out var type))
            {
                continue;
            }

            foreach (var (property, propertySchema) in properties)
            {
                if (propertySchema is not OpenApiSchema inline)
                {
                    continue;
                }

                if (string.IsNullOrEmpty(inline.Description))
                {
                    inline.Description = ApiSchemaTransformer.Describe(type, property);
                }

                if (schema.Required?.Contains(property) == true)
                {
                    ApiSchemaTransformer.RemoveNull(inline);
                }
            }
        }
    }

    private static readonly Lazy<FrozenDictionary<string, Type>> ContractTypes = new(() => typeof(PaymentResource).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == typeof(PaymentResource).Namespace && !t.IsGenericType)
        .GroupBy(t => t.Name, StringComparer.Ordinal)
        .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));

    private static OpenApiSecurityScheme Bearer(string description) =>
        new() { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = description };

    private static OpenApiHeader Header(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
}
