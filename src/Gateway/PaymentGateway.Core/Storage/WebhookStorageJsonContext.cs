using System.Text.Json.Serialization;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.Storage;

/// <summary>How webhook endpoints are serialized into their <c>data</c> column, shared by every engine.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(WebhookEndpoint))]
public sealed partial class WebhookStorageJsonContext : JsonSerializerContext;
