using Microsoft.Extensions.Options;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Runs <see cref="ExpiringCardNotices"/> every <see cref="CustomerOptions.ExpiringCheckInterval"/> under the database
/// lease <c>payment_method_expiring</c>, so one node at a time does it.
/// </summary>
public sealed partial class ExpiringCardNoticeService(
    ILeaseStore leases, ExpiringCardNotices notices, IOptions<CustomerOptions> options, TimeProvider time, ILogger<ExpiringCardNoticeService> logger)
    : LeasedPeriodicJob(leases, time, logger)
{
    protected override string LeaseName => "payment_method_expiring";

    protected override bool Enabled => options.Value.ExpiringNoticesEnabled;

    protected override TimeSpan Interval => options.Value.ExpiringCheckInterval;

    protected override async Task<int> RunPassAsync(CancellationToken ct)
    {
        var sent = await notices.RunOnceAsync(ct);
        if (sent > 0)
        {
            LogSent(Logger, sent);
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} payment_method.expiring notices")]
    private static partial void LogSent(ILogger logger, int count);
}
