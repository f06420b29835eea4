using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.UnitTests;

/// <summary>The generic storage instrumentation: one span and one duration per call, whatever the seam.</summary>
public sealed class StoreInstrumentationTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<(double Seconds, string? Operation, string? Outcome)> _durations = new();
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;

    public StoreInstrumentationTests()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName.StartsWith("store Probe", StringComparison.Ordinal))
                {
                    _spans.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // By name, as dashboards query it (the instrument may be published while its static field is still being set).
                if (instrument.Meter.Name == GatewayTelemetry.Name && instrument.Name == "paymentgateway.storage.operation.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? operation = null, outcome = null;
            foreach (var tag in tags)
            {
                operation = tag.Key == "operation" ? tag.Value as string : operation;
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }

            if (operation?.StartsWith("Probe", StringComparison.Ordinal) == true)
            {
                _durations.Enqueue((value, operation, outcome));
            }
        });
        _meters.Start();
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    /// <summary>A seam of its own, so other tests' store calls never mix with these.</summary>
    public interface IProbeStore
    {
        Task<string?> ProbeReadAsync(string id, bool livemode, CancellationToken cancellationToken);

        Task ProbeWriteAsync(int value, CancellationToken cancellationToken);
    }

    private sealed class ProbeStore(Func<string, Task<string?>> read) : IProbeStore
    {
        public List<int> Written { get; } = [];

        public Task<string?> ProbeReadAsync(string id, bool livemode, CancellationToken cancellationToken) => read(id + (livemode ? ":live" : ":test"));

        public Task ProbeWriteAsync(int value, CancellationToken cancellationToken)
        {
            Written.Add(value);
            return Task.CompletedTask;
        }
    }

    private static IDisposable Trace() => new Activity("caller").Start();

    [Fact]
    public async Task A_call_inside_a_trace_is_a_client_span_and_a_duration_with_the_operation_name()
    {
        var inner = new ProbeStore(id => Task.FromResult<string?>(id));
        var store = StoreInstrumentation.Instrument<IProbeStore>(inner, "sqlite");

        string? read;
        using (Trace())
        {
            read = await store.ProbeReadAsync("pay_1", true, CancellationToken.None);
            await store.ProbeWriteAsync(7, CancellationToken.None);
        }

        Assert.Equal("pay_1:live", read);
        Assert.Equal([7], inner.Written);
        var span = Assert.Single(_spans, s => s.OperationName == "store ProbeRead");
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("sqlite", span.GetTagItem("db.system"));
        Assert.Equal("ProbeRead", span.GetTagItem("paymentgateway.storage.operation"));
        Assert.Equal("ok", span.GetTagItem("paymentgateway.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Single(_spans, s => s.OperationName == "store ProbeWrite");
        Assert.Contains(_durations, d => d is { Operation: "ProbeRead", Outcome: "ok" } && d.Seconds >= 0);
        Assert.Contains(_durations, d => d is { Operation: "ProbeWrite", Outcome: "ok" });
    }

    [Fact]
    public async Task A_call_outside_any_trace_is_timed_but_starts_no_span()
    {
        Activity.Current = null;
        var store = StoreInstrumentation.Instrument<IProbeStore>(new ProbeStore(id => Task.FromResult<string?>(id)), "postgresql");

        await store.ProbeReadAsync("pay_2", false, CancellationToken.None);

        Assert.Empty(_spans);
        Assert.Contains(_durations, d => d is { Operation: "ProbeRead", Outcome: "ok" });
    }

    public static TheoryData<string, Exception, string, string?> Failures() => new()
    {
        { "conflict", new ConcurrencyConflictException("pay_1"), "conflict", "concurrency_conflict" },
        { "canceled", new OperationCanceledException(), "canceled", null },
        { "error", new InvalidDataException("bad row"), "error", nameof(InvalidDataException) },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failed_call_rethrows_the_same_exception_and_records_its_outcome(string @case, Exception failure, string outcome, string? status)
    {
        foreach (var synchronously in new[] { true, false })
        {
            _spans.Clear();
            _durations.Clear();
            var store = StoreInstrumentation.Instrument<IProbeStore>(new ProbeStore(_ => synchronously ? throw failure : Task.FromException<string?>(failure)), "sqlite");

            Task<string?> call;
            using (Trace())
            {
                call = store.ProbeReadAsync("pay_1", false, CancellationToken.None);
            }

            // Thrown inside the engine before its first await or from its task: either way the caller's task faults.
            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => call);
            Assert.Same(failure, thrown);
            var span = Assert.Single(_spans);
            Assert.True(outcome == (string?)span.GetTagItem("paymentgateway.outcome"), @case);
            Assert.Equal(status is null ? ActivityStatusCode.Unset : ActivityStatusCode.Error, span.Status);
            Assert.Equal(status, span.StatusDescription);
            Assert.Contains(_durations, d => d.Operation == "ProbeRead" && d.Outcome == outcome);
        }
    }

    [Fact]
    public void Every_seam_of_an_engine_is_wrapped_and_maintenance_is_not()
    {
        var stores = Seams();

        var instrumented = StoreInstrumentation.Instrument(stores, "sqlite");

        Assert.NotSame(stores.Payments, instrumented.Payments);
        Assert.IsAssignableFrom<System.Reflection.DispatchProxy>(instrumented.Payments);
        Assert.IsAssignableFrom<System.Reflection.DispatchProxy>(instrumented.Checkout);
        Assert.IsAssignableFrom<System.Reflection.DispatchProxy>(instrumented.Disputes);
        Assert.Same(stores.Maintenance, instrumented.Maintenance);
        Assert.Same(stores.Database, instrumented.Database);
    }

    public interface INotAStore
    {
        int Count();
    }

    [Fact]
    public void A_seam_method_that_does_not_return_a_task_is_refused_at_start_up() =>
        Assert.Throws<NotSupportedException>(() => StoreInstrumentation.Instrument<INotAStore>(new NotAStore(), "sqlite"));

    private sealed class NotAStore : INotAStore
    {
        public int Count() => 0;
    }

    /// <summary>Stand-ins for every seam: nothing is called through them.</summary>
    private static GatewayStores Seams()
    {
        T Seam<T>()
            where T : class => System.Reflection.DispatchProxy.Create<T, Unused>();
        return new GatewayStores
        {
            Payments = Seam<IPaymentStore>(),
            Events = Seam<IEventStore>(),
            Merchants = Seam<IMerchantStore>(),
            Idempotency = Seam<IIdempotencyStore>(),
            Leases = Seam<ILeaseStore>(),
            Webhooks = Seam<IWebhookStore>(),
            BankTransfers = Seam<IBankTransferStore>(),
            DirectDebits = Seam<IDirectDebitStore>(),
            Mandates = Seam<IMandateStore>(),
            ProviderBankTransfers = Seam<IProviderBankTransferStore>(),
            Routing = Seam<IRoutingStore>(),
            Checkout = Seam<ICheckoutStore>(),
            Disputes = Seam<IDisputeStore>(),
            Customers = Seam<ICustomerStore>(),
            Reports = Seam<IReportStore>(),
            Exports = Seam<IExportStore>(),
            Settlements = Seam<ISettlementStore>(),
            Console = Seam<IConsoleStore>(),
            Audit = Seam<IAuditStore>(),
            VaultRecords = Seam<IVaultRecordStore>(),
            Maintenance = Seam<IStoreMaintenance>(),
            Database = new NoDatabase(),
        };
    }

    public class Unused : System.Reflection.DispatchProxy
    {
        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) => throw new NotSupportedException();
    }

    private sealed class NoDatabase : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
