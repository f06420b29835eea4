using System.Text.Json.Serialization;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>How stored objects are serialized into their <c>data</c> column, shared by every engine.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Payment))]
[JsonSerializable(typeof(Refund))]
[JsonSerializable(typeof(StoredPaymentMethod))]
[JsonSerializable(typeof(Merchant))]
[JsonSerializable(typeof(ApiKeyRecord))]
[JsonSerializable(typeof(AdminKeyRecord))]
public sealed partial class StorageJsonContext : JsonSerializerContext;
