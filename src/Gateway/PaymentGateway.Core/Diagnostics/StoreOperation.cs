using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Reflection;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Diagnostics;

/// <summary>
/// One instrumented store method: its operation name, its span name and a typed runner that wraps the call in the span
/// and the duration metric (<see cref="StoreInstrumentation"/>). Built once per method; the call itself goes through a
/// <see cref="MethodInvoker"/>, which does not wrap the engine's exceptions.
/// </summary>
internal abstract class StoreOperation
{
    private static readonly ConcurrentDictionary<Type, FrozenDictionary<MethodInfo, StoreOperation>> ByInterface = new();

    private readonly MethodInvoker _invoker;

    protected StoreOperation(MethodInfo method)
    {
        Name = method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name[..^"Async".Length] : method.Name;
        SpanName = "store " + Name;
        _invoker = MethodInvoker.Create(method);
    }

    /// <summary>The <c>operation</c> tag: the method's name without <c>Async</c> (<c>Commit</c>, <c>GetPayment</c>).</summary>
    public string Name { get; }

    public string SpanName { get; }

    /// <summary>Calls the method on <paramref name="inner"/> inside the span and the timer; returns its task.</summary>
    public abstract object Run(object inner, object?[]? args, string engine);

    /// <summary>The operations of every method of the seam interface <paramref name="store"/>, built on first use.</summary>
    public static FrozenDictionary<MethodInfo, StoreOperation> ForInterface(Type store) => ByInterface.GetOrAdd(store, static type =>
    {
        if (!type.IsInterface)
        {
            throw new ArgumentException($"{type.Name} is not an interface.", nameof(store));
        }

        return type.GetMethods().ToFrozenDictionary(m => m, Create);
    });

    private static StoreOperation Create(MethodInfo method)
    {
        if (method.ReturnType == typeof(Task))
        {
            return new StoreOperationWithoutResult(method);
        }

        if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var type = typeof(StoreOperationWithResult<>).MakeGenericType(method.ReturnType.GetGenericArguments()[0]);
            return (StoreOperation)(Activator.CreateInstance(type, method) ?? throw new InvalidOperationException($"Could not instrument {method.Name}."));
        }

        throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name} returns {method.ReturnType.Name}; instrumented stores return Task or Task<T>.");
    }

    protected Task Call(object inner, object?[]? args) =>
        (Task)(_invoker.Invoke(inner, args.AsSpan()) ?? throw new InvalidOperationException($"Store operation {Name} returned no task."));

    protected Activity? Start(string engine)
    {
        var activity = Activity.Current is null ? null : GatewayTelemetry.ActivitySource.StartActivity(SpanName, ActivityKind.Client);
        activity?.SetTag("db.system", engine);
        activity?.SetTag("paymentgateway.storage.operation", Name);
        return activity;
    }

    /// <summary>The outcome tag of a failed call; marks the span as failed where that is an error.</summary>
    protected static string Failed(Exception e, Activity? activity)
    {
        switch (e)
        {
            case ConcurrencyConflictException:
                activity?.SetStatus(ActivityStatusCode.Error, "concurrency_conflict");
                return "conflict";
            case OperationCanceledException:
                return "canceled";
            default:
                activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                return "error";
        }
    }

    protected void Finish(Activity? activity, long started, string outcome)
    {
        activity?.SetTag("paymentgateway.outcome", outcome);
        StoreInstrumentation.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("operation", Name), new KeyValuePair<string, object?>("outcome", outcome));
    }
}

internal sealed class StoreOperationWithResult<T>(MethodInfo method) : StoreOperation(method)
{
    public override object Run(object inner, object?[]? args, string engine) => RunAsync(inner, args, engine);

    private async Task<T> RunAsync(object inner, object?[]? args, string engine)
    {
        using var activity = Start(engine);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await ((Task<T>)Call(inner, args)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            outcome = Failed(e, activity);
            throw;
        }
        finally
        {
            Finish(activity, started, outcome);
        }
    }
}

internal sealed class StoreOperationWithoutResult(MethodInfo method) : StoreOperation(method)
{
    public override object Run(object inner, object?[]? args, string engine) => RunAsync(inner, args, engine);

    private async Task RunAsync(object inner, object?[]? args, string engine)
    {
        using var activity = Start(engine);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await Call(inner, args).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            outcome = Failed(e, activity);
            throw;
        }
        finally
        {
            Finish(activity, started, outcome);
        }
    }
}
