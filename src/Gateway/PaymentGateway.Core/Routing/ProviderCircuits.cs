using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Providers;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PaymentGateway.Core.Routing;

/// <summary>
/// One Polly v8 pipeline per provider account: a circuit breaker around a call timeout. While an account's circuit
/// is open, calls fail at once with <see cref="ProviderUnavailableException"/> (nothing was sent), so the router
/// fails over to the next candidate. Declines are answers, not failures. The state of every breaker is the gauge
/// <c>paymentgateway.provider.circuit_breaker.state</c> (0 closed, 1 open, 2 half-open, 3 isolated).
/// </summary>
public sealed class ProviderCircuits : IDisposable
{
    private static readonly ConcurrentDictionary<ProviderCircuits, bool> Live = new();

    private static readonly ObservableGauge<int> StateGauge = GatewayTelemetry.Meter.CreateObservableGauge(
        "paymentgateway.provider.circuit_breaker.state", ObserveAll, unit: "{state}",
        description: "Circuit breaker state per provider account: 0 closed, 1 open, 2 half-open, 3 isolated.");

    private readonly ConcurrentDictionary<string, Circuit> _circuits = new(StringComparer.Ordinal);
    private readonly ProviderCircuitOptions _options;
    private readonly TimeProvider _time;

    public ProviderCircuits(IOptions<ProviderCircuitOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _ = StateGauge;
        Live[this] = true;
    }

    /// <summary>Runs one adapter call through the account's breaker and timeout.</summary>
    public async Task<T> ExecuteAsync<T>(ProviderAccount account, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var circuit = _circuits.GetOrAdd(account.Id, _ => Build(account));
        try
        {
            return await circuit.Pipeline.ExecuteAsync(async token => await call(token).ConfigureAwait(false), ct).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            throw new ProviderUnavailableException(account.ProviderId, $"The circuit of provider account {account.Id} is open; the request was not sent.", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ProviderOutcomeUnknownException(account.ProviderId, $"Provider account {account.Id} did not answer in time.", e);
        }
    }

    /// <summary>The breaker state of an account (closed when it has not been used).</summary>
    public CircuitState StateOf(string accountId) => _circuits.TryGetValue(accountId, out var c) ? c.State.CircuitState : CircuitState.Closed;

    public void Dispose() => Live.TryRemove(this, out _);

    private Circuit Build(ProviderAccount account)
    {
        var state = new CircuitBreakerStateProvider();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "provider-account-circuit-breaker",
                FailureRatio = _options.FailureRatio,
                MinimumThroughput = Math.Max(2, _options.MinimumThroughput),
                SamplingDuration = _options.SamplingDuration,
                BreakDuration = _options.BreakDuration,
                StateProvider = state,
                ShouldHandle = new PredicateBuilder()
                    .Handle<ProviderUnavailableException>()
                    .Handle<ProviderOutcomeUnknownException>()
                    .Handle<TimeoutRejectedException>(),
            })
            .AddTimeout(_options.CallTimeout)
            .Build();
        return new Circuit(pipeline, state, account.ProviderId);
    }

    private static IEnumerable<Measurement<int>> ObserveAll()
    {
        foreach (var instance in Live.Keys)
        {
            foreach (var (accountId, circuit) in instance._circuits)
            {
                yield return new Measurement<int>((int)circuit.State.CircuitState,
                    new KeyValuePair<string, object?>("provider", circuit.ProviderId),
                    new KeyValuePair<string, object?>("provider_account", accountId));
            }
        }
    }

    private sealed record Circuit(ResiliencePipeline Pipeline, CircuitBreakerStateProvider State, string ProviderId);
}
