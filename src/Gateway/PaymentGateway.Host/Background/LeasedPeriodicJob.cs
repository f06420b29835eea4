using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// A background job that runs one pass at a time on whichever node holds its database lease. The base owns the
/// loop: a pass at start, then one every <see cref="Interval"/> with up to 10 % jitter (so the nodes of a cluster do
/// not all reach for the lease in the same instant); the lease (<see cref="LeaseName"/>, held for
/// <see cref="LeaseDuration"/>, three intervals unless a job says otherwise, so a node that dies hands over after at
/// most that); and failures. A failed pass (a database outage, a bug) is logged
/// once, at error with its exception, when a run of failures begins; the passes after it back off (2, then 4
/// intervals) and log at debug until one succeeds, which is logged with the number of failed passes. A job states
/// only its lease, interval and switch, and its pass.
/// </summary>
public abstract partial class LeasedPeriodicJob(ILeaseStore leases, TimeProvider time, ILogger logger) : BackgroundService
{
    private const int MaxBackoffIntervals = 4;

    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];
    private int _failures;

    /// <summary>When this node last started a pass (with or without the lease); null before the first.</summary>
    public DateTimeOffset? LastRun { get; private set; }

    /// <summary>The database lease: one node at a time runs the job.</summary>
    protected abstract string LeaseName { get; }

    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>How long a pass's lease is held: three intervals unless a job's passes may take longer.</summary>
    protected virtual TimeSpan LeaseDuration => Interval * 3;

    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    /// <summary>One pass if this node holds (or takes) the lease; returns how many objects it handled (0 without the lease).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        LastRun = time.GetUtcNow();
        if (!await leases.TryAcquireLeaseAsync(LeaseName, _holder, LeaseDuration, ct).ConfigureAwait(false))
        {
            return 0;
        }

        return await RunPassAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The job's work, under the lease.</summary>
    protected abstract Task<int> RunPassAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                if (_failures > 0)
                {
                    LogRecovered(logger, LeaseName, _failures);
                    _failures = 0;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (_failures++ == 0)
                {
                    LogFailed(logger, e, LeaseName);
                }
                else
                {
                    LogStillFailing(logger, LeaseName, _failures, e.GetType().Name);
                }
            }

            await Task.Delay(NextDelay(), time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>The wait before the next pass: the interval, doubled per failed pass up to four times it, plus up to 10 % jitter.</summary>
    internal TimeSpan NextDelay()
    {
        var intervals = _failures switch
        {
            0 => 1,
            1 => 2,
            _ => MaxBackoffIntervals,
        };
        return (Interval * intervals) + (Interval * (Random.Shared.NextDouble() * 0.1));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background job {Job}: a pass failed; retrying with backoff (further failures at debug level until it recovers)")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Background job {Job}: still failing ({Failures} passes in a row): {Error}")]
    private static partial void LogStillFailing(ILogger logger, string job, int failures, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Background job {Job} recovered after {Failures} failed passes")]
    private static partial void LogRecovered(ILogger logger, string job, int failures);
}
