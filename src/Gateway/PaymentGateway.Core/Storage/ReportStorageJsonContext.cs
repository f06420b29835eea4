using System.Text.Json.Serialization;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Settlements;

namespace PaymentGateway.Core.Storage;

/// <summary>How export jobs, settlement lines and payouts are serialized into their <c>data</c> column, shared by every engine.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExportJob))]
[JsonSerializable(typeof(SettlementLine))]
[JsonSerializable(typeof(SettlementPayout))]
public sealed partial class ReportStorageJsonContext : JsonSerializerContext;
