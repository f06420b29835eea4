namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// A fact that drives Debian programs (nginx, caddy, openssl, prometheus, prometheus-alertmanager). Without them it is
/// reported as skipped, with the reason, on a developer machine; with <c>CI=true</c> it runs and fails, saying what is
/// missing: CI must never skip these silently (.ci/run installs them).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] programs)
    {
        var missing = programs.Where(p => ExternalProcess.Find(p) is null).ToList();
        if (missing.Count > 0 && !IsCi)
        {
            Skip = $"Not installed: {string.Join(", ", missing)} (apt-get install nginx caddy openssl prometheus prometheus-alertmanager); skipped locally, failed in CI.";
        }
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
