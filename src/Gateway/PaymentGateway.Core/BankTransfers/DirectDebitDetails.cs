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

    /// <summary>The pain.008 sequence type it was exported with (FRST or RCUR); null until exported.</summary>
    public string? SequenceType { get; set; }

    /// <summary>The requested collection date (yyyy-MM-dd, a TARGET2 business day); null until exported.</summary>
    public string? CollectionDate { get; set; }

    /// <summary>A return (R-transaction) that arrived after the debit had settled: the money went back, the payment stays succeeded.</summary>
    public DirectDebitLateReturn? ReturnedAfterSettlement { get; set; }
}

/// <summary>A return of a debit that had already settled (<see cref="PaymentGateway.Core.Payments.PaymentStatus.Succeeded"/>).</summary>
public sealed class DirectDebitLateReturn
{
    /// <summary>The SEPA reason code (for example MD06), or <c>reversal</c> / <c>unknown</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>The returned amount in euro cents, as booked by the bank.</summary>
    public required long Amount { get; init; }

    public required string BankStatementEntryId { get; init; }
    public required DateTimeOffset ReturnedAt { get; init; }
}
