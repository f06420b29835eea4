using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Host.Background;

namespace PaymentGateway.Host.Observability;

/// <summary>Ready while the reconciler loop keeps running (with or without the lease).</summary>
internal sealed class ReconcilerHealthCheck(ReconcilerService reconciler, IOptions<GatewayOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value.Reconciler;
        if (!settings.Enabled || reconciler.LastRun is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy(settings.Enabled ? "starting" : "disabled"));
        }

        return Task.FromResult(time.GetUtcNow() - reconciler.LastRun < settings.Interval * 5
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("reconciler has not run recently"));
    }
}
