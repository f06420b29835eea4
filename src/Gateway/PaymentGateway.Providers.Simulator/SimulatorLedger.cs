using System.Collections.Concurrent;

namespace PaymentGateway.Providers.Simulator;

/// <summary>
/// What the simulated provider remembers about authorizations whose answer it "lost", keyed by the attempt's
/// idempotency key, so that a later sync can tell the reconciler what really happened. A real provider keeps this on
/// its side; the simulator keeps it wherever this ledger puts it. Several gateway nodes act as one provider only when
/// they share the ledger (the host stores it in the gateway database).
/// </summary>
public interface ISimulatorLedger
{
    Task RememberAsync(string idempotencyKey, SimulatedAuthorization authorization, CancellationToken cancellationToken);

    /// <summary>What was recorded for <paramref name="idempotencyKey"/>, or null. Reading does not forget: a provider answers every sync the same.</summary>
    Task<SimulatedAuthorization?> FindAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="key"/> (a network transaction id or stored-card reference the simulator issued for the
    /// first payment of a stored-credential series, or a pending challenge of one) belongs to <paramref name="cardKey"/>
    /// (brand and last four digits, never the card number).
    /// </summary>
    Task RememberSeriesAsync(string key, string cardKey, CancellationToken cancellationToken);

    /// <summary>The card a series key was issued for, or null when the simulator never issued it.</summary>
    Task<string?> FindSeriesAsync(string key, CancellationToken cancellationToken);
}

/// <summary>An authorization the simulator approved but whose answer never reached the gateway.</summary>
public sealed record SimulatedAuthorization(string ProviderReference, bool Captured, string? NetworkTransactionId = null);

/// <summary>The per-process ledger: enough for one node and for tests of the adapter alone.</summary>
public sealed class InMemorySimulatorLedger : ISimulatorLedger
{
    private readonly ConcurrentDictionary<string, SimulatedAuthorization> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _series = new(StringComparer.Ordinal);

    public Task RememberAsync(string idempotencyKey, SimulatedAuthorization authorization, CancellationToken cancellationToken)
    {
        _entries[idempotencyKey] = authorization;
        return Task.CompletedTask;
    }

    public Task<SimulatedAuthorization?> FindAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryGetValue(idempotencyKey, out var entry) ? entry : null);

    public Task RememberSeriesAsync(string key, string cardKey, CancellationToken cancellationToken)
    {
        _series[key] = cardKey;
        return Task.CompletedTask;
    }

    public Task<string?> FindSeriesAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_series.TryGetValue(key, out var cardKey) ? cardKey : null);
}
