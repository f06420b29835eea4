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

    public Task RememberAsync(string idempotencyKey, SimulatedAuthorization authorization, CancellationToken cancellationToken)
    {
        var changes = new StoreChanges();
        changes.Settings[Prefix + idempotencyKey] = string.Create(CultureInfo.InvariantCulture, $"{(authorization.Captured ? 1 : 0)}:{authorization.ProviderReference}");
        return paymentStore.CommitAsync(changes, cancellationToken);
    }

    public async Task<SimulatedAuthorization?> FindAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var value = await merchantStore.GetSettingAsync(Prefix + idempotencyKey, cancellationToken).ConfigureAwait(false);
        return value is [var captured, ':', .. var reference] ? new SimulatedAuthorization(reference, captured == '1') : null;
    }
}
