using System.Text.Json.Serialization;
using PaymentGateway.Core.Routing;

namespace PaymentGateway.Core.Storage;

/// <summary>How provider accounts and routing rules are serialized into their <c>data</c> column, shared by every engine.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProviderAccountRecord))]
[JsonSerializable(typeof(RoutingRule))]
public sealed partial class RoutingStorageJsonContext : JsonSerializerContext;
