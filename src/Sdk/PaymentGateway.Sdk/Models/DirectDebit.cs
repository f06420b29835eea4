namespace PaymentGateway.Sdk;

/// <summary>
/// A SEPA Direct Debit mandate (<c>mdt_…</c>): the debtor's authorization to debit the account of a <c>sepa_debit</c>
/// payment method. Carries no IBAN.
/// </summary>
public sealed record Mandate : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>mdt_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The <c>sepa_debit</c> payment method (<c>pm_…</c>) it debits.</summary>
    public required string PaymentMethod { get; init; }

    /// <summary>The Unique Mandate Reference, as given or generated.</summary>
    public required string Reference { get; init; }

    /// <summary>The date the debtor signed.</summary>
    public required DateOnly SignatureDate { get; init; }

    /// <summary>The SEPA Creditor Identifier the mandate was given to.</summary>
    public required string CreditorId { get; init; }

    /// <summary>When the mandate was recorded.</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>
/// An exported SEPA Direct Debit collection file (<c>ddb_…</c>, pain.008.001.02). Download the file itself with
/// <see cref="DirectDebitBatchesOperations.DownloadFileAsync"/>.
/// </summary>
public sealed record DirectDebitBatch : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>ddb_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The file's <c>GrpHdr/MsgId</c>.</summary>
    public required string MessageId { get; init; }

    /// <summary>How many debits the file holds (<c>NbOfTxs</c>).</summary>
    public required int Count { get; init; }

    /// <summary>The sum of the debits in minor units (<c>CtrlSum</c>).</summary>
    public required long ControlSum { get; init; }

    /// <summary>Always <c>EUR</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>Debits exported as their mandate's first collection (<c>FRST</c>).</summary>
    public required int FirstCount { get; init; }

    /// <summary>Debits exported as recurring collections (<c>RCUR</c>).</summary>
    public required int RecurringCount { get; init; }

    /// <summary>The requested collection date (<c>ReqdColltnDt</c>), a TARGET2 business day.</summary>
    public required DateOnly CollectionDate { get; init; }

    /// <summary>When the file was exported.</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>A <c>sepa_debit</c> payment's collection details (docs/bank-transfers.md).</summary>
public sealed record DirectDebit
{
    /// <summary>The mandate (<c>mdt_…</c>) it collects under.</summary>
    public required string Mandate { get; init; }

    /// <summary>The mandate's reference, as written into the collection file.</summary>
    public required string MandateReference { get; init; }

    /// <summary>The collection file (<c>ddb_…</c>) it was exported in; null until exported.</summary>
    public string? Batch { get; init; }

    /// <summary><c>FRST</c> or <c>RCUR</c>; null until exported.</summary>
    public string? SequenceType { get; init; }

    /// <summary>The requested collection date; null until exported.</summary>
    public DateOnly? CollectionDate { get; init; }

    /// <summary>Set when the bank returned the debit after it had settled: the payment stays succeeded but the money went back.</summary>
    public DirectDebitLateReturn? ReturnedAfterSettlement { get; init; }
}

/// <summary>A return (R-transaction) of a debit that had already settled.</summary>
public sealed record DirectDebitLateReturn
{
    /// <summary>The SEPA reason code (for example <c>MD06</c>), or <c>reversal</c> / <c>unknown</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>The returned amount in minor units, as booked by the bank.</summary>
    public required long Amount { get; init; }

    /// <summary>The statement entry (<c>bse_…</c>) that carried the return.</summary>
    public required string BankStatementEntry { get; init; }

    /// <summary>When the return was imported.</summary>
    public required DateTimeOffset ReturnedAt { get; init; }
}
