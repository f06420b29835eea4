using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// The cookie that remembers which merchant a console user works on (its name follows the session cookie's: <c>__Host-</c>
/// and <c>Secure</c> outside development). It holds a merchant id only, and is never trusted: every request re-checks
/// it against the user's grants as stored now (<see cref="ConsoleMerchantSelection.Current"/>).
/// </summary>
public sealed record ConsoleMerchantCookie(string Name, bool Secure)
{
    public void Write(HttpContext http, string merchantId) => http.Response.Cookies.Append(Name, merchantId, new CookieOptions
    {
        HttpOnly = true,
        Secure = Secure || http.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    });
}

public static class ConsoleMerchantContext
{
    /// <summary>The merchant the signed-in user works on now (a checked choice), or null: all their merchants / none chosen.</summary>
    public static string? ConsoleMerchantId(this HttpContext http)
    {
        if (http.ConsoleUser() is null)
        {
            return null;
        }

        var cookie = http.RequestServices.GetRequiredService<ConsoleMerchantCookie>();
        return ConsoleMerchantSelection.Current(http.ConsoleCaller(), http.Request.Cookies[cookie.Name]);
    }
}
