namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// A SEPA Direct Debit mandate: the debtor's authorization for the merchant (creditor) to debit the account of a
/// <c>sepa_debit</c> payment method. Holds no IBAN: the account stays encrypted in the payment method's vault column.
/// </summary>
public sealed class Mandate
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string PaymentMethodId { get; init; }

    /// <summary>The Unique Mandate Reference (<see cref="MandateReference"/>), as given or generated.</summary>
    public required string Reference { get; init; }

    /// <summary>The date the debtor signed, ISO 8601 (yyyy-MM-dd).</summary>
    public required string SignatureDate { get; init; }

    /// <summary>The SEPA Creditor Identifier the mandate was given to.</summary>
    public required string CreditorId { get; init; }

    /// <summary>
    /// The debit exported as this mandate's first collection (pain.008 <c>FRST</c>); later debits are <c>RCUR</c>. Null
    /// until the first export. When that debit is returned before it settles, the next export is <c>FRST</c> again
    /// (<see cref="DirectDebitExportService"/>).
    /// </summary>
    public string? FirstCollectionPaymentId { get; set; }

    /// <summary>Optimistic concurrency: the stored row's version (column, not JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Version { get; set; }
    public DateTimeOffset Created { get; init; }
}
