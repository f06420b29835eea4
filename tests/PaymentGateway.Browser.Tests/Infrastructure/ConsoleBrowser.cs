using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Browser.Tests.Infrastructure;

/// <summary>Steps the console's browser tests share: signing in through the form (with the two-factor code when the user has one) and watching for CSP violations.</summary>
internal static class ConsoleBrowser
{
    public static async Task SignInAsync(GatewayServer gateway, IPage page, ConsoleTestUser user)
    {
        await page.GotoAsync($"{gateway.BaseAddress}console/signin");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.ClickAsync("#sign-in");
        if (user.TotpSecret is not null)
        {
            await page.WaitForURLAsync("**/console/signin/two-factor**");
            await page.GetByLabel("Code").FillAsync(await user.NextCodeAsync());
            await page.ClickAsync("#verify");
        }

        await page.WaitForURLAsync("**/console");
    }

    /// <summary>Collects the page's Content-Security-Policy violation messages.</summary>
    public static List<string> WatchCsp(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }
}
