using System.Text.Json.Serialization;
using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.Storage;

/// <summary>How bank statements and their entries are serialized into their <c>data</c> column, shared by every engine.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BankStatement))]
[JsonSerializable(typeof(BankStatementEntry))]
[JsonSerializable(typeof(Mandate))]
[JsonSerializable(typeof(DirectDebitBatch))]
public sealed partial class BankTransferStorageJsonContext : JsonSerializerContext;
