using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using PaymentGateway.Core.Disputes;

namespace PaymentGateway.Core.Storage;

/// <summary>How disputes are serialized into their <c>data</c> column, shared by every engine.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Dispute))]
public sealed partial class DisputeStorageJsonContext : JsonSerializerContext;

/// <summary>The dispute rows both engines read in the same layout.</summary>
public static class DisputeRows
{
    /// <summary>The columns of the table as the engines write them, for the conditions they share.</summary>
    public const string OpenStatuses = "'warning_needs_response', 'warning_under_review', 'needs_response', 'under_review', 'prearbitration_needs_response', 'prearbitration_under_review'";

    /// <summary>The statuses in which evidence can still be given (the deadline alerts look at these).</summary>
    public const string AwaitingStatuses = "'warning_needs_response', 'needs_response', 'prearbitration_needs_response'";

    public static string Json(Dispute d) => JsonSerializer.Serialize(d, DisputeStorageJsonContext.Default.Dispute);

    /// <summary>data, version.</summary>
    public static Dispute ReadDispute(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var dispute = JsonSerializer.Deserialize(r.GetString(0), DisputeStorageJsonContext.Default.Dispute) ?? throw new InvalidDataException("Empty dispute row.");
        dispute.Version = r.GetInt64(1);
        return dispute;
    }

    /// <summary>id, dispute_id, merchant_id, livemode, content, created_at.</summary>
    public static StoredDisputeFile ReadFile(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new StoredDisputeFile
        {
            Id = r.GetString(0),
            DisputeId = r.GetString(1),
            MerchantId = r.GetString(2),
            Livemode = r.GetBoolean(3),
            EncryptedContent = r.GetString(4),
            Created = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        };
    }

    /// <summary>id, due_at, data.</summary>
    public static SimulatorDisputeNoticeRow ReadNotice(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new SimulatorDisputeNoticeRow(r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2));
    }
}
