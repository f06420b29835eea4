using System.Diagnostics;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Accumulates the time a request spends waiting on providers, so transports can report the gateway's own
/// processing time apart from the provider's (REST: the <c>Server-Timing</c> header).
/// </summary>
public static class ProviderTiming
{
    private static readonly AsyncLocal<Accumulator?> Current = new();

    /// <summary>Starts accumulating for the current request; read <see cref="Accumulator.Elapsed"/> at the end.</summary>
    public static Accumulator Begin() => Current.Value = new Accumulator();

    /// <summary>Runs a provider call and adds its duration to the current request's total, if one is being measured.</summary>
    public static async Task<T> TimeAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            Current.Value?.Add(Stopwatch.GetElapsedTime(started));
        }
    }

    public sealed class Accumulator
    {
        private long _ticks;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        internal void Add(TimeSpan elapsed) => Interlocked.Add(ref _ticks, elapsed.Ticks);
    }
}
