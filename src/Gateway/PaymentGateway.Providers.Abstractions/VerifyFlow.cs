namespace PaymentGateway.Providers;

/// <summary>
/// Verify a card without charging it (a zero-amount or account-verification authorization), usually to store it for
/// later payments. Nothing is held on the card. 3-D Secure may be required: the answer is then
/// <see cref="ProviderOutcome.RequiresAction"/> and <see cref="IAuthenticationFlow"/> finishes it.
/// </summary>
public sealed record VerifyRequest
{
    /// <summary>The merchant's account at the provider (credentials, settings); null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway payment id (a payment in setup mode, amount zero).</summary>
    public required string PaymentId { get; init; }

    /// <summary>The gateway attempt id; stable for this attempt.</summary>
    public required string AttemptId { get; init; }

    /// <summary>The idempotency key to pass to the provider, derived from the attempt. Reused on every retry.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The currency the card is verified in (providers that verify with a small amount use its minimum).</summary>
    public required Currency Currency { get; init; }

    /// <summary>The card.</summary>
    public required ProviderCard Card { get; init; }

    /// <summary>Where the customer comes back after a redirect (3-D Secure).</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>A short statement description.</summary>
    public string? Description { get; init; }

    /// <summary>The stored-credential data: a verification that stores a card is the first, customer-initiated payment of a series.</summary>
    public StoredCredential? StoredCredential { get; init; }

    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>Verify flow: check a card with the issuer without charging it.</summary>
public interface IVerifyFlow
{
    /// <summary>
    /// Verifies the card. <see cref="ProviderOutcome.Succeeded"/> (or <see cref="ProviderOutcome.Authorized"/>, which the
    /// gateway reads the same way) means verified, with <see cref="ProviderPaymentResult.NetworkTransactionId"/> and
    /// <see cref="ProviderPaymentResult.RecurringReferences"/> set when the provider returns them;
    /// <see cref="ProviderOutcome.RequiresAction"/> a 3-D Secure redirect; <see cref="ProviderOutcome.Declined"/> refused.
    /// Throws like <see cref="IAuthorizeFlow.AuthorizeAsync"/> when the outcome is unknown or the provider was not reached.
    /// </summary>
    Task<ProviderPaymentResult> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken);
}
