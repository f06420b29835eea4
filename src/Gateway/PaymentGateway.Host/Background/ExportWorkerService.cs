using Microsoft.Extensions.Options;
using PaymentGateway.Core.Reports;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Runs pending export jobs (<see cref="ExportRunner"/>); each job is leased in its own row, so workers on any number
/// of nodes take different jobs and a job whose worker died is resumed by another when its lease runs out.
/// </summary>
public sealed partial class ExportWorkerService(ExportRunner runner, IOptions<ReportOptions> options, TimeProvider time, ILogger<ExportWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.ExportsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.ExportInterval, time);
        do
        {
            try
            {
                while (await runner.RunOnceAsync(stoppingToken))
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Export job failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
