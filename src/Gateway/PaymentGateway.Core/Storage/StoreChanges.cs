using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>One atomic unit of writes (<see cref="IPaymentStore.CommitAsync"/>).</summary>
public sealed class StoreChanges
{
    public List<Payment> NewPayments { get; } = [];

    /// <summary>Updated payments; each is written only if the stored version still equals its <see cref="Payment.Version"/>.</summary>
    public List<Payment> UpdatedPayments { get; } = [];

    public List<Refund> NewRefunds { get; } = [];

    public List<Refund> UpdatedRefunds { get; } = [];

    public List<StoredPaymentMethod> NewPaymentMethods { get; } = [];

    public List<GatewayEvent> Events { get; } = [];

    public List<Merchant> NewMerchants { get; } = [];

    public List<ApiKeyRecord> NewApiKeys { get; } = [];

    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Audit entries recording these changes, appended to the chain in the same transaction.</summary>
    public List<Audit.AuditRecord> AuditRecords { get; } = [];

    /// <summary>The idempotency key's claim and/or response of the request making this commit, written in the same transaction.</summary>
    public IdempotencyKeyChanges? Idempotency { get; set; }

    public bool IsEmpty =>
        NewPayments.Count == 0 && UpdatedPayments.Count == 0 && NewRefunds.Count == 0 && UpdatedRefunds.Count == 0 &&
        NewPaymentMethods.Count == 0 && Events.Count == 0 && NewMerchants.Count == 0 && NewApiKeys.Count == 0 && Settings.Count == 0 && Idempotency is null && AuditRecords.Count == 0;

    /// <summary>Called by the store once the changes are committed: the updated copies are now at their stored versions.</summary>
    public void MarkCommitted()
    {
        NewPayments.ForEach(p => p.MarkCommitted(updated: false));
        UpdatedPayments.ForEach(p => p.MarkCommitted(updated: true));
        UpdatedRefunds.ForEach(r => r.Version++);
    }
}
