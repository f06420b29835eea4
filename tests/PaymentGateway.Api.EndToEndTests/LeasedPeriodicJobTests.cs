using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Background;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// The loop every background job shares (<see cref="LeasedPeriodicJob"/>), on the gateway's real lease store: the pass
/// runs only under the lease, failures are logged once and back off, recovery is logged.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class LeasedPeriodicJobTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(40);

    private ILeaseStore Leases => fixture.Server.Services.GetRequiredService<ILeaseStore>();

    [Fact]
    public async Task FailingPasses_AreLoggedOnceAsError_BackOff_AndTheRecoveryIsLogged()
    {
        var log = new CapturingLogger();
        var fifth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = new ProbeJob(Leases, "test_job_" + Guid.NewGuid().ToString("N"), Interval, log, pass =>
        {
            if (pass == 5)
            {
                fifth.TrySetResult();
            }

            return pass <= 3 ? throw new InvalidOperationException("database unavailable") : Task.FromResult(0);
        });

        await job.StartAsync(CancellationToken.None);
        await fifth.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await job.StopAsync(CancellationToken.None);

        var error = Assert.Single(log.Entries, e => e.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(error.Exception);
        Assert.Equal(2, log.Entries.Count(e => e.Level == LogLevel.Debug && e.Message.Contains("still failing", StringComparison.Ordinal)));
        Assert.Single(log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("recovered after 3 failed passes", StringComparison.Ordinal));

        // After one failure the next pass waits two intervals, after more four; after a success one again (lower bounds:
        // a busy machine only makes the gaps longer).
        var gaps = job.Passes.Zip(job.Passes.Skip(1), (a, b) => b - a).ToList();
        var slack = TimeSpan.FromMilliseconds(5);
        Assert.True(gaps[0] >= (Interval * 2) - slack, $"gap after the first failure {gaps[0]}");
        Assert.True(gaps[1] >= (Interval * 4) - slack, $"gap after the second failure {gaps[1]}");
        Assert.True(gaps[2] >= (Interval * 4) - slack, $"gap after the third failure {gaps[2]}");
        Assert.True(gaps[3] >= Interval - slack, $"gap after a success {gaps[3]}");
    }

    [Fact]
    public async Task WithoutTheLease_ThePassDoesNotRun()
    {
        var lease = "test_job_" + Guid.NewGuid().ToString("N");
        Assert.True(await Leases.TryAcquireLeaseAsync(lease, "another-node", TimeSpan.FromMinutes(1), CancellationToken.None));
        var job = new ProbeJob(Leases, lease, Interval, new CapturingLogger(), _ => Task.FromResult(7));

        Assert.Equal(0, await job.RunOnceAsync(CancellationToken.None));
        Assert.Empty(job.Passes);
        Assert.NotNull(job.LastRun);
    }

    [Fact]
    public async Task WithTheLease_RunOnceRunsThePass_AndHoldsTheLeaseAgainstOtherNodes()
    {
        var lease = "test_job_" + Guid.NewGuid().ToString("N");
        var job = new ProbeJob(Leases, lease, TimeSpan.FromMinutes(1), new CapturingLogger(), _ => Task.FromResult(7));

        Assert.Equal(7, await job.RunOnceAsync(CancellationToken.None));
        Assert.Single(job.Passes);
        Assert.False(await Leases.TryAcquireLeaseAsync(lease, "another-node", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Disabled_NeverRunsAPass()
    {
        var job = new ProbeJob(Leases, "test_job_" + Guid.NewGuid().ToString("N"), Interval, new CapturingLogger(), _ => Task.FromResult(1), enabled: false);

        await job.StartAsync(CancellationToken.None);
        await (job.ExecuteTask ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));
        await job.StopAsync(CancellationToken.None);

        Assert.Empty(job.Passes);
        Assert.Null(job.LastRun);
    }

    private sealed class ProbeJob(ILeaseStore leases, string lease, TimeSpan interval, ILogger logger, Func<int, Task<int>> pass, bool enabled = true)
        : LeasedPeriodicJob(leases, TimeProvider.System, logger)
    {
        private readonly ConcurrentQueue<DateTimeOffset> _passes = new();

        public IReadOnlyList<DateTimeOffset> Passes => [.. _passes];

        protected override string LeaseName => lease;

        protected override bool Enabled => enabled;

        protected override TimeSpan Interval => interval;

        protected override Task<int> RunPassAsync(CancellationToken ct)
        {
            _passes.Enqueue(DateTimeOffset.UtcNow);
            return pass(_passes.Count);
        }
    }

    private sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
