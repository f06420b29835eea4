using PaymentGateway.Core.Checkout;

namespace PaymentGateway.Core.Diagnostics;

public sealed partial class InstrumentedGatewayStore
{
    public Task CreateCheckoutSessionAsync(CheckoutSession session, CancellationToken cancellationToken) =>
        Run("CreateCheckoutSession", () => inner.CreateCheckoutSessionAsync(session, cancellationToken));

    public Task<CheckoutSession?> GetCheckoutSessionAsync(string id, CancellationToken cancellationToken) =>
        Run("GetCheckoutSession", () => inner.GetCheckoutSessionAsync(id, cancellationToken));

    public Task UpdateCheckoutSessionAsync(CheckoutSession session, CancellationToken cancellationToken) =>
        Run("UpdateCheckoutSession", () => inner.UpdateCheckoutSessionAsync(session, cancellationToken));
}
