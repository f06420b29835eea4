using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.Storage;

/// <summary>SEPA Direct Debit mandates (docs/bank-transfers.md). The mandate reference is unique per merchant and mode, ignoring case.</summary>
public interface IMandateStore
{
    /// <summary>Stores a new mandate; a reference the merchant already uses (any case) throws <see cref="ConcurrencyConflictException"/> and nothing is written.</summary>
    Task InsertMandateAsync(Mandate mandate, CancellationToken cancellationToken);

    Task<Mandate?> GetMandateAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    /// <summary>The merchant's <c>sepa_debit</c> payments still processing and not yet in a collection file, oldest first.</summary>
    Task<IReadOnlyList<Payments.Payment>> ListUnexportedDirectDebitsAsync(string merchantId, bool livemode, int limit, CancellationToken cancellationToken);
}
