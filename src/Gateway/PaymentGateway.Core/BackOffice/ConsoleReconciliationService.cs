using PaymentGateway.Core.Api;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>
/// The console's Reconciliation page: a merchant's payouts, a payout's lines, the unmatched lines and the payments
/// captured but not settled after N days — the same <see cref="SettlementService"/> reads <c>/v1/settlements</c> answers
/// from, for a user whose role allows <see cref="ConsolePermission.ViewReports"/> on the merchant (owners and finance;
/// checked here). Reading changes nothing, so nothing is audited.
/// </summary>
public sealed class ConsoleReconciliationService(SettlementService settlements, IMerchantStore merchants)
{
    /// <summary>The merchants whose reports the caller may read, by name.</summary>
    public Task<IReadOnlyList<Merchant>> MerchantsAsync(ConsoleCaller caller, CancellationToken ct) =>
        ConsoleMerchants.AllowingAsync(merchants, caller, ConsolePermission.ViewReports, ct);

    /// <summary>One page of payouts with their totals and reconciliation status, newest first.</summary>
    public Task<ListResource<SettlementPayoutResource>> ListPayoutsAsync(ConsoleCaller caller, string merchantId, bool livemode, ListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewReports, merchantId);
        return settlements.ListPayoutsAsync(Api(merchantId, livemode), query, ct);
    }

    /// <summary>One page of settlement lines (of a payout, or in a status), newest first.</summary>
    public Task<ListResource<SettlementLineResource>> ListLinesAsync(ConsoleCaller caller, string merchantId, bool livemode, SettlementLineListQuery query,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewReports, merchantId);
        return settlements.ListLinesAsync(Api(merchantId, livemode), query, ct);
    }

    /// <summary>The oldest payments captured at least <paramref name="days"/> days ago that no settlement line covers yet.</summary>
    public Task<ListResource<PaymentResource>> ListUnsettledAsync(ConsoleCaller caller, string merchantId, bool livemode, int days, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewReports, merchantId);
        return settlements.ListUnsettledAsync(Api(merchantId, livemode), days, limit, ct);
    }

    private static CallerContext Api(string merchantId, bool livemode) => new(merchantId, livemode, ApiKeyKind.Secret);
}
