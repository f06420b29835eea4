using Microsoft.Extensions.Options;
using PaymentGateway.Core;

namespace PaymentGateway.Host.BackOffice;

/// <summary>The site address that links in mail and on screen start with: the configured public base URL, else this request's.</summary>
public static class ConsoleLinks
{
    public static string Base(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host.Value}";
}
