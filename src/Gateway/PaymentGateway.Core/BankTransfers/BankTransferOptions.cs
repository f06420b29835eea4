namespace PaymentGateway.Core.BankTransfers;

/// <summary>Configuration section <c>PaymentGateway:BankTransfers</c> (docs/bank-transfers.md).</summary>
public sealed class BankTransferOptions
{
    /// <summary>The collection account shown to customers, for every merchant without its own entry in <see cref="Merchants"/>.</summary>
    public CollectionAccountOptions? CollectionAccount { get; set; }

    /// <summary>Per-merchant collection accounts, keyed by merchant id.</summary>
    public Dictionary<string, CollectionAccountOptions> Merchants { get; set; } = [];

    /// <summary>How long a customer has to pay before the transfer payment is canceled.</summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The largest camt.053 upload accepted, in bytes. Larger uploads are refused with 413 and change nothing.</summary>
    public long MaxStatementBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>How often the expiry job looks for unpaid transfers past their expiry.</summary>
    public TimeSpan ExpiryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool ExpiryEnabled { get; set; } = true;

    /// <summary>The SEPA Creditor Identifier used for direct debits (mandates, pain.008), for example DE98ZZZ09999999999.</summary>
    public string? CreditorId { get; set; }

    /// <summary>How far after the export the requested collection date (ReqdColltnDt) is set.</summary>
    public TimeSpan CollectionLeadTime { get; set; } = TimeSpan.FromDays(2);

    /// <summary>TARGET2 business days after its collection date after which an exported debit without a return succeeds.</summary>
    public int SettlementBusinessDays { get; set; } = 5;

    /// <summary>How often the settlement job looks for exported debits past their settlement date.</summary>
    public TimeSpan SettlementInterval { get; set; } = TimeSpan.FromMinutes(5);

    public bool SettlementEnabled { get; set; } = true;

    public CollectionAccountOptions? For(string merchantId) =>
        Merchants.TryGetValue(merchantId, out var own) ? own : CollectionAccount;
}

public sealed class CollectionAccountOptions
{
    public string? Iban { get; set; }
    public string? Bic { get; set; }
    public string? AccountHolderName { get; set; }
}
