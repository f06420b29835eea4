using PaymentGateway.Core.Api;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>
/// The console's Reports page: the same <see cref="ReportQueries"/> the <c>/v1/reports</c> API answers from, for a
/// merchant the signed-in user may read reports of (owners and finance; checked here, not in the page), or across all
/// the merchants the user may read reports of ("All my merchants"), grouped by merchant as
/// <c>/v1/admin/reports</c> answers it. Reading a report changes nothing, so nothing is audited.
/// </summary>
public sealed class ConsoleReportService(ReportQueries reports, IMerchantStore merchants)
{
    /// <summary>The merchants whose reports the caller may read, by name (403 when none).</summary>
    public Task<IReadOnlyList<Merchant>> MerchantsAsync(ConsoleCaller caller, CancellationToken ct) =>
        ConsoleMerchants.AllowingAsync(merchants, caller, ConsolePermission.ViewReports, ct);

    public Task<PaymentsReportResource> PaymentsAsync(ConsoleCaller caller, string merchantId, bool livemode, ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewReports, merchantId);
        return reports.PaymentsAsync(new CallerContext(merchantId, livemode, ApiKeyKind.Secret), request, ct);
    }

    public Task<DeclineReasonsReportResource> DeclineReasonsAsync(ConsoleCaller caller, string merchantId, bool livemode, ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewReports, merchantId);
        return reports.DeclineReasonsAsync(new CallerContext(merchantId, livemode, ApiKeyKind.Secret), request, ct);
    }

    /// <summary>
    /// The payments report of every merchant the caller may read reports of (every merchant for a platform grant),
    /// grouped by merchant first, in one time zone (the request's, else UTC): the query the admin API answers, limited
    /// to the caller's merchants here.
    /// </summary>
    public Task<PaymentsReportResource> PaymentsByMerchantAsync(ConsoleCaller caller, bool livemode, ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        caller.DemandAnywhere(ConsolePermission.ViewReports);
        return reports.PaymentsAcrossMerchantsAsync(caller.MerchantsAllowing(ConsolePermission.ViewReports), ByMerchant(request, livemode), ct);
    }

    /// <summary>The decline reasons of <see cref="PaymentsByMerchantAsync"/>'s merchants, per merchant.</summary>
    public Task<DeclineReasonsReportResource> DeclineReasonsByMerchantAsync(ConsoleCaller caller, bool livemode, ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        caller.DemandAnywhere(ConsolePermission.ViewReports);
        return reports.DeclineReasonsAcrossMerchantsAsync(caller.MerchantsAllowing(ConsolePermission.ViewReports), ByMerchant(request, livemode), ct);
    }

    private static ReportRequest ByMerchant(ReportRequest request, bool livemode) => request with
    {
        GroupBy = [ReportDimension.Merchant, .. request.GroupBy.Where(d => d != ReportDimension.Merchant)],
        Livemode = livemode,
    };
}
