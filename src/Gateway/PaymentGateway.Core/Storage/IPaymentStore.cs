using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Payments, their refunds and payment methods, and the atomic commit of payment state with its events. Everything in
/// one <see cref="StoreChanges"/> is applied atomically, updates are checked against the version they were read at, and
/// events land in the same transaction.
/// </summary>
public interface IPaymentStore
{
    /// <summary>Applies all changes atomically. Throws <see cref="ConcurrencyConflictException"/> when a version check fails.</summary>
    Task CommitAsync(StoreChanges changes, CancellationToken cancellationToken);

    Task<Payment?> GetPaymentAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    /// <summary>Reads a payment by id alone; for background work and provider callbacks, never for API callers.</summary>
    Task<Payment?> GetPaymentByIdAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Payment>> ListPaymentsAsync(string merchantId, bool livemode, PaymentListQuery query, CancellationToken cancellationToken);

    /// <summary>Payments in <see cref="PaymentStatus.Processing"/> not touched since <paramref name="updatedBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<Payment>> ListStaleProcessingPaymentsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken);

    Task<Refund?> GetRefundAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Refund>> ListRefundsAsync(string merchantId, bool livemode, string? paymentId, ListQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<Refund>> ListStalePendingRefundsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken);

    Task<StoredPaymentMethod?> GetPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);
}

public sealed record PaymentListQuery : ListQuery
{
    public PaymentStatus? Status { get; init; }

    /// <summary>Amount at least this (minor units).</summary>
    public long? AmountGte { get; init; }

    /// <summary>Amount at most this (minor units).</summary>
    public long? AmountLte { get; init; }

    /// <summary>ISO 4217 code as stored (upper case, from the currency table).</summary>
    public string? Currency { get; init; }

    /// <summary>The brand of the payment's card (<c>visa</c>, <c>mastercard</c>, …).</summary>
    public string? CardBrand { get; init; }

    /// <summary>The last four digits of the payment's card.</summary>
    public string? CardLast4 { get; init; }

    public string? Customer { get; init; }

    public string? PaymentMethod { get; init; }

    /// <summary>A value of any metadata key (an order id, say), matched exactly.</summary>
    public string? MetadataValue { get; init; }

    /// <summary>A provider account any attempt of the payment went to.</summary>
    public string? ProviderAccount { get; init; }

    /// <summary>The direct-debit collection file (<c>ddb_…</c>) the payment was exported in.</summary>
    public string? DirectDebitBatch { get; init; }
}

/// <summary>The refunds list's filters (the console's Refunds page); the REST list passes a plain <see cref="ListQuery"/>.</summary>
public sealed record RefundListQuery : ListQuery
{
    public RefundStatus? Status { get; init; }

    /// <summary>ISO 4217 code as stored (upper case, from the currency table).</summary>
    public string? Currency { get; init; }
}
