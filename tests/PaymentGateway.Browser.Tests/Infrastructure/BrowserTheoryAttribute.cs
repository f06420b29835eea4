namespace PaymentGateway.Browser.Tests.Infrastructure;

/// <summary>A theory that drives Debian's Chromium (desktop and phone sizes, say); skipped and failed as <see cref="BrowserFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath) && !BrowserFixture.IsCi)
        {
            Skip = $"Chromium not found at {BrowserFixture.ChromiumPath} (apt-get install chromium); browser tests are skipped locally and fail in CI.";
        }
    }
}
