using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>An imported ISO 20022 camt.053 statement (<c>bst_…</c>) and what its import matched.</summary>
public sealed record BankStatement : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>bst_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The bank's statement id (<c>Stmt/Id</c>).</summary>
    public required string StatementId { get; init; }

    /// <summary>The bank's message id (<c>GrpHdr/MsgId</c>), if given.</summary>
    public string? MessageId { get; init; }

    /// <summary>The statement's account, masked (country and last four characters).</summary>
    public string? Account { get; init; }

    /// <summary>How many entries the import created (fixed at import).</summary>
    public required int EntryCount { get; init; }

    /// <summary>Entries credited to or returned against a payment, as of this read (manual matches included).</summary>
    public required int MatchedCount { get; init; }

    /// <summary>Credits still waiting for a manual match, as of this read.</summary>
    public required int UnmatchedCount { get; init; }

    /// <summary><see langword="true"/> when the statement had been imported before: nothing changed.</summary>
    public required bool Duplicate { get; init; }

    /// <summary>The entries: those the import created, or (on retrieve) the statement's entries. Empty for a duplicate import.</summary>
    public required IReadOnlyList<BankStatementEntry> Entries { get; init; }

    /// <summary>When the statement was imported.</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>One credit or debit line of an imported statement (<c>bse_…</c>); a batch entry yields one per transaction.</summary>
public sealed record BankStatementEntry : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>bse_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The id of the statement it came from (<c>bst_…</c>).</summary>
    public required string BankStatement { get; init; }

    /// <summary>Whether and how it was matched; see <see cref="BankStatementEntryStatus"/>.</summary>
    public required BankStatementEntryStatus Status { get; init; }

    /// <summary>The amount in minor units.</summary>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 currency code, upper case.</summary>
    public required string Currency { get; init; }

    /// <summary><c>CRDT</c> (money in) or <c>DBIT</c> (money out).</summary>
    public required string CreditDebit { get; init; }

    /// <summary><see langword="true"/> for a reversal (<c>RvslInd</c>).</summary>
    public required bool Reversal { get; init; }

    /// <summary>The booking date (ISO 8601 date), if given.</summary>
    public string? BookingDate { get; init; }

    /// <summary>The structured remittance reference (<c>CdtrRefInf/Ref</c>), if given.</summary>
    public string? Reference { get; init; }

    /// <summary>The unstructured remittance text (<c>Ustrd</c>), if given.</summary>
    public string? RemittanceInformation { get; init; }

    /// <summary>The debtor's name, if given.</summary>
    public string? DebtorName { get; init; }

    /// <summary>The debtor's account, masked (country and last four characters).</summary>
    public string? DebtorAccount { get; init; }

    /// <summary>The end-to-end id, if given.</summary>
    public string? EndToEndId { get; init; }

    /// <summary>The bank's reference of the entry (<c>AcctSvcrRef</c>).</summary>
    public string? AccountServicerReference { get; init; }

    /// <summary>The entry reference (<c>NtryRef</c>).</summary>
    public string? EntryReference { get; init; }

    /// <summary>The return reason code of an R-transaction, if any.</summary>
    public string? ReturnReason { get; init; }

    /// <summary>The payment it was credited to or returned against (<c>pay_…</c>).</summary>
    public string? Payment { get; init; }

    /// <summary>How it was matched: <c>structured_reference</c>, <c>remittance_information</c>, <c>end_to_end_id</c> or <c>manual</c>.</summary>
    public string? MatchedBy { get; init; }

    /// <summary>Why it has its status, for a person reviewing it.</summary>
    public string? Note { get; init; }

    /// <summary>When it was imported.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When it last changed (for example a manual match).</summary>
    public required DateTimeOffset Updated { get; init; }
}

/// <summary>The status of a statement entry. Unknown values sent by a newer server are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<BankStatementEntryStatus>))]
public readonly record struct BankStatementEntryStatus : IExtensibleValue<BankStatementEntryStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"unmatched"</c>.</param>
    public BankStatementEntryStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Credited to a payment. Wire value <c>matched</c>.</summary>
    public static BankStatementEntryStatus Matched { get; } = new("matched");

    /// <summary>A credit no open payment claims: match it with <see cref="BankStatementEntriesOperations.MatchAsync"/>. Wire value <c>unmatched</c>.</summary>
    public static BankStatementEntryStatus Unmatched { get; } = new("unmatched");

    /// <summary>A credit for a payment already closed (expired or canceled): to be refunded. Wire value <c>refund_required</c>.</summary>
    public static BankStatementEntryStatus RefundRequired { get; } = new("refund_required");

    /// <summary>A return or reversal applied to a payment. Wire value <c>returned</c>.</summary>
    public static BankStatementEntryStatus Returned { get; } = new("returned");

    /// <summary>Nothing to match (a debit, or not booked yet). Wire value <c>ignored</c>.</summary>
    public static BankStatementEntryStatus Ignored { get; } = new("ignored");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator BankStatementEntryStatus(string value) => new(value);

    static BankStatementEntryStatus IExtensibleValue<BankStatementEntryStatus>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
