using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Diagnostics;

/// <summary>
/// Times every call of a storage seam into <c>paymentgateway.storage.operation.duration</c> (tags operation, outcome)
/// and, when it runs inside a trace (an API request, a webhook delivery), gives it a client span
/// <c>store {Operation}</c> with <c>db.system</c>. The operation is the method's name without <c>Async</c>. Calls of
/// background pollers outside any trace are timed but start no root span of their own, so idle polling does not fill
/// the tracing backend. Spans carry operation names only: no ids, keys, query text or payloads. One generic proxy
/// (<see cref="DispatchProxy"/>) per seam interface does it, so a new store method is instrumented without code here.
/// </summary>
public static class StoreInstrumentation
{
    /// <summary>Duration of storage calls: tags operation, outcome (ok, conflict, canceled, error).</summary>
    public static readonly Histogram<double> OperationDuration =
        GatewayTelemetry.Meter.CreateHistogram<double>("paymentgateway.storage.operation.duration", unit: "s",
            description: "Duration of gateway storage operations.");

    /// <summary>Every seam of <paramref name="stores"/> instrumented; maintenance (start-up, readiness) is not.</summary>
    /// <param name="stores">One engine's stores.</param>
    /// <param name="engine">The <c>db.system</c> tag: <c>sqlite</c>, <c>postgresql</c>.</param>
    public static GatewayStores Instrument(GatewayStores stores, string engine)
    {
        ArgumentNullException.ThrowIfNull(stores);
        return stores with
        {
            Payments = Instrument(stores.Payments, engine),
            Events = Instrument(stores.Events, engine),
            Merchants = Instrument(stores.Merchants, engine),
            Idempotency = Instrument(stores.Idempotency, engine),
            Leases = Instrument(stores.Leases, engine),
            Webhooks = Instrument(stores.Webhooks, engine),
            BankTransfers = Instrument(stores.BankTransfers, engine),
            DirectDebits = Instrument(stores.DirectDebits, engine),
            Mandates = Instrument(stores.Mandates, engine),
            ProviderBankTransfers = Instrument(stores.ProviderBankTransfers, engine),
            Routing = Instrument(stores.Routing, engine),
            Checkout = Instrument(stores.Checkout, engine),
            Disputes = Instrument(stores.Disputes, engine),
            Customers = Instrument(stores.Customers, engine),
            Reports = Instrument(stores.Reports, engine),
            Exports = Instrument(stores.Exports, engine),
            Settlements = Instrument(stores.Settlements, engine),
            Console = Instrument(stores.Console, engine),
            Audit = Instrument(stores.Audit, engine),
            VaultRecords = Instrument(stores.VaultRecords, engine),
        };
    }

    /// <summary>
    /// <paramref name="inner"/> behind a proxy of the seam interface <typeparamref name="TStore"/>. Every method of it must
    /// return <see cref="Task"/> or <see cref="Task{TResult}"/> (checked here, at start-up).
    /// </summary>
    public static TStore Instrument<TStore>(TStore inner, string engine)
        where TStore : class
    {
        ArgumentNullException.ThrowIfNull(inner);
        var proxy = DispatchProxy.Create<TStore, InstrumentedStore<TStore>>();
        ((InstrumentedStore<TStore>)(object)proxy).Initialize(inner, engine, StoreOperation.ForInterface(typeof(TStore)));
        return proxy;
    }
}

/// <summary>The proxy behind one seam interface: looks up the called method's <see cref="StoreOperation"/> and runs it.</summary>
internal class InstrumentedStore<TStore> : DispatchProxy
    where TStore : class
{
    private Target? _target;

    internal void Initialize(TStore inner, string engine, FrozenDictionary<MethodInfo, StoreOperation> operations) =>
        _target = new Target(inner, engine, operations);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var target = _target ?? throw new InvalidOperationException("The instrumented store was not initialized.");
        return target.Operations[targetMethod].Run(target.Inner, args, target.Engine);
    }

    private sealed record Target(object Inner, string Engine, FrozenDictionary<MethodInfo, StoreOperation> Operations);
}
