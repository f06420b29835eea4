namespace PaymentGateway.Providers;

/// <summary>What the payment asks of 3-D Secure. Adapters translate it to their provider's request.</summary>
public enum ThreeDSecurePreference
{
    /// <summary>
    /// Authenticate when the issuer, the provider's rules or regulation (PSD2 strong customer authentication) call for
    /// it, frictionless where possible. The default for a customer-present card payment.
    /// </summary>
    Automatic,

    /// <summary>Ask the issuer for a challenge (the merchant's risk decision).</summary>
    Challenge,
}
