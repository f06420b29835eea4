using System.Diagnostics;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Every provider call goes through <see cref="TimeAsync"/>: one span per attempt (provider, flow, outcome — never card
/// data or credentials), a duration metric, and the time added to the current request's provider total so transports
/// can report the gateway's own processing time apart (REST: the <c>Server-Timing</c> header).
/// </summary>
public static class ProviderTiming
{
    private static readonly AsyncLocal<Accumulator?> Current = new();

    /// <summary>Starts accumulating for the current request; read <see cref="Accumulator.Elapsed"/> at the end.</summary>
    public static Accumulator Begin() => Current.Value = new Accumulator();

    /// <summary>
    /// Runs one provider call, traced and measured. <paramref name="paymentId"/> goes on the span as <c>payment.id</c>
    /// (an identifier, not a secret) so an operator can find a payment's traces; it is not a metric label.
    /// </summary>
    public static async Task<T> TimeAsync<T>(string provider, string flow, Func<Task<T>> call, string? paymentId = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var activity = GatewayTelemetry.ActivitySource.StartActivity($"provider.{flow}", ActivityKind.Client);
        activity?.SetTag("paymentgateway.provider", provider);
        activity?.SetTag("paymentgateway.flow", flow);
        activity?.SetTag("payment.id", paymentId);
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await call().ConfigureAwait(false);
            outcome = result switch
            {
                ProviderPaymentResult p => p.Outcome.ToString().ToLowerInvariant(),
                ProviderRefundResult r => r.Outcome.ToString().ToLowerInvariant(),
                _ => "ok",
            };
            return result;
        }
        catch (ProviderOutcomeUnknownException)
        {
            outcome = "unknown";
            throw;
        }
        catch (ProviderUnavailableException)
        {
            outcome = "unavailable";
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            Current.Value?.Add(elapsed);
            activity?.SetTag("paymentgateway.outcome", outcome);
            if (outcome is "unknown" or "unavailable" or "error")
            {
                activity?.SetStatus(ActivityStatusCode.Error, outcome);
            }

            GatewayTelemetry.ProviderCallDuration.Record(elapsed.TotalSeconds,
                new KeyValuePair<string, object?>("provider", provider),
                new KeyValuePair<string, object?>("flow", flow),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public sealed class Accumulator
    {
        private long _ticks;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        internal void Add(TimeSpan elapsed) => Interlocked.Add(ref _ticks, elapsed.Ticks);
    }
}
