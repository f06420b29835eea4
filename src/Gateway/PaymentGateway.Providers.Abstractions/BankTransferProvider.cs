namespace PaymentGateway.Providers;

/// <summary>
/// Bank transfers collected by a provider (Mollie's <c>banktransfer</c> method): the provider opens a transfer and
/// answers with its own account, reference and expiry for the customer; the money goes to the provider's account,
/// and the provider reports when it arrived. An adapter that implements this lists <c>bank_transfer</c> in
/// <see cref="ProviderCapabilities.PaymentMethodTypes"/>.
/// </summary>
public interface IBankTransferProvider
{
    /// <summary>
    /// Opens a transfer. Sends <see cref="CreateBankTransferRequest.IdempotencyKey"/> as the provider's idempotency key,
    /// so repeating the call with the same key never opens a second transfer. Throws
    /// <see cref="ProviderUnavailableException"/> when the provider certainly opened nothing and
    /// <see cref="ProviderOutcomeUnknownException"/> when it may have.
    /// </summary>
    Task<ProviderBankTransfer> CreateBankTransferAsync(CreateBankTransferRequest request, CancellationToken cancellationToken);

    /// <summary>The provider's current view of a transfer (the reconciler's status sync, and webhooks that carry no status).</summary>
    Task<ProviderBankTransfer> GetBankTransferAsync(BankTransferStatusRequest request, CancellationToken cancellationToken);
}

/// <summary>Open a bank transfer at the provider.</summary>
public sealed record CreateBankTransferRequest
{
    /// <summary>The merchant's account at the provider.</summary>
    public required ProviderAccount Account { get; init; }

    /// <summary>The gateway payment id (sent as metadata, echoed in webhooks).</summary>
    public required string PaymentId { get; init; }

    /// <summary>The gateway attempt id.</summary>
    public required string AttemptId { get; init; }

    /// <summary>The idempotency key, derived from the attempt; the same on every retry.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The amount to be transferred.</summary>
    public required Money Amount { get; init; }

    /// <summary>A description (the provider may show it on the customer's statement).</summary>
    public string? Description { get; init; }

    /// <summary>Where the customer returns from the provider's hosted status page, if anywhere.</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>Read a transfer's state at the provider.</summary>
public sealed record BankTransferStatusRequest
{
    /// <summary>The merchant's account at the provider.</summary>
    public required ProviderAccount Account { get; init; }

    /// <summary>The gateway payment id.</summary>
    public required string PaymentId { get; init; }

    /// <summary>The provider's id of the transfer.</summary>
    public required string ProviderReference { get; init; }
}

/// <summary>A transfer's state at the provider, normalized.</summary>
public enum ProviderTransferStatus
{
    /// <summary>Waiting for the customer's money (also what any unknown provider status maps to).</summary>
    Open,

    /// <summary>The money arrived at the provider.</summary>
    Paid,

    /// <summary>Nothing arrived before the provider's expiry.</summary>
    Expired,

    /// <summary>Canceled at the provider (by the merchant in the provider's dashboard or API).</summary>
    Canceled,

    /// <summary>The provider reports the transfer failed.</summary>
    Failed,
}

/// <summary>What the provider said about a transfer.</summary>
public sealed record ProviderBankTransfer
{
    /// <summary>The provider's id of the transfer (Mollie: <c>tr_…</c>).</summary>
    public required string ProviderReference { get; init; }

    /// <summary>The normalized state.</summary>
    public required ProviderTransferStatus Status { get; init; }

    /// <summary>What the customer must transfer to; present while the transfer is open (Mollie states it on every read).</summary>
    public ProviderTransferInstructions? Instructions { get; init; }

    /// <summary>When the provider expires the transfer if nothing arrived.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the money arrived (paid only).</summary>
    public DateTimeOffset? PaidAt { get; init; }

    /// <summary>The transfer's amount as the provider states it.</summary>
    public Money? Amount { get; init; }

    /// <summary>The provider's raw status, for diagnostics.</summary>
    public string? RawStatus { get; init; }
}

/// <summary>The provider's account and reference the customer transfers to, shown as the provider gives them.</summary>
public sealed record ProviderTransferInstructions
{
    /// <summary>The name to transfer to as the provider states it (Mollie's <c>bankName</c>, e.g. "Stichting Mollie Payments").</summary>
    public required string BankName { get; init; }

    /// <summary>The IBAN to transfer to (Mollie's <c>bankAccount</c>), without spaces.</summary>
    public required string Iban { get; init; }

    /// <summary>The BIC of that account, when stated.</summary>
    public string? Bic { get; init; }

    /// <summary>The reference the customer must use, exactly as the provider gives it (no formatting applied).</summary>
    public required string Reference { get; init; }
}
