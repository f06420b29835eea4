namespace PaymentGateway.Providers.Http;

/// <summary>What the gateway makes of a provider call that did not end with the provider's success answer.</summary>
public enum ProviderErrorDisposition
{
    /// <summary>The provider's definite refusal (card declined, invalid request): a declined result, not an exception.</summary>
    Declined,

    /// <summary>The provider certainly did not process the request: <see cref="ProviderUnavailableException"/>, safe to try elsewhere.</summary>
    Unavailable,

    /// <summary>The provider may have processed it: <see cref="ProviderOutcomeUnknownException"/>, reconcile with the same idempotency key.</summary>
    OutcomeUnknown,
}
