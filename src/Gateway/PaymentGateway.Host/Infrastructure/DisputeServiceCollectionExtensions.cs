using PaymentGateway.Core.Disputes;
using PaymentGateway.Host.Background;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>Registration of the dispute services and jobs (docs/disputes.md), with <c>PaymentGateway:Disputes</c> validated at start.</summary>
public static class DisputeServiceCollectionExtensions
{
    public static IServiceCollection AddPaymentGatewayDisputes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DisputeOptions>().Bind(configuration.GetSection(DisputeOptions.SectionName))
            .Validate(o => TryThresholds(o), $"{DisputeOptions.SectionName}:EvidenceDueSoon must be positive durations separated by ';' (d.hh:mm:ss).")
            .Validate(o => o.AlertInterval > TimeSpan.Zero && o.SyncInterval > TimeSpan.Zero && o.RefreshOpenAfter > TimeSpan.Zero && o.SyncAccountBudget > TimeSpan.Zero,
                $"{DisputeOptions.SectionName}: AlertInterval, SyncInterval, RefreshOpenAfter and SyncAccountBudget must be positive.")
            .Validate(o => o.MaxEvidenceFileBytes is >= 1024 and <= 10 * 1024 * 1024, $"{DisputeOptions.SectionName}:MaxEvidenceFileBytes must be between 1 KiB and 10 MiB.")
            .Validate(o => o.MaxEvidenceFiles is >= 1 and <= 100, $"{DisputeOptions.SectionName}:MaxEvidenceFiles must be between 1 and 100.")
            .ValidateOnStart();
        services.AddSingleton<DisputeWriter>();
        services.AddSingleton<DisputeNotifications>();
        services.AddSingleton<DisputeQueries>();
        services.AddSingleton<DisputeEvidenceService>();
        services.AddSingleton<DisputeResponses>();
        services.AddSingleton<DisputeSync>();
        services.AddSingleton<DisputeDeadlineAlerts>();
        services.AddSingleton<DisputeDeadlineAlertService>();
        services.AddHostedService(sp => sp.GetRequiredService<DisputeDeadlineAlertService>());
        services.AddSingleton<DisputeSyncService>();
        services.AddHostedService(sp => sp.GetRequiredService<DisputeSyncService>());
        return services;
    }

    private static bool TryThresholds(DisputeOptions options)
    {
        try
        {
            return options.DueSoonThresholds().Count >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
