using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Diagnostics;
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
/// nothing. Cursors are kept per account in the settings table; the caller holds the lease. The accounts are asked one
/// after another, so each has <see cref="DisputeOptions.SyncAccountBudget"/> of provider time per pass: an account that
/// runs out is left for the next pass (counted in <c>paymentgateway.disputes.sync.budget_exceeded</c> and logged) and
/// the pass goes on to the next, so one slow provider account does not hold up the others.
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
        var budget = new SyncBudget(options.Value.SyncAccountBudget, time);
        if (providers.IsRegistered(ProviderRegistry.SimulatorId) && providers.Get(ProviderRegistry.SimulatorId) is IDisputeSyncFlow simulator)
        {
            changed += await SyncAccountAsync(simulator, null, DisputeNotifications.Origin.Simulator, budget, ct).ConfigureAwait(false);
        }

        foreach (var merchant in await merchants.ListMerchantsAsync(ct).ConfigureAwait(false))
        {
            foreach (var record in await routingStore.ListProviderAccountsAsync(merchant.Id, ct).ConfigureAwait(false))
            {
                if (providers.IsRegistered(record.ProviderId) && providers.Get(record.ProviderId) is IDisputeSyncFlow flow)
                {
                    changed += await SyncAccountAsync(flow, record, DisputeNotifications.Origin.Of(record), budget, ct).ConfigureAwait(false);
                }
            }
        }

        changed += await RefreshOpenAsync(budget, ct).ConfigureAwait(false);
        return changed;
    }

    private async Task<int> SyncAccountAsync(IDisputeSyncFlow flow, ProviderAccountRecord? record, DisputeNotifications.Origin origin, SyncBudget budget, CancellationToken ct)
    {
        var target = record?.Id ?? origin.Provider;
        var key = "dispute_sync.cursor." + target;
        var changed = 0;
        try
        {
            var account = record is null ? null : routing.Open(record);
            var cursor = await merchants.GetSettingAsync(key, ct).ConfigureAwait(false);
            for (var page = 0; page < MaxPagesPerAccount; page++)
            {
                var result = await budget.CallAsync(target, within => routing.CallAsync(account, token => flow.ListDisputesAsync(new ListProviderDisputesRequest
                {
                    Account = account,
                    Cursor = cursor,
                    Since = time.GetUtcNow() - options.Value.SyncLookback,
                    TestMode = !origin.Livemode,
                }, token), within), ct).ConfigureAwait(false);
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
            LogSyncFailed(logger, origin.Provider, target, e.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && budget.IsSpent(target))
        {
            // Out of time: the pages already applied kept their cursor, the rest is asked for by the next pass.
            BudgetExceeded(origin.Provider, target, "list");
        }

        return changed;
    }

    private async Task<int> RefreshOpenAsync(SyncBudget budget, CancellationToken ct)
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
                var target = dispute.ProviderAccountId ?? providerId;
                if (budget.IsSpent(target))
                {
                    // The account used its time in this pass (its own disputes or the reads before this one).
                    continue;
                }

                try
                {
                    var record = dispute.ProviderAccountId is { } accountId ? await routingStore.GetProviderAccountAsync(accountId, ct).ConfigureAwait(false) : null;
                    if (dispute.ProviderAccountId is not null && record is null)
                    {
                        continue;
                    }

                    var account = record is null ? null : routing.Open(record);
                    var current = await budget.CallAsync(target, within => routing.CallAsync(account, token => flow.GetDisputeAsync(new GetProviderDisputeRequest
                    {
                        Account = account,
                        ProviderDisputeId = dispute.ProviderDisputeId,
                        ProviderPaymentReference = dispute.ProviderPaymentReference,
                        TestMode = !dispute.Livemode,
                    }, token), within), ct).ConfigureAwait(false);
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
                catch (OperationCanceledException) when (!ct.IsCancellationRequested && budget.IsSpent(target))
                {
                    BudgetExceeded(providerId, target, "refresh");
                }
            }
        }

        return changed;
    }

    private void BudgetExceeded(string provider, string target, string phase)
    {
        GatewayTelemetry.DisputeSyncBudgetExceeded.Add(1, new("provider", provider), new("provider_account", target), new("phase", phase));
        LogBudgetExceeded(logger, provider, target, phase, options.Value.SyncAccountBudget);
    }

    /// <summary>The cursor a first poll starts from: <paramref name="since"/> as Unix milliseconds (the simulator's cursor format).</summary>
    public static string MillisecondsCursor(DateTimeOffset since) => since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispute sync with {Provider} for {Target} failed: {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, string provider, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispute sync with {Provider} for {Target} used its time budget of {Budget} ({Phase}); the next pass asks again")]
    private static partial void LogBudgetExceeded(ILogger logger, string provider, string target, string phase, TimeSpan budget);

    /// <summary>
    /// The provider time each account (or the simulator) has used in one pass. A call gets what is left of its account's
    /// budget and is canceled when that runs out; from then on the account is spent and asked nothing more in this pass.
    /// Only the calls to the provider count: applying what they returned is the gateway's own work and is never cut.
    /// </summary>
    private sealed class SyncBudget(TimeSpan budget, TimeProvider time)
    {
        private readonly Dictionary<string, TimeSpan> _used = new(StringComparer.Ordinal);

        public bool IsSpent(string target) => _used.GetValueOrDefault(target) >= budget;

        /// <summary>
        /// Runs <paramref name="call"/> with a token canceled when <paramref name="target"/>'s budget runs out; that
        /// cancellation surfaces as <see cref="OperationCanceledException"/> with <see cref="IsSpent"/> true.
        /// </summary>
        public async Task<T> CallAsync<T>(string target, Func<CancellationToken, Task<T>> call, CancellationToken ct)
        {
            var left = budget - _used.GetValueOrDefault(target);
            using var timeout = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            var started = time.GetTimestamp();
            try
            {
                return await call(linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _used[target] = timeout.IsCancellationRequested && !ct.IsCancellationRequested ? budget : _used.GetValueOrDefault(target) + time.GetElapsedTime(started);
            }
        }
    }
}
