using System.ComponentModel.DataAnnotations;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Api;

// Bank transfers and SEPA accounts in the public API (docs/bank-transfers.md).

/// <summary>A SEPA account's masked view: country and last four characters of the IBAN, never the IBAN.</summary>
public sealed record SepaDebitResource
{
    public required string Country { get; init; }
    public required string Last4 { get; init; }
    public required string Fingerprint { get; init; }
    public string? Bic { get; init; }
}

/// <summary>What the customer must transfer, to where, with which reference (<c>next_action.type = bank_transfer_instructions</c>).</summary>
public sealed record BankTransferInstructionsResource
{
    public required string Iban { get; init; }
    public string? Bic { get; init; }
    public required string AccountHolderName { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }

    /// <summary>The ISO 11649 creditor reference, without spaces.</summary>
    public required string Reference { get; init; }

    /// <summary>The same reference in groups of four, as printed on invoices.</summary>
    public required string ReferenceFormatted { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The bank name a provider gave for its collection account (Mollie's <c>bankName</c>); null for the gateway's own transfers.</summary>
    public string? BankName { get; init; }
}

/// <summary>A bank-transfer payment's reconciliation state.</summary>
public sealed record BankTransferResource
{
    public required string Reference { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required long AmountRemaining { get; init; }
    public required long AmountSurplus { get; init; }
    public required long AmountRefundDue { get; init; }
    public required IReadOnlyList<string> Entries { get; init; }
}

public sealed record BankStatementResource
{
    public required string Id { get; init; }
    public string Object => "bank_statement";
    public required bool Livemode { get; init; }
    public required string StatementId { get; init; }
    public string? MessageId { get; init; }
    public string? Account { get; init; }
    public required int EntryCount { get; init; }
    public required int MatchedCount { get; init; }
    public required int UnmatchedCount { get; init; }

    /// <summary>True when this statement had been imported before: nothing changed.</summary>
    public required bool Duplicate { get; init; }

    /// <summary>The entries this import created (empty for a duplicate; list them with <c>GET /v1/bank_statement_entries</c>).</summary>
    public required IReadOnlyList<BankStatementEntryResource> Entries { get; init; }
    public required DateTimeOffset Created { get; init; }
}

public sealed record BankStatementEntryResource
{
    public required string Id { get; init; }
    public string Object => "bank_statement_entry";
    public required bool Livemode { get; init; }
    public required string BankStatement { get; init; }
    public required string Status { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string CreditDebit { get; init; }
    public required bool Reversal { get; init; }
    public string? BookingDate { get; init; }
    public string? Reference { get; init; }
    public string? RemittanceInformation { get; init; }
    public string? DebtorName { get; init; }
    public string? DebtorAccount { get; init; }
    public string? EndToEndId { get; init; }
    public string? AccountServicerReference { get; init; }
    public string? EntryReference { get; init; }
    public string? ReturnReason { get; init; }
    public string? Payment { get; init; }
    public string? MatchedBy { get; init; }
    public string? Note { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

public sealed record SepaDebitDetailsRequest
{
    public string? Iban { get; init; }
    public string? Bic { get; init; }
}

public sealed record MatchBankStatementEntryRequest
{
    [Required]
    public string? Payment { get; init; }
}

public static class BankTransferResourceMapper
{
    public const string InstructionsActionType = "bank_transfer_instructions";

    public static SepaDebitResource? ToSepaResource(this StoredPaymentMethod pm) => pm.SepaDebit is not { } s ? null : new SepaDebitResource
    {
        Country = s.Country,
        Last4 = s.Last4,
        Fingerprint = s.Fingerprint,
        Bic = s.Bic,
    };

    public static BankTransferResource? ToBankTransferResource(this Payment p) => p.BankTransfer is not { } b ? null : new BankTransferResource
    {
        Reference = b.Reference,
        ExpiresAt = b.ExpiresAt,
        AmountRemaining = Math.Max(0, p.Amount - p.AmountReceived),
        AmountSurplus = b.AmountSurplus,
        AmountRefundDue = b.AmountRefundDue,
        Entries = b.Entries,
    };

    public static BankTransferInstructionsResource? ToInstructions(this Payment p) =>
        p.NextAction?.Type != InstructionsActionType || p.BankTransfer is not { } b ? null : new BankTransferInstructionsResource
        {
            Iban = b.Iban,
            Bic = b.Bic,
            AccountHolderName = b.AccountHolderName,
            Amount = Math.Max(0, p.Amount - p.AmountReceived),
            Currency = p.Currency,
            Reference = b.Reference,
            ReferenceFormatted = b.ProviderAccountId is null ? CreditorReference.Format(b.Reference) : b.Reference,
            ExpiresAt = b.ExpiresAt,
            BankName = b.BankName,
        };

    public static BankStatementResource ToResource(this BankStatement s, bool duplicate, IReadOnlyList<BankStatementEntry> entries) => new()
    {
        Id = s.Id,
        Livemode = s.Livemode,
        StatementId = s.StatementId,
        MessageId = s.MessageId,
        Account = s.Account,
        EntryCount = s.EntryCount,
        MatchedCount = s.MatchedCount,
        UnmatchedCount = s.UnmatchedCount,
        Duplicate = duplicate,
        Entries = entries.Select(e => e.ToResource()).ToList(),
        Created = s.Created,
    };

    public static BankStatementEntryResource ToResource(this BankStatementEntry e) => new()
    {
        Id = e.Id,
        Livemode = e.Livemode,
        BankStatement = e.StatementId,
        Status = e.Status.ToWire(),
        Amount = e.Amount,
        Currency = e.Currency,
        CreditDebit = e.CreditDebit,
        Reversal = e.Reversal,
        BookingDate = e.BookingDate,
        Reference = e.Reference,
        RemittanceInformation = e.RemittanceInformation,
        DebtorName = e.DebtorName,
        DebtorAccount = e.DebtorAccount,
        EndToEndId = e.EndToEndId,
        AccountServicerReference = e.AccountServicerReference,
        EntryReference = e.EntryReference,
        ReturnReason = e.ReturnReason,
        Payment = e.PaymentId,
        MatchedBy = e.MatchedBy,
        Note = e.Note,
        Created = e.Created,
        Updated = e.Updated,
    };
}
