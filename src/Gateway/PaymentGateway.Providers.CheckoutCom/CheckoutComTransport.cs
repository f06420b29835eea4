using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>
/// How to talk to Checkout.com's Payments API: the account's <c>base_url</c>, else by its mode
/// <c>https://api.checkout.com</c> (live) or <c>https://api.sandbox.checkout.com</c> (test), or the account-specific
/// <c>https://{url_prefix}.api[.sandbox].checkout.com</c> when it has a <c>url_prefix</c>; Bearer <c>secret_key</c>, <c>Cko-Idempotency-Key</c>, and its error body (<c>error_type</c>, <c>error_codes</c>). Retried
/// with the same key: 409 (a request with this key is still in flight), 429 and 5xx; never another 4xx (Checkout.com
/// answers a declined card with 201 and <c>status: Declined</c>).
/// </summary>
public sealed class CheckoutComTransport()
    : ProviderHttpTransport(CheckoutComProvider.ProviderId, "Checkout.com", "https://api.sandbox.checkout.com", "https://api.checkout.com", ProviderHttpAuth.Bearer("secret_key"))
{
    /// <inheritdoc />
    public override string LiveBaseUrl(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Setting(CheckoutComProvider.UrlPrefixSetting) is { } prefix ? $"https://{prefix}.api.checkout.com" : base.LiveBaseUrl(account);
    }

    /// <inheritdoc />
    public override string TestBaseUrlFor(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Setting(CheckoutComProvider.UrlPrefixSetting) is { } prefix ? $"https://{prefix}.api.sandbox.checkout.com" : TestBaseUrl;
    }

    /// <inheritdoc />
    public override string IdempotencyHeader => CheckoutComProvider.IdempotencyHeader;

    /// <inheritdoc />
    public override bool IsRetryableStatus(int statusCode) => statusCode == 409 || base.IsRetryableStatus(statusCode);

    /// <inheritdoc />
    public override ProviderErrorReading ReadError(int statusCode, JsonElement body, string? reference)
    {
        var error = CheckoutComTransformers.ParseError(body);
        var codes = error?.ErrorCodes.Count > 0 ? string.Join(",", error.ErrorCodes) : "-";
        return new ProviderErrorReading
        {
            Summary = $"{error?.ErrorType ?? "unknown"}/{codes}",
            Documented = CheckoutComTransformers.DocumentedDisposition(statusCode),
            Declined = CheckoutComTransformers.DeclinedFromError(statusCode, error, reference),
        };
    }
}
