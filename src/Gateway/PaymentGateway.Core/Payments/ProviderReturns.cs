using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// The gateway's own addresses in a real provider's 3-D Secure round trip. The provider is given a return URL that
/// names the provider account, the payment and the attempt (<see cref="ReturnPath"/>): the customer's return is bound
/// to the payment by that path, never by an identifier the provider's redirect adds to the query. A provider action a
/// browser cannot follow as a plain navigation (a POST redirect, a provider SDK's data) is shown on the gateway's action
/// page (<see cref="ActionPath"/>), so the hosted checkout and <c>gateway.js</c> only ever navigate.
/// </summary>
public static class ProviderReturns
{
    /// <summary>The return endpoint: <c>/provider_returns/{accountId}/{paymentId}/{attemptId}</c> (GET and POST).</summary>
    public const string ReturnPath = "/provider_returns";

    /// <summary>The action page: <c>/provider_actions/{paymentId}/{attemptId}</c>.</summary>
    public const string ActionPath = "/provider_actions";

    /// <summary>The simulator runs its own challenge page and return (<c>/simulator/challenge</c>).</summary>
    private const string SimulatorProvider = "simulator";

    /// <summary>
    /// The URL the provider sends the customer back to for <paramref name="attempt"/>: the gateway's return endpoint
    /// under <paramref name="publicBaseUrl"/>; null for the simulator, an attempt without a provider account, or when no
    /// public base URL is configured (then the payment's own <c>return_url</c> is given, and the webhook or the
    /// reconciler settles the payment).
    /// </summary>
    public static string? ReturnUrl(string? publicBaseUrl, string paymentId, PaymentAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return publicBaseUrl is { Length: > 0 } baseUrl && attempt.ProviderAccountId is { } account && attempt.Provider != SimulatorProvider
            ? $"{baseUrl.TrimEnd('/')}{ReturnPath}/{Uri.EscapeDataString(account)}/{Uri.EscapeDataString(paymentId)}/{Uri.EscapeDataString(attempt.Id)}"
            : null;
    }

    /// <summary>
    /// <paramref name="result"/> with <see cref="ProviderPaymentResult.RedirectUrl"/> pointing at the gateway's action
    /// page when the provider asked for an action that is not a plain GET redirect (and a public base URL is known).
    /// </summary>
    public static ProviderPaymentResult WithActionPage(ProviderPaymentResult result, string? publicBaseUrl, string paymentId, PaymentAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(attempt);
        return result is { Outcome: ProviderOutcome.RequiresAction, Action: { } action } && (action.Type == ProviderNextActionType.ProviderSdk || action.Method != "GET")
            && publicBaseUrl is { Length: > 0 } baseUrl
                ? result with { RedirectUrl = $"{baseUrl.TrimEnd('/')}{ActionPath}/{Uri.EscapeDataString(paymentId)}/{Uri.EscapeDataString(attempt.Id)}" }
                : result;
    }

    /// <summary>
    /// The query parameters by which a provider's redirect names its own payment object (Stripe's
    /// <c>payment_intent</c>). A return whose parameter names another object than the attempt's reference does not
    /// belong to the payment. Checkout.com's <c>cko-session-id</c> names a session, not the payment: the adapter reads
    /// the payment by it and compares the payment's id (see <c>CheckoutComProvider</c>).
    /// </summary>
    public static IReadOnlyList<string> ReferenceParameters { get; } = ["payment_intent"];

    /// <summary>True when <paramref name="details"/> names a provider object other than <paramref name="providerReference"/>.</summary>
    public static bool NamesAnotherPayment(IReadOnlyDictionary<string, string> details, string? providerReference)
    {
        ArgumentNullException.ThrowIfNull(details);
        return ReferenceParameters.Any(name => details.TryGetValue(name, out var named) && (providerReference is null || named != providerReference));
    }
}
