using Microsoft.Extensions.Options;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Host.Webhooks;

/// <summary>Runs the <see cref="WebhookDispatcher"/> in the background: straight on while there is work, else every poll interval.</summary>
public sealed partial class WebhookDispatcherService(
    WebhookDispatcher dispatcher,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcherService> logger) : BackgroundService
{
    public DateTimeOffset? LastRun { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.DispatcherEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = 0;
            try
            {
                LastRun = time.GetUtcNow();
                worked = await dispatcher.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }

            if (worked == 0)
            {
                try
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatcher round failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
