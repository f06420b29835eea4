namespace PaymentGateway.Sdk;

/// <summary>The masked view of a SEPA account: never the IBAN, only its country and last four characters.</summary>
public sealed record SepaDebit
{
    /// <summary>The IBAN's country code.</summary>
    public required string Country { get; init; }

    /// <summary>The IBAN's last four characters.</summary>
    public required string Last4 { get; init; }

    /// <summary>The same for the same IBAN within a gateway.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The BIC, if given.</summary>
    public string? Bic { get; init; }
}

/// <summary>Transfer instructions to show the customer.</summary>
public sealed record BankTransferInstructions
{
    /// <summary>The merchant's collection IBAN.</summary>
    public required string Iban { get; init; }

    /// <summary>The collection account's BIC, if configured.</summary>
    public string? Bic { get; init; }

    /// <summary>The account holder (beneficiary) name.</summary>
    public required string AccountHolderName { get; init; }

    /// <summary>The amount still due, in minor units.</summary>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; init; }

    /// <summary>The ISO 11649 creditor reference, without spaces.</summary>
    public required string Reference { get; init; }

    /// <summary>The reference in groups of four, as printed.</summary>
    public required string ReferenceFormatted { get; init; }

    /// <summary>When the payment is canceled if not paid.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The bank name a provider gave for its collection account (a transfer collected by Mollie); null for the gateway's own transfers.</summary>
    public string? BankName { get; init; }
}

/// <summary>A bank-transfer payment's reconciliation state.</summary>
public sealed record BankTransfer
{
    /// <summary>The ISO 11649 creditor reference.</summary>
    public required string Reference { get; init; }

    /// <summary>When the payment is canceled if not paid.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Still to be paid, in minor units.</summary>
    public required long AmountRemaining { get; init; }

    /// <summary>Paid beyond the amount (to be refunded by the merchant).</summary>
    public required long AmountSurplus { get; init; }

    /// <summary>Received after the payment was closed (to be refunded by the merchant).</summary>
    public required long AmountRefundDue { get; init; }

    /// <summary>The statement entries credited to this payment.</summary>
    public IReadOnlyList<string> Entries { get; init; } = [];
}
