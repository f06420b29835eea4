using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.Api;

// Exported SEPA Direct Debit collection files in the public API (docs/bank-transfers.md, "Collection file").

/// <summary>An exported pain.008 file's metadata; the file itself is at <c>GET /v1/direct_debit_batches/{id}/file</c>.</summary>
public sealed record DirectDebitBatchResource
{
    public required string Id { get; init; }
    public string Object => "direct_debit_batch";
    public required bool Livemode { get; init; }
    public required string MessageId { get; init; }
    public required int Count { get; init; }
    public required long ControlSum { get; init; }
    public string Currency => "EUR";
    public required int FirstCount { get; init; }
    public required int RecurringCount { get; init; }
    public required string CollectionDate { get; init; }
    public required DateTimeOffset Created { get; init; }
}

public static class DirectDebitBatchResourceMapper
{
    public static DirectDebitBatchResource ToResource(this DirectDebitBatch b) => new()
    {
        Id = b.Id,
        Livemode = b.Livemode,
        MessageId = b.MessageId,
        Count = b.Count,
        ControlSum = b.ControlSum,
        FirstCount = b.FirstCount,
        RecurringCount = b.Count - b.FirstCount,
        CollectionDate = b.CollectionDate,
        Created = b.Created,
    };
}

/// <summary>A <c>sepa_debit</c> payment's collection details (null on other payments). Holds no IBAN.</summary>
public sealed record DirectDebitResource
{
    public required string Mandate { get; init; }
    public required string MandateReference { get; init; }

    /// <summary>The collection file it was exported in; null until exported.</summary>
    public string? Batch { get; init; }

    /// <summary>FRST or RCUR; null until exported.</summary>
    public string? SequenceType { get; init; }

    /// <summary>The requested collection date (yyyy-MM-dd); null until exported.</summary>
    public string? CollectionDate { get; init; }

    /// <summary>Set when the bank returned the debit after it had settled: the payment stays succeeded, the money is gone.</summary>
    public DirectDebitLateReturnResource? ReturnedAfterSettlement { get; init; }
}

public sealed record DirectDebitLateReturnResource
{
    public required string Reason { get; init; }
    public required long Amount { get; init; }
    public required string BankStatementEntry { get; init; }
    public required DateTimeOffset ReturnedAt { get; init; }
}

public static class DirectDebitResourceMapper
{
    public static DirectDebitResource? ToDirectDebitResource(this Payments.Payment p) => p.DirectDebit is not { } d ? null : new()
    {
        Mandate = d.MandateId,
        MandateReference = d.MandateReference,
        Batch = d.BatchId,
        SequenceType = d.SequenceType,
        CollectionDate = d.CollectionDate,
        ReturnedAfterSettlement = d.ReturnedAfterSettlement is not { } r ? null : new()
        {
            Reason = r.Reason,
            Amount = r.Amount,
            BankStatementEntry = r.BankStatementEntryId,
            ReturnedAt = r.ReturnedAt,
        },
    };
}
