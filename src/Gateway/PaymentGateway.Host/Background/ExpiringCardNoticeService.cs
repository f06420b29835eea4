using Microsoft.Extensions.Options;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Runs <see cref="ExpiringCardNotices"/> every <see cref="CustomerOptions.ExpiringCheckInterval"/> under the database
/// lease <c>payment_method_expiring</c>, so one node at a time does it (written like the other background services;
/// to move onto the leased periodic-job base when that lands).
/// </summary>
public sealed partial class ExpiringCardNoticeService(
    ILeaseStore leases, ExpiringCardNotices notices, IOptions<CustomerOptions> options, TimeProvider time, ILogger<ExpiringCardNoticeService> logger) : BackgroundService
{
    public const string LeaseName = "payment_method_expiring";

    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ExpiringNoticesEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ExpiringCheckInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass if this node holds the lease; returns how many notices it sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        if (!await leases.TryAcquireLeaseAsync(LeaseName, _holder, options.Value.ExpiringCheckInterval * 3, ct))
        {
            return 0;
        }

        var sent = await notices.RunOnceAsync(ct);
        if (sent > 0)
        {
            LogSent(logger, sent);
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} payment_method.expiring notices")]
    private static partial void LogSent(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiring saved card pass failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
