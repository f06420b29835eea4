using System.Text.Json.Serialization;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Core.Storage;

/// <summary>How console users and links are stored (the <c>data</c> column).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConsoleUser))]
[JsonSerializable(typeof(ConsoleLink))]
public sealed partial class ConsoleStorageJsonContext : JsonSerializerContext;
