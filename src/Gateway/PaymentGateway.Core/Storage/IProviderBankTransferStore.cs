using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>Bank transfers collected by a provider (Mollie's <c>banktransfer</c>): what the reconciler's status sync looks at.</summary>
public interface IProviderBankTransferStore
{
    /// <summary>
    /// Bank-transfer payments routed to a provider that still wait on it, last updated before
    /// <paramref name="updatedBefore"/>, least recently updated first: <c>requires_action</c> ones collected by a provider
    /// (their <c>bank_transfer.provider_account_id</c> is set), and <c>requires_payment_method</c> ones whose latest
    /// attempt is <c>started</c> or <c>unknown</c> (the provider's answer to the create was lost). The gateway's own
    /// transfers, card payments and everything else are never listed.
    /// </summary>
    Task<IReadOnlyList<Payment>> ListProviderBankTransfersToSyncAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken);
}
