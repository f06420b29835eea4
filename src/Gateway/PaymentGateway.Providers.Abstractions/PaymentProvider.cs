using System.Collections.Frozen;

namespace PaymentGateway.Providers;

/// <summary>
/// A payment provider adapter. Each flow it supports is a separate small interface
/// (<see cref="IAuthorizeFlow"/>, <see cref="ICaptureFlow"/>, <see cref="IVoidFlow"/>, <see cref="IRefundFlow"/>,
/// <see cref="ISyncFlow"/>, <see cref="IAuthenticationFlow"/>); the gateway asks for the one it needs.
/// Adapters return results for declines and errors they understand; they throw only when the outcome is unknown
/// (<see cref="ProviderOutcomeUnknownException"/>) or the provider was not reached (<see cref="ProviderUnavailableException"/>).
/// </summary>
public interface IPaymentProvider
{
    /// <summary>The provider id, lower case ("simulator", "stripe").</summary>
    string Id { get; }

    /// <summary>What this provider can do.</summary>
    ProviderCapabilities Capabilities { get; }
}

/// <summary>Capability flags the router and the payments core consult before choosing a provider or a flow.</summary>
public sealed record ProviderCapabilities
{
    /// <summary>Payment method types supported ("card", "sepa_debit", "bank_transfer").</summary>
    public required IReadOnlySet<string> PaymentMethodTypes { get; init; }

    /// <summary>Currencies supported; null means every currency in the table.</summary>
    public IReadOnlySet<string>? Currencies { get; init; }

    /// <summary>Whether a capture may be smaller than the authorization.</summary>
    public bool PartialCapture { get; init; }

    /// <summary>Whether several refunds against one payment are allowed.</summary>
    public bool MultipleRefunds { get; init; }

    /// <summary>Whether the provider runs 3-D Secure and can return a redirect.</summary>
    public bool ThreeDSecure { get; init; }

    /// <summary>Whether the provider honours an idempotency key on write requests.</summary>
    public bool IdempotencyKeys { get; init; }

    /// <summary>
    /// Whether the adapter takes <see cref="AuthorizeRequest.StoredCredential"/> (first/subsequent, customer- or
    /// merchant-initiated) and returns what a later payment needs (<see cref="ProviderPaymentResult.NetworkTransactionId"/>,
    /// <see cref="ProviderPaymentResult.RecurringReferences"/>). The gateway saves cards and charges them off session only
    /// through adapters that declare it. Default false: an adapter that ignores the field is never sent an off-session payment.
    /// </summary>
    public bool StoredCredentials { get; init; }

    /// <summary>
    /// Whether the provider accepts a network transaction id from a series that started at another provider or account
    /// (<see cref="StoredCredential.NetworkTransactionId"/> without its own references), so a saved card can move to it.
    /// </summary>
    public bool AcceptsNetworkTransactionIds { get; init; }

    /// <summary>
    /// What a full card processor offers (Stripe, Adyen, Checkout.com, the simulator): cards in every currency of the
    /// table, partial capture, several refunds, 3-D Secure and idempotency keys. An adapter that differs starts from it
    /// with <c>with</c>.
    /// </summary>
    public static ProviderCapabilities CardProcessor { get; } = new()
    {
        PaymentMethodTypes = FrozenSet.ToFrozenSet(["card"], StringComparer.Ordinal),
        PartialCapture = true,
        MultipleRefunds = true,
        ThreeDSecure = true,
        IdempotencyKeys = true,
    };

    /// <summary>True when the currency is supported.</summary>
    public bool SupportsCurrency(string code) => Currencies is null || Currencies.Contains(code);
}

/// <summary>Card details handed to a provider at authorization time.</summary>
public sealed record ProviderCard
{
    /// <summary>The full card number.</summary>
    public required Secret Number { get; init; }

    /// <summary>Expiry month, 1-12.</summary>
    public required int ExpMonth { get; init; }

    /// <summary>Four-digit expiry year.</summary>
    public required int ExpYear { get; init; }

    /// <summary>The CVC when still held (single use); null after first use or expiry.</summary>
    public Secret? Cvc { get; init; }

    /// <summary>The card holder's name.</summary>
    public string? HolderName { get; init; }

    /// <summary>The detected brand ("visa", "mastercard", ...).</summary>
    public required string Brand { get; init; }
}

/// <summary>Authorize (and with <see cref="Capture"/> also capture) a payment.</summary>
public sealed record AuthorizeRequest
{
    /// <summary>The merchant's account at the provider (credentials, settings); null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway payment id.</summary>
    public required string PaymentId { get; init; }

    /// <summary>The gateway attempt id; stable for this attempt.</summary>
    public required string AttemptId { get; init; }

    /// <summary>The idempotency key to pass to the provider, derived from the attempt. Reused on every retry.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The amount.</summary>
    public required Money Amount { get; init; }

    /// <summary>True to capture in the same call (automatic capture).</summary>
    public required bool Capture { get; init; }

