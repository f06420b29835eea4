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
}

/// <summary>An authorization the simulator approved but whose answer never reached the gateway.</summary>
public sealed record SimulatedAuthorization(string ProviderReference, bool Captured);

/// <summary>The per-process ledger: enough for one node and for tests of the adapter alone.</summary>
public sealed class InMemorySimulatorLedger : ISimulatorLedger
{
    private readonly ConcurrentDictionary<string, SimulatedAuthorization> _entries = new(StringComparer.Ordinal);

    public Task RememberAsync(string idempotencyKey, SimulatedAuthorization authorization, CancellationToken cancellationToken)
    {
        _entries[idempotencyKey] = authorization;
        return Task.CompletedTask;
    }

    public Task<SimulatedAuthorization?> FindAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryGetValue(idempotencyKey, out var entry) ? entry : null);
}
