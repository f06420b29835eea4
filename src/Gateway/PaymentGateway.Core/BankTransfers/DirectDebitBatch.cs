namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// One exported pain.008 collection file. The file itself holds debtor IBANs in clear (it is a bank file), so it is
/// stored only encrypted with the vault (<see cref="EncryptedFile"/>, associated data = the batch id) and decrypted
/// only to be downloaded again.
/// </summary>
public sealed class DirectDebitBatch
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }

    /// <summary>The pain.008 <c>GrpHdr/MsgId</c>.</summary>
    public required string MessageId { get; init; }

    /// <summary>Number of debits (<c>NbOfTxs</c>).</summary>
    public required int Count { get; init; }

    /// <summary>Sum of the debits in euro cents (<c>CtrlSum</c>).</summary>
    public required long ControlSum { get; init; }

    /// <summary>Debits exported as first collections (FRST); the others are RCUR.</summary>
    public required int FirstCount { get; init; }

    /// <summary>The requested collection date (yyyy-MM-dd).</summary>
    public required string CollectionDate { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>The XML file, vault-encrypted. Stored in its own column, never in the JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? EncryptedFile { get; set; }

    public static string VaultRecordId(string batchId) => "direct_debit_batch:" + batchId;
}