    /// <summary>
    /// The card, from the gateway's vault: its number is sent to the provider (raw card data). Null only when
    /// <see cref="ProviderPaymentMethod"/> names a payment method the provider tokenized itself.
    /// </summary>
    public ProviderCard? Card { get; init; }

    /// <summary>
    /// A payment method the provider tokenized itself (Stripe's <c>pm_…</c> from Stripe.js), sent instead of card data;
    /// only adapters that document it accept one (see docs/providers.md).
    /// </summary>
    public string? ProviderPaymentMethod { get; init; }

    /// <summary>Where the customer comes back after a redirect (3-D Secure).</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>What the gateway knows of the customer's browser (IP, origin, 3-D Secure 2 browser data), when it knows it.</summary>
    public CustomerBrowser? Browser { get; init; }

    /// <summary>What the payment asks of 3-D Secure.</summary>
    public ThreeDSecurePreference ThreeDSecure { get; init; }

    /// <summary>A short statement description.</summary>
    public string? Description { get; init; }

    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }

    /// <summary>
    /// The stored-credential data when the card is being saved (first payment of a series) or was saved before
    /// (a later customer- or merchant-initiated payment); null for a one-off payment. See <see cref="Providers.StoredCredential"/>.
    /// </summary>
    public StoredCredential? StoredCredential { get; init; }
}

/// <summary>The normalized outcome of a provider call.</summary>
public enum ProviderOutcome
{
    /// <summary>Funds reserved; capture later.</summary>
    Authorized,

    /// <summary>Funds captured (or the refund/void done).</summary>
    Succeeded,

    /// <summary>The customer must act (3-D Secure); see <see cref="ProviderPaymentResult.RedirectUrl"/>.</summary>
    RequiresAction,

    /// <summary>
    /// The provider accepted the request and will tell the final answer later: also an authorization whose automatic
    /// capture the provider runs asynchronously (Adyen <c>Authorised</c>, Checkout.com <c>Authorized</c> with
    /// <c>capture: true</c>), which is not <see cref="Succeeded"/> until the capture is confirmed. Also what any unknown
    /// provider status maps to.
    /// </summary>
    Pending,

    /// <summary>The issuer or provider declined; see <see cref="ProviderPaymentResult.DeclineCode"/>.</summary>
    Declined,
}

/// <summary>The result of authorize, sync, capture, void or 3-D Secure completion.</summary>
public sealed record ProviderPaymentResult
{
    /// <summary>The normalized outcome.</summary>
    public required ProviderOutcome Outcome { get; init; }

    /// <summary>The provider's own reference for the payment, when known.</summary>
    public string? ProviderReference { get; init; }

    /// <summary>A normalized decline code (<see cref="DeclineCodes"/>) when declined.</summary>
    public string? DeclineCode { get; init; }

    /// <summary>A message safe to show (no card data).</summary>
    public string? Message { get; init; }

    /// <summary>The URL to send the customer to with a plain <c>GET</c> when <see cref="ProviderOutcome.RequiresAction"/> (see <see cref="Action"/>).</summary>
    public string? RedirectUrl { get; init; }

    /// <summary>The complete action the provider asked for when <see cref="ProviderOutcome.RequiresAction"/>: a GET or POST redirect, or data for the provider's SDK.</summary>
    public ProviderNextAction? Action { get; init; }

    /// <summary>The provider's raw status, for diagnostics.</summary>
    public string? RawStatus { get; init; }

    /// <summary>The card scheme's transaction id of this payment, when the provider returns it (stored to start a series).</summary>
    public string? NetworkTransactionId { get; init; }

    /// <summary>
    /// What this provider account needs to charge the card again (its stored payment method, customer, mandate or
    /// previous payment id, under names the adapter chooses), when the card is being stored. The gateway keeps them
    /// encrypted with the saved card, per provider account, and sends them back in <see cref="StoredCredential.ProviderReferences"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? RecurringReferences { get; init; }
}

/// <summary>The normalized decline codes every adapter maps to.</summary>
public static class DeclineCodes
{
    /// <summary>The issuer declined without a reason.</summary>
    public const string GenericDecline = "generic_decline";
    /// <summary>Not enough money.</summary>
    public const string InsufficientFunds = "insufficient_funds";
    /// <summary>The CVC was wrong.</summary>
    public const string IncorrectCvc = "incorrect_cvc";
    /// <summary>The card has expired.</summary>
    public const string ExpiredCard = "expired_card";
    /// <summary>The provider or issuer failed to process; retrying may work.</summary>
    public const string ProcessingError = "processing_error";
    /// <summary>The customer failed 3-D Secure.</summary>
    public const string AuthenticationFailed = "authentication_failed";
    /// <summary>Suspected fraud.</summary>
    public const string Fraudulent = "fraudulent";
    /// <summary>Lost or stolen card.</summary>
    public const string LostOrStolen = "lost_or_stolen";
    /// <summary>The issuer wants the cardholder to authenticate (a soft decline, typically of an off-session payment): bring them back on session.</summary>
    public const string AuthenticationRequired = "authentication_required";
}

