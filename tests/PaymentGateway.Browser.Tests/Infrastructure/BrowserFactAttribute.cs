namespace PaymentGateway.Browser.Tests.Infrastructure;

/// <summary>
/// A fact that drives Debian's Chromium. Without a Chromium it is reported as skipped (with the reason) on a developer
/// machine, but it runs - and fails, saying why - when <c>CI=true</c>: CI must never skip the browser suite silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath) && !BrowserFixture.IsCi)
        {
            Skip = $"Chromium not found at {BrowserFixture.ChromiumPath} (apt-get install chromium); browser tests are skipped locally and fail in CI.";
        }
    }
}
