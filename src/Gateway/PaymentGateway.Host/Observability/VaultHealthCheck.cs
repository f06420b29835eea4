using Microsoft.Extensions.Diagnostics.HealthChecks;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Host.Observability;

/// <summary>Ready when the card vault can encrypt and decrypt with its active key.</summary>
internal sealed class VaultHealthCheck(CardVault vault) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = vault.Encrypt("health", "probe");
        return Task.FromResult(vault.Decrypt("health", probe) == "probe"
            ? HealthCheckResult.Healthy($"active key {vault.KeyRing.ActiveKeyId}")
            : HealthCheckResult.Unhealthy("vault round-trip failed"));
    }
}
