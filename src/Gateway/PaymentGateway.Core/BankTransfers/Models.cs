using System.Text.Json.Serialization;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>The masked view of a SEPA account; the IBAN itself is encrypted in the payment method's vault column.</summary>
public sealed record StoredSepaDebit
{
    public required string Country { get; init; }
    public required string Last4 { get; init; }
    public required string Fingerprint { get; init; }
    public string? Bic { get; init; }
}

/// <summary>What a bank-transfer payment waits for and what arrived. Lives in the payment's JSON.</summary>
public sealed class BankTransferDetails
{
    /// <summary>The ISO 11649 creditor reference, normalized (no spaces, upper case).</summary>
    public required string Reference { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string Iban { get; init; }
    public string? Bic { get; init; }
    public required string AccountHolderName { get; init; }

    /// <summary>Received beyond the amount due; the merchant owes it back (flagged, not refunded automatically).</summary>
    public long AmountSurplus { get; set; }

    /// <summary>Received after the payment was closed (expired or canceled); to be refunded, never accepted.</summary>
    public long AmountRefundDue { get; set; }

    /// <summary>The statement entries credited to this payment, oldest first.</summary>
    public List<string> Entries { get; init; } = [];

    /// <summary>
    /// Set when a provider collects this transfer (Mollie's <c>banktransfer</c>): the provider account whose account,
    /// reference and expiry the customer was given. The money goes to the provider, so statement imports never match
    /// such a payment; the provider's webhook or the reconciler's sync settles it. Null for the gateway's own transfers.
    /// </summary>
    public string? ProviderAccountId { get; init; }

    /// <summary>The bank (beneficiary) name the provider gave for its account; null for the gateway's own transfers.</summary>
    public string? BankName { get; init; }
}

/// <summary>A camt.053 statement as imported.</summary>
public sealed class BankStatement
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }

    /// <summary>Dedup key: the bank's statement id and a fingerprint of the account (never the IBAN itself).</summary>
    public required string StatementKey { get; init; }
    public required string StatementId { get; init; }
    public string? MessageId { get; init; }
    public string? Account { get; init; }
    public string? Namespace { get; init; }
    public int EntryCount { get; set; }
    public int MatchedCount { get; set; }
    public int UnmatchedCount { get; set; }
    public DateTimeOffset Created { get; init; }
}

/// <summary>One credit or debit line from a statement (a batch entry yields one per transaction detail).</summary>
public sealed class BankStatementEntry
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string StatementId { get; init; }

    /// <summary>Dedup key across statements: the bank's entry ids (AcctSvcrRef, NtryRef) and the transaction index.</summary>
    public required string EntryKey { get; init; }
    public BankEntryStatus Status { get; set; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string CreditDebit { get; init; }
    public bool Reversal { get; init; }
    public string? BookingDate { get; init; }
    public string? Reference { get; init; }
    public string? RemittanceInformation { get; init; }
    public string? DebtorName { get; init; }

    /// <summary>Masked (country + last 4); the full debtor IBAN is never stored.</summary>
    public string? DebtorAccount { get; init; }
    public string? EndToEndId { get; init; }
    public string? AccountServicerReference { get; init; }
    public string? EntryReference { get; init; }
    public string? ReturnReason { get; init; }
    public string? PaymentId { get; set; }
    public string? MatchedBy { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }
    public long Version { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<BankEntryStatus>))]
public enum BankEntryStatus
{
    /// <summary>Credited to a payment.</summary>
    [JsonStringEnumMemberName("matched")] Matched,
    /// <summary>A credit no open payment claims; waits for manual matching.</summary>
    [JsonStringEnumMemberName("unmatched")] Unmatched,
    /// <summary>A credit for a payment that was already closed (expired, canceled, failed): to be refunded.</summary>
    [JsonStringEnumMemberName("refund_required")] RefundRequired,
    /// <summary>A return or reversal (R-transaction) applied to a payment.</summary>
    [JsonStringEnumMemberName("returned")] Returned,
    /// <summary>Not ours to match: a debit without return information, or a booking that is not final.</summary>
    [JsonStringEnumMemberName("ignored")] Ignored,
}

public static class BankEntryStatusNames
{
    public static string ToWire(this BankEntryStatus status) => status switch
    {
        BankEntryStatus.Matched => "matched",
        BankEntryStatus.Unmatched => "unmatched",
        BankEntryStatus.RefundRequired => "refund_required",
        BankEntryStatus.Returned => "returned",
        BankEntryStatus.Ignored => "ignored",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string value, out BankEntryStatus status)
    {
        foreach (var candidate in Enum.GetValues<BankEntryStatus>())
        {
            if (candidate.ToWire() == value)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
