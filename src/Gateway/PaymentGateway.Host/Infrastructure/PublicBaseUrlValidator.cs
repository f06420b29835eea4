using Microsoft.Extensions.Options;
using PaymentGateway.Core;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// <c>PaymentGateway:PublicBaseUrl</c>, when set, must be the origin customers reach the gateway at
/// (<c>https://pay.example.com</c>, optionally with a port): every absolute URL the gateway emits starts with it.
/// </summary>
internal sealed class PublicBaseUrlValidator : IValidateOptions<GatewayOptions>
{
    private const string Setting = GatewayOptions.SectionName + ":" + nameof(GatewayOptions.PublicBaseUrl);

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        if (string.IsNullOrEmpty(options.PublicBaseUrl))
        {
            return ValidateOptionsResult.Success;
        }

        var ok = Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
        return ok
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{Setting} must be an absolute https:// (or http://) origin without a path, query or user, such as https://pay.example.com; got '{options.PublicBaseUrl}'.");
    }
}
