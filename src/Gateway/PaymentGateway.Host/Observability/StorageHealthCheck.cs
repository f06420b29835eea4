using Microsoft.Extensions.Diagnostics.HealthChecks;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Observability;

/// <summary>Ready when the database answers and its schema is the latest.</summary>
internal sealed class StorageHealthCheck(IStoreMaintenance store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await store.FindProblemAsync(cancellationToken) is { } problem)
        {
            return HealthCheckResult.Unhealthy(problem);
        }

        var version = await store.GetSchemaVersionAsync(cancellationToken);
        return version == store.LatestSchemaVersion
            ? HealthCheckResult.Healthy($"{store.Engine} schema {version}")
            : HealthCheckResult.Unhealthy($"{store.Engine} schema {version}, expected {store.LatestSchemaVersion}");
    }
}
