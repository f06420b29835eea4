using PaymentGateway.Core.Api;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.BackOffice;

/// <summary>A period's figures on the home page: payments attempted and authorized, the approval rate, captured volume per currency.</summary>
public sealed record ConsoleHomeFigures(long Attempted, long Authorized, double? ApprovalRate, IReadOnlyList<ReportAmountsResource> Volume);

/// <summary>A provider account and its circuit on this node.</summary>
public sealed record ConsoleCircuit(ProviderAccountRecord Account, string State);

/// <summary>Everything the home page shows for one merchant and mode.</summary>
public sealed record ConsoleHome(
    ConsoleHomeFigures Today,
    ConsoleHomeFigures Week,
    DateTimeOffset? FiguresAsOf,
    IReadOnlyList<Payment> RecentFailures,
    int EnabledEndpoints,
    int DisabledEndpoints,
    IReadOnlyList<WebhookDelivery> FailedDeliveries,
    int PendingDeliveries,
    IReadOnlyList<ConsoleCircuit> Circuits);

/// <summary>
/// The console's home for a merchant: today's and this week's (since Monday, UTC) volume, count and approval rate from the
/// reports' rollups (the same service as <c>GET /v1/reports/payments</c>), the latest failed payments with their reasons,
/// webhook health (endpoints, failed and waiting deliveries) and the provider accounts' circuit states on this node.
/// Every role that reads payments sees it.
/// </summary>
public sealed class ConsoleHomeService(ReportQueries reports, IPaymentStore payments, IWebhookStore webhooks, IRoutingStore routing, ProviderCircuits circuits,
    TimeProvider time)
{
    public async Task<ConsoleHome> GetAsync(ConsoleCaller caller, string merchantId, bool livemode, CancellationToken ct)
    {
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        var api = new CallerContext(merchantId, livemode, ApiKeyKind.Secret);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var report = await reports.PaymentsAsync(api, new ReportRequest { From = monday, To = today.AddDays(1), Interval = ReportInterval.Day, TimeZone = "UTC" }, ct)
            .ConfigureAwait(false);
        var todayText = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var failures = await payments.ListPaymentsAsync(merchantId, livemode, new PaymentListQuery { Status = PaymentStatus.Failed, Limit = 10 }, ct).ConfigureAwait(false);
        var endpoints = await webhooks.ListWebhookEndpointsAsync(merchantId, livemode, new ListQuery { Limit = 100 }, ct).ConfigureAwait(false);
        var failed = await webhooks.ListWebhookDeliveriesAsync(merchantId, livemode, new WebhookDeliveryListQuery { Status = WebhookDeliveryStatus.Failed, Limit = 10 }, ct)
            .ConfigureAwait(false);
        var pending = await webhooks.ListWebhookDeliveriesAsync(merchantId, livemode, new WebhookDeliveryListQuery { Status = WebhookDeliveryStatus.Pending, Limit = 100 }, ct)
            .ConfigureAwait(false);
        var accounts = await routing.ListProviderAccountsAsync(merchantId, ct).ConfigureAwait(false);

        return new ConsoleHome(
            Figures(report.Data.Where(r => r.Period == todayText)),
            Figures(report.Data),
            report.DataAsOf,
            failures,
            endpoints.Count(e => e.Status == WebhookEndpointStatus.Enabled),
            endpoints.Count(e => e.Status != WebhookEndpointStatus.Enabled),
            failed,
            pending.Count,
            [.. accounts.Where(a => a.Livemode == livemode).Select(a => new ConsoleCircuit(a, circuits.StateOf(a.Id).ToString().ToLowerInvariant()))]);
    }

    private static ConsoleHomeFigures Figures(IEnumerable<PaymentsReportRowResource> rows)
    {
        var list = rows.ToList();
        var attempted = list.Sum(r => r.Attempted);
        var authorized = list.Sum(r => r.Authorized);
        var volume = list.SelectMany(r => r.Amounts).GroupBy(a => a.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReportAmountsResource
            {
                Currency = g.Key,
                Authorized = g.Sum(a => a.Authorized),
                Captured = g.Sum(a => a.Captured),
                Refunded = g.Sum(a => a.Refunded),
                Disputed = g.Sum(a => a.Disputed),
                DisputesWon = g.Sum(a => a.DisputesWon),
                DisputesLost = g.Sum(a => a.DisputesLost),
                DisputesAccepted = g.Sum(a => a.DisputesAccepted),
            }).ToList();
        return new ConsoleHomeFigures(attempted, authorized, attempted == 0 ? null : (double)authorized / attempted, volume);
    }
}
