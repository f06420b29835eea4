namespace PaymentGateway.Sdk;

/// <summary>Filters and cursors of <c>GET /v1/bank_statement_entries</c>.</summary>
public sealed record ListBankStatementEntriesRequest
{
    /// <summary>Only entries with this status, for example <see cref="BankStatementEntryStatus.Unmatched"/>.</summary>
    public BankStatementEntryStatus? Status { get; init; }

    /// <summary>Only the entries of this statement (<c>bst_…</c>).</summary>
    public string? BankStatement { get; init; }

    /// <summary>How many entries per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>An entry id: list the entries after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>An entry id: list the entries before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}