/// <summary>Capture an authorized payment.</summary>
public sealed record CaptureRequest
{
    /// <summary>The merchant's account at the provider (credentials, settings); null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway payment id.</summary>
    public required string PaymentId { get; init; }
    /// <summary>The provider's payment reference.</summary>
    public required string ProviderReference { get; init; }
    /// <summary>Derived, stable idempotency key.</summary>
    public required string IdempotencyKey { get; init; }
    /// <summary>The amount to capture.</summary>
    public required Money Amount { get; init; }
    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>Void (cancel) an authorization.</summary>
public sealed record VoidRequest
{
    /// <summary>The merchant's account at the provider (credentials, settings); null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway payment id.</summary>
    public required string PaymentId { get; init; }
    /// <summary>The provider's payment reference.</summary>
    public required string ProviderReference { get; init; }
    /// <summary>Derived, stable idempotency key.</summary>
    public required string IdempotencyKey { get; init; }
    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>Refund a captured payment, in full or in part.</summary>
public sealed record RefundRequest
{
    /// <summary>The merchant's account at the provider (credentials, settings); null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway refund id.</summary>
    public required string RefundId { get; init; }
    /// <summary>The gateway payment id.</summary>
    public required string PaymentId { get; init; }
    /// <summary>The provider's payment reference.</summary>
    public required string ProviderReference { get; init; }
    /// <summary>Derived, stable idempotency key.</summary>
    public required string IdempotencyKey { get; init; }
    /// <summary>The amount to refund.</summary>
    public required Money Amount { get; init; }
    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>The result of a refund.</summary>
public sealed record ProviderRefundResult
{
    /// <summary><see cref="ProviderOutcome.Succeeded"/>, <see cref="ProviderOutcome.Pending"/> or <see cref="ProviderOutcome.Declined"/>.</summary>
    public required ProviderOutcome Outcome { get; init; }
    /// <summary>The provider's refund reference.</summary>
    public string? ProviderReference { get; init; }
    /// <summary>Why it failed.</summary>
    public string? FailureReason { get; init; }
}

/// <summary>Ask the provider for the current state of an attempt whose outcome is unknown or pending.</summary>
public sealed record SyncRequest
{
    /// <summary>The merchant's account at the provider (credentials, settings); null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway payment id.</summary>
    public required string PaymentId { get; init; }
    /// <summary>The attempt's idempotency key (what the provider knows the attempt by when no reference came back).</summary>
    public required string IdempotencyKey { get; init; }
    /// <summary>The provider's reference, if one came back.</summary>
    public string? ProviderReference { get; init; }
    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>Finish a customer action (3-D Secure) with what the provider's redirect returned.</summary>
public sealed record CompleteAuthenticationRequest
{
    /// <summary>The merchant's account at the provider (credentials, settings); null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway payment id.</summary>
    public required string PaymentId { get; init; }
    /// <summary>The provider's reference.</summary>
    public required string ProviderReference { get; init; }
    /// <summary>Opaque data the provider returned with the customer (query or form fields).</summary>
    public required IReadOnlyDictionary<string, string> Details { get; init; }
    /// <summary>Whether to capture once authenticated.</summary>
    public required bool Capture { get; init; }
    /// <summary>The payment amount.</summary>
    public required Money Amount { get; init; }
    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
    /// <summary>The stored-credential data of the authorization being completed, as it was sent (null for a one-off payment).</summary>
    public StoredCredential? StoredCredential { get; init; }
}

/// <summary>Authorize flow.</summary>
public interface IAuthorizeFlow
{
    /// <summary>Authorizes (and optionally captures) a card payment.</summary>
    Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken);
}

/// <summary>Capture flow.</summary>
public interface ICaptureFlow
{
    /// <summary>Captures an authorization.</summary>
    Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken);
}

/// <summary>Void flow.</summary>
public interface IVoidFlow
{
    /// <summary>Releases an authorization.</summary>
    Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken);
}

/// <summary>Refund flow.</summary>
public interface IRefundFlow
{
    /// <summary>Refunds captured money.</summary>
    Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}

/// <summary>Status flow, used by the reconciler for unknown and pending outcomes.</summary>
public interface ISyncFlow
{
    /// <summary>Reads the provider's current view of an attempt.</summary>
    Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken);
}

/// <summary>Completes a customer action such as 3-D Secure.</summary>
public interface IAuthenticationFlow
{
    /// <summary>Completes authentication and returns the resulting authorization outcome.</summary>
    Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken);
}

/// <summary>The provider may or may not have acted on the request (timeout, connection cut after sending). Never retry with a new key.</summary>
public sealed class ProviderOutcomeUnknownException(string providerId, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The provider id.</summary>
    public string ProviderId { get; } = providerId;
}

/// <summary>
/// The request never reached the provider: the connection was refused, the name did not resolve, the TLS handshake
/// failed, the account's circuit is open, or the adapter refused to send it (the account lacks what the provider
/// requires). Safe to try elsewhere. Never thrown for an answer: anything the provider answered is its word (a decline)
/// or an unknown outcome.
/// </summary>
public sealed class ProviderUnavailableException(string providerId, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The provider id.</summary>
    public string ProviderId { get; } = providerId;
}
