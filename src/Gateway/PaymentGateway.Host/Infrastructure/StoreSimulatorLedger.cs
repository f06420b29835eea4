using System.Globalization;
using System.Text.Json;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers.Simulator;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// The simulator's ledger in the gateway database, so every node sharing the database acts as one simulated provider:
/// a lost answer recorded by one node is found by the reconciler on any other, and a dispute scheduled by one node is
/// sent by whichever node's dispute sync finds it due. Lost answers and disputes live in the settings table, scheduled
/// dispute notices in their own table (<see cref="IDisputeStore"/>).
/// </summary>
internal sealed class StoreSimulatorLedger(IPaymentStore paymentStore, IMerchantStore merchantStore, IDisputeStore disputeStore) : ISimulatorLedger
{
    private const string Prefix = "simulator.lost_answer.";
    private const string DisputePrefix = "simulator.dispute.";
    private const string SeriesPrefix = "simulator.series.";

    public Task RememberAsync(string idempotencyKey, SimulatedAuthorization authorization, CancellationToken cancellationToken)
    {
        var changes = new StoreChanges();
        changes.Settings[Prefix + idempotencyKey] = string.Create(CultureInfo.InvariantCulture,
            $"{(authorization.Captured ? 1 : 0)}:{authorization.ProviderReference}{(authorization.NetworkTransactionId is { } nti ? "|" + nti : string.Empty)}");
        return paymentStore.CommitAsync(changes, cancellationToken);
    }

    public async Task<SimulatedAuthorization?> FindAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var value = await merchantStore.GetSettingAsync(Prefix + idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (value is not [var captured, ':', .. var rest])
        {
            return null;
        }

        var bar = rest.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? new SimulatedAuthorization(rest, captured == '1') : new SimulatedAuthorization(rest[..bar], captured == '1', rest[(bar + 1)..]);
    }

    public Task SaveDisputeAsync(SimulatedDispute dispute, CancellationToken cancellationToken)
    {
        var changes = new StoreChanges();
        changes.Settings[DisputePrefix + dispute.ProviderDisputeId] = JsonSerializer.Serialize(dispute, SimulatorJsonContext.Default.SimulatedDispute);
        return paymentStore.CommitAsync(changes, cancellationToken);
    }

    public async Task<SimulatedDispute?> FindDisputeAsync(string providerDisputeId, CancellationToken cancellationToken) =>
        await merchantStore.GetSettingAsync(DisputePrefix + providerDisputeId, cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize(json, SimulatorJsonContext.Default.SimulatedDispute)
            : null;

    public Task ScheduleDisputeNoticesAsync(IReadOnlyList<SimulatedDisputeNotice> notices, CancellationToken cancellationToken) =>
        disputeStore.ScheduleSimulatorDisputeNoticesAsync(
            notices.Select(n => new SimulatorDisputeNoticeRow(n.Id, n.DueAt, JsonSerializer.Serialize(n, SimulatorJsonContext.Default.SimulatedDisputeNotice))).ToList(),
            cancellationToken);

    public async Task<IReadOnlyList<SimulatedDisputeNotice>> ListDisputeNoticesAsync(DateTimeOffset after, DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        var rows = await disputeStore.ListSimulatorDisputeNoticesAsync(after, upTo, limit, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => JsonSerializer.Deserialize(r.Json, SimulatorJsonContext.Default.SimulatedDisputeNotice)
            ?? throw new InvalidDataException($"Empty simulator dispute notice {r.Id}.")).ToList();
    }
    public Task RememberSeriesAsync(string key, string cardKey, CancellationToken cancellationToken)
    {
        var changes = new StoreChanges();
        changes.Settings[SeriesPrefix + key] = cardKey;
        return paymentStore.CommitAsync(changes, cancellationToken);
    }

    public Task<string?> FindSeriesAsync(string key, CancellationToken cancellationToken) =>
        merchantStore.GetSettingAsync(SeriesPrefix + key, cancellationToken);
}
