using PaymentGateway.Core.Api;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.BackOffice;

/// <summary>
/// The console's Reports page: the same <see cref="ReportQueries"/> the <c>/v1/reports</c> API answers from, for a
/// merchant the signed-in user may read reports of (owners and finance; checked here, not in the page). Reading a
/// report changes nothing, so nothing is audited.
/// </summary>
public sealed class ConsoleReportService(ReportQueries reports)
{
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
}
