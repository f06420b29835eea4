using System.Net.Http.Headers;

namespace PaymentGateway.Providers.Http;

/// <summary>
/// How a provider takes its API secret: the name of the account credential, sent as <c>Authorization: Bearer</c>
/// (<see cref="Bearer"/>) or in a header of the provider's own (<see cref="InHeader"/>, Adyen's <c>X-API-Key</c>).
/// </summary>
public sealed record ProviderHttpAuth
{
    private ProviderHttpAuth(string credential, string? header)
    {
        Credential = credential;
        Header = header;
    }

    /// <summary>The account credential that holds the secret (<c>api_key</c>).</summary>
    public string Credential { get; }

    /// <summary>The header it goes in; null for <c>Authorization: Bearer</c>.</summary>
    public string? Header { get; }

    /// <summary>The credential as <c>Authorization: Bearer {secret}</c>.</summary>
    public static ProviderHttpAuth Bearer(string credential) => new(credential, null);

    /// <summary>The credential as the value of <paramref name="header"/>.</summary>
    public static ProviderHttpAuth InHeader(string header, string credential) => new(credential, header);

    /// <summary>Adds the account's secret to the request: the only place it is revealed.</summary>
    public void Apply(HttpRequestMessage request, ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(account);
        var secret = account.Credential(Credential).Reveal();
        if (Header is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        else
        {
            request.Headers.TryAddWithoutValidation(Header, secret);
        }
    }
}
