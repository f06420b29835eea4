using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Diagnostics;

public sealed partial class InstrumentedGatewayStore
{
    public Task<IReadOnlyList<Payment>> ListProviderBankTransfersToSyncAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        Run("ListProviderBankTransfersToSync", () => inner.ListProviderBankTransfersToSyncAsync(updatedBefore, limit, cancellationToken));
}
