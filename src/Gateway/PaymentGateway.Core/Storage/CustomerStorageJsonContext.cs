using System.Text.Json.Serialization;
using PaymentGateway.Core.Customers;

namespace PaymentGateway.Core.Storage;

/// <summary>How customers (their <c>data</c> column) and stored credentials (before encryption) are serialized, shared by every engine.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(StoredCredentialSet))]
public sealed partial class CustomerStorageJsonContext : JsonSerializerContext;
