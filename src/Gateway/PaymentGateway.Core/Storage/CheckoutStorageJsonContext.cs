using System.Text.Json.Serialization;
using PaymentGateway.Core.Checkout;

namespace PaymentGateway.Core.Storage;

/// <summary>How checkout sessions are serialized into their <c>data</c> column, shared by every engine.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckoutSession))]
public sealed partial class CheckoutStorageJsonContext : JsonSerializerContext;
