namespace PaymentGateway.Core.BankTransfers;

/// <summary>What a SEPA Direct Debit payment collects under. Lives in the payment's JSON; holds no IBAN.</summary>
public sealed class DirectDebitDetails
{
    public required string MandateId { get; init; }
    public required string MandateReference { get; init; }
    public required string MandateSignatureDate { get; init; }
    public required string PaymentMethodId { get; init; }

    /// <summary>The collection file the debit was exported in; null until exported.</summary>
    public string? BatchId { get; set; }
}
