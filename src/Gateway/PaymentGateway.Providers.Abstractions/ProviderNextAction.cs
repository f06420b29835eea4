namespace PaymentGateway.Providers;

/// <summary>What the customer must do next when a provider answers <see cref="ProviderOutcome.RequiresAction"/>.</summary>
public enum ProviderNextActionType
{
    /// <summary>
    /// Send the customer's browser to <see cref="ProviderNextAction.Url"/>: a plain navigation for <c>GET</c>, an
    /// auto-submitted form of <see cref="ProviderNextAction.Data"/> for <c>POST</c> (a 3-D Secure 1 ACS, some
    /// redirect methods).
    /// </summary>
    Redirect,

    /// <summary>
    /// Run the provider's client-side component with <see cref="ProviderNextAction.SdkData"/> (Adyen's <c>threeDS2</c>
    /// fingerprint or challenge, Stripe's <c>use_stripe_sdk</c>): there is no URL to send the customer to.
    /// </summary>
    ProviderSdk,
}

/// <summary>
/// The complete next action a provider asked for, as the provider gave it, for the hosted checkout and the browser SDK to
/// follow. <see cref="ProviderPaymentResult.RedirectUrl"/> keeps the URL of a plain <c>GET</c> redirect for callers
/// that only follow those.
/// </summary>
public sealed record ProviderNextAction
{
    /// <summary>What kind of action it is.</summary>
    public required ProviderNextActionType Type { get; init; }

    /// <summary>The URL to send the customer to (<see cref="ProviderNextActionType.Redirect"/>).</summary>
    public string? Url { get; init; }

    /// <summary>The HTTP method of the redirect: <c>GET</c> (navigate) or <c>POST</c> (submit <see cref="Data"/> as a form).</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Form fields to post to <see cref="Url"/> for a <c>POST</c> redirect (Adyen's <c>PaReq</c>, <c>MD</c>, <c>TermUrl</c>).</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The provider's action object as JSON, for its client-side component (<see cref="ProviderNextActionType.ProviderSdk"/>):
    /// Adyen's <c>action</c> (<c>type: threeDS2</c>, <c>subtype</c>, <c>token</c>, <c>paymentData</c>, …) or Stripe's
    /// <c>next_action.use_stripe_sdk</c>. Opaque to the gateway; it holds no card data.
    /// </summary>
    public string? SdkData { get; init; }

    /// <summary>The provider's own name of the action (<c>redirect</c>, <c>threeDS2</c>, <c>redirect_to_url</c>, <c>use_stripe_sdk</c>), for diagnostics.</summary>
    public string? ProviderType { get; init; }

    /// <summary>A <c>GET</c> redirect to <paramref name="url"/>.</summary>
    public static ProviderNextAction RedirectTo(string url, string? providerType = null) =>
        new() { Type = ProviderNextActionType.Redirect, Url = url, ProviderType = providerType };
}
