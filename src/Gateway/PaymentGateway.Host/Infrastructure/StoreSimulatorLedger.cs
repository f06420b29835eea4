using System.Globalization;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers.Simulator;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// The simulator's ledger in the gateway database (the settings table), so every node sharing the database acts as one
/// simulated provider: a lost answer recorded by one node is found by the reconciler on any other.
/// </summary>
internal sealed class StoreSimulatorLedger(IPaymentStore paymentStore, IMerchantStore merchantStore) : ISimulatorLedger
{
    private const string Prefix = "simulator.lost_answer.";
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

    public Task RememberSeriesAsync(string key, string cardKey, CancellationToken cancellationToken)
    {
        var changes = new StoreChanges();
        changes.Settings[SeriesPrefix + key] = cardKey;
        return paymentStore.CommitAsync(changes, cancellationToken);
    }

    public Task<string?> FindSeriesAsync(string key, CancellationToken cancellationToken) =>
        merchantStore.GetSettingAsync(SeriesPrefix + key, cancellationToken);
}
