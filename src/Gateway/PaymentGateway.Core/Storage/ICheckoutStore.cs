using PaymentGateway.Core.Checkout;

namespace PaymentGateway.Core.Storage;

/// <summary>Hosted checkout sessions.</summary>
public interface ICheckoutStore
{
    Task CreateCheckoutSessionAsync(CheckoutSession session, CancellationToken cancellationToken);

    /// <summary>The session by id alone (the hosted page knows only the id); callers check merchant and mode.</summary>
    Task<CheckoutSession?> GetCheckoutSessionAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="session"/> if the stored version still equals its <see cref="CheckoutSession.Version"/>
    /// (else <see cref="ConcurrencyConflictException"/>), then increments the version.
    /// </summary>
    Task UpdateCheckoutSessionAsync(CheckoutSession session, CancellationToken cancellationToken);
}
