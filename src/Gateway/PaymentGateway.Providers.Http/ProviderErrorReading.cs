namespace PaymentGateway.Providers.Http;

/// <summary>What an adapter reads from its provider's error answer (<see cref="ProviderHttpTransport.ReadError"/>).</summary>
public sealed record ProviderErrorReading
{
    /// <summary>The error's type and code for messages and logs ("card_error/card_declined"); never card data.</summary>
    public required string Summary { get; init; }

    /// <summary>
    /// What the provider documents this error to mean where it differs from <see cref="ProviderErrorPolicy.ForStatus"/>
    /// (Stripe: a <c>card_error</c> is a decline whatever the status); null to follow the shared rule.
    /// </summary>
    public ProviderErrorDisposition? Documented { get; init; }

    /// <summary>The declined result returned when the answer is classified <see cref="ProviderErrorDisposition.Declined"/>.</summary>
    public required ProviderPaymentResult Declined { get; init; }
}
