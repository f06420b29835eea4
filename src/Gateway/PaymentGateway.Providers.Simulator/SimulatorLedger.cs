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

    /// <summary>Stores (or replaces) what the simulated provider knows about one of its disputes.</summary>
    Task SaveDisputeAsync(SimulatedDispute dispute, CancellationToken cancellationToken);

    /// <summary>The dispute the simulated provider knows by <paramref name="providerDisputeId"/>, or null.</summary>
    Task<SimulatedDispute?> FindDisputeAsync(string providerDisputeId, CancellationToken cancellationToken);

    /// <summary>Stores notices to send later; a notice whose id is already stored is kept as it was.</summary>
    Task ScheduleDisputeNoticesAsync(IReadOnlyList<SimulatedDisputeNotice> notices, CancellationToken cancellationToken);

    /// <summary>Notices due in (<paramref name="after"/>, <paramref name="upTo"/>], by due time then id.</summary>
    Task<IReadOnlyList<SimulatedDisputeNotice>> ListDisputeNoticesAsync(DateTimeOffset after, DateTimeOffset upTo, int limit, CancellationToken cancellationToken);
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

    private readonly ConcurrentDictionary<string, SimulatedDispute> _disputes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SimulatedDisputeNotice> _notices = new(StringComparer.Ordinal);

    public Task SaveDisputeAsync(SimulatedDispute dispute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        _disputes[dispute.ProviderDisputeId] = dispute;
        return Task.CompletedTask;
    }

    public Task<SimulatedDispute?> FindDisputeAsync(string providerDisputeId, CancellationToken cancellationToken) =>
        Task.FromResult(_disputes.TryGetValue(providerDisputeId, out var dispute) ? dispute : null);

    public Task ScheduleDisputeNoticesAsync(IReadOnlyList<SimulatedDisputeNotice> notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        foreach (var notice in notices)
        {
            _notices.TryAdd(notice.Id, notice);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SimulatedDisputeNotice>> ListDisputeNoticesAsync(DateTimeOffset after, DateTimeOffset upTo, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SimulatedDisputeNotice>>(_notices.Values
            .Where(n => n.DueAt > after && n.DueAt <= upTo)
            .OrderBy(n => n.DueAt).ThenBy(n => n.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList());
    public Task RememberSeriesAsync(string key, string cardKey, CancellationToken cancellationToken)
    {
        _series[key] = cardKey;
        return Task.CompletedTask;
    }

    public Task<string?> FindSeriesAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_series.TryGetValue(key, out var cardKey) ? cardKey : null);
}
