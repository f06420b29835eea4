namespace PaymentGateway.Providers;

/// <summary>
/// What an adapter checks about a provider account before it is saved, from the provider's documentation and without
/// calling it: settings a live account needs (Adyen's live URL prefix), credentials of the wrong mode (a test key on a
/// live account), settings whose values the provider fixes. An adapter without rules beyond the credential names does
/// not implement it.
/// </summary>
public interface IProviderAccountValidation
{
    /// <summary>The first problem with <paramref name="account"/> (its mode, settings and the credentials given), or null when it may be saved.</summary>
    ProviderAccountProblem? ValidateAccount(ProviderAccount account);
}

/// <summary>Why a provider account cannot be saved: the parameter at fault (<c>settings[live_url_prefix]</c>) and what is wrong.</summary>
public sealed record ProviderAccountProblem
{
    /// <summary>The request parameter at fault, as the API names it (<c>settings[…]</c>, <c>credentials[…]</c>).</summary>
    public required string Parameter { get; init; }

    /// <summary>What is wrong and what the provider needs (no secret values).</summary>
    public required string Message { get; init; }

    /// <summary>True when the parameter is missing (rather than present with a wrong value).</summary>
    public bool Missing { get; init; }
}
