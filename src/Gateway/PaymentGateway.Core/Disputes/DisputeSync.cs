using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// The reconciler's dispute pass: asks every provider with a disputes API (<see cref="IDisputeSyncFlow"/>; the
/// simulator included) what changed since the last pass, per provider account, and reads again each open dispute not
/// heard of for <see cref="DisputeOptions.RefreshOpenAfter"/>. Everything found goes through
/// <see cref="DisputeNotifications"/>, exactly like a webhook, so a lost notification is found and a known one changes
/// nothing. Cursors are kept per account in the settings table; the caller holds the lease.
/// </summary>
public sealed partial class DisputeSync(
    IMerchantStore merchants, IRoutingStore routingStore, IPaymentStore paymentStore, IDisputeStore disputes,
    ProviderRegistry providers, ProviderRouting routing, DisputeNotifications notifications,
    IOptions<DisputeOptions> options, TimeProvider time, ILogger<DisputeSync> logger)
{
    private const int MaxPagesPerAccount = 10;

    /// <summary>One pass; returns how many notifications changed a dispute.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var changed = 0;
        if (providers.IsRegistered(ProviderRegistry.SimulatorId) && providers.Get(ProviderRegistry.SimulatorId) is IDisputeSyncFlow simulator)
        {
            changed += await SyncAccountAsync(simulator, null, DisputeNotifications.Origin.Simulator, ct).ConfigureAwait(false);
        }

        foreach (var merchant in await merchants.ListMerchantsAsync(ct).ConfigureAwait(false))
        {
            foreach (var record in await routingStore.ListProviderAccountsAsync(merchant.Id, ct).ConfigureAwait(false))
            {
                if (providers.IsRegistered(record.ProviderId) && providers.Get(record.ProviderId) is IDisputeSyncFlow flow)
                {
                    changed += await SyncAccountAsync(flow, record, DisputeNotifications.Origin.Of(record), ct).ConfigureAwait(false);
                }
            }
        }

        changed += await RefreshOpenAsync(ct).ConfigureAwait(false);
        return changed;
    }

    private async Task<int> SyncAccountAsync(IDisputeSyncFlow flow, ProviderAccountRecord? record, DisputeNotifications.Origin origin, CancellationToken ct)
    {
        var key = "dispute_sync.cursor." + (record?.Id ?? origin.Provider);
        var changed = 0;
        try
        {
            var account = record is null ? null : routing.Open(record);
            var cursor = await merchants.GetSettingAsync(key, ct).ConfigureAwait(false);
            for (var page = 0; page < MaxPagesPerAccount; page++)
            {
                var result = await routing.CallAsync(account, token => flow.ListDisputesAsync(new ListProviderDisputesRequest
                {
                    Account = account,
                    Cursor = cursor,
                    Since = time.GetUtcNow() - options.Value.SyncLookback,
                    TestMode = !origin.Livemode,
                }, token), ct).ConfigureAwait(false);
                foreach (var notification in result.Disputes)
                {
                    changed += await notifications.ApplyAsync(origin, notification, "sync", ct).ConfigureAwait(false) ? 1 : 0;
                }

                if (result.NextCursor is { } next && next != cursor)
                {
                    var save = new StoreChanges();
                    save.Settings[key] = next;
                    await paymentStore.CommitAsync(save, ct).ConfigureAwait(false);
                    cursor = next;
                }

                if (!result.HasMore)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException or GatewayException or InvalidOperationException)
        {
            // The provider did not answer (or the account lacks a credential): the cursor stays, the next pass asks again.
            LogSyncFailed(logger, origin.Provider, record?.Id ?? origin.Provider, e.Message);
        }

        return changed;
    }

    private async Task<int> RefreshOpenAsync(CancellationToken ct)
    {
        var changed = 0;
        var before = time.GetUtcNow() - options.Value.RefreshOpenAfter;
        foreach (var providerId in new[] { ProviderRegistry.SimulatorId, "stripe", "adyen", "checkoutcom", "mollie" })
        {
            if (!providers.IsRegistered(providerId) || providers.Get(providerId) is not IDisputeSyncFlow flow)
            {
                continue;
            }

            foreach (var dispute in await disputes.ListOpenDisputesAsync(providerId, before, 50, ct).ConfigureAwait(false))
            {
                try
                {
                    var record = dispute.ProviderAccountId is { } accountId ? await routingStore.GetProviderAccountAsync(accountId, ct).ConfigureAwait(false) : null;
                    if (dispute.ProviderAccountId is not null && record is null)
                    {
                        continue;
                    }

                    var account = record is null ? null : routing.Open(record);
                    var current = await routing.CallAsync(account, token => flow.GetDisputeAsync(new GetProviderDisputeRequest
                    {
                        Account = account,
                        ProviderDisputeId = dispute.ProviderDisputeId,
                        ProviderPaymentReference = dispute.ProviderPaymentReference,
                        TestMode = !dispute.Livemode,
                    }, token), ct).ConfigureAwait(false);
                    var origin = record is null ? DisputeNotifications.Origin.Simulator : DisputeNotifications.Origin.Of(record);
                    if (current is not null && await notifications.ApplyAsync(origin, current, "sync", ct).ConfigureAwait(false))
                    {
                        changed++;
                    }
                }
                catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException or GatewayException or InvalidOperationException)
                {
                    LogSyncFailed(logger, providerId, dispute.Id, e.Message);
                }
            }
        }

        return changed;
    }

    /// <summary>The cursor a first poll starts from: <paramref name="since"/> as Unix milliseconds (the simulator's cursor format).</summary>
    public static string MillisecondsCursor(DateTimeOffset since) => since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispute sync with {Provider} for {Target} failed: {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, string provider, string target, string reason);
}
