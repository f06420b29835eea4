using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Host.Background;
using PaymentGateway.Host.Infrastructure;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.Mollie;
using PaymentGateway.Providers.Stripe;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// Reports (docs/reporting.md): <c>/v1/reports/…</c> analytics from the rollups, with charts as accessible SVG;
/// the merchant's report time zone. Secret key only.
/// </summary>
public static class ReportsApi
{
    public static IServiceCollection AddPaymentGatewayReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => o.RollupInterval > TimeSpan.Zero && o.ExportInterval > TimeSpan.Zero && o.SealLag >= TimeSpan.Zero && o.SweepWindow > o.SealLag,
                "PaymentGateway:Reports intervals must be positive and SweepWindow longer than SealLag.")
            .ValidateOnStart();
        services.AddSingleton<ReportRollupJob>();
        services.AddSingleton<ReportQueries>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<ExportRunner>();
        services.AddSingleton<SettlementService>();
        services.AddSingleton<ReportRollupService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReportRollupService>());
        services.AddSingleton<ExportWorkerService>();
        services.AddHostedService(sp => sp.GetRequiredService<ExportWorkerService>());
        // Each adapter owns its settlement parser and registers it itself (issue 23, settlement reconciliation).
        services.AddAdyenSettlementReport().AddCheckoutComFinancialActions().AddMollieSettlements().AddStripeSettlementSource();
        return services;
    }

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/reports").WithTags("Reports").RequireKey(KeyRequirement.Secret);

        group.MapGet("/payments", async (HttpContext http, ReportQueries reports, CancellationToken ct) =>
                TypedResults.Json(await reports.PaymentsAsync(http.Caller(), Parse(http), ct), ApiJson.Context.PaymentsReportResource))
            .WithName("GetPaymentsReport")
            .WithSummary("Retrieve payments report").WithDescription("Volume, counts, approval, refund, dispute and 3-D Secure rates and provider latency percentiles per hour, day or month in the merchant's time zone; amounts per currency. Query: from, to (dates), interval, time_zone, group_by, and a filter per dimension.")
            .Produces<PaymentsReportResource>().WithStandardProblems();

        group.MapGet("/decline_reasons", async (HttpContext http, ReportQueries reports, CancellationToken ct) =>
                TypedResults.Json(await reports.DeclineReasonsAsync(http.Caller(), Parse(http), ct), ApiJson.Context.DeclineReasonsReportResource))
            .WithName("GetDeclineReasonsReport").WithSummary("Retrieve decline reasons report").WithDescription("Decline codes ranked by count, with their share; same range, time zone, group_by and filters as the payments report.")
            .Produces<DeclineReasonsReportResource>().WithStandardProblems();

        group.MapGet("/payments/chart", async (HttpContext http, ReportQueries reports, CancellationToken ct) =>
            {
                var metric = http.Request.Query["metric"].ToString() is { Length: > 0 } m ? m : "captured_amount";
                var report = await reports.PaymentsAsync(http.Caller(), Parse(http), ct);
                var currency = http.Request.Query["currency"].ToString();
                return Results.Text(ReportChart.Render(report, metric, currency.Length == 0 ? null : currency.ToUpperInvariant()), "image/svg+xml; charset=utf-8");
            })
            .WithName("GetPaymentsReportChart")
            .WithSummary("Retrieve payments report chart").WithDescription("The payments report as an accessible SVG bar chart of one metric (metric=attempted|authorized|captured|approval_rate|…; an amount metric needs currency). Same query as the report.")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml").WithStandardProblems();

        group.MapGet("/settings", async (HttpContext http, ReportQueries reports, CancellationToken ct) =>
                TypedResults.Json(await reports.GetSettingsAsync(http.Caller(), ct), ApiJson.Context.ReportSettingsResource))
            .WithName("GetReportSettings").WithSummary("Retrieve report settings").WithDescription("The merchant's report settings (time zone).")
            .Produces<ReportSettingsResource>().WithStandardProblems();

        group.MapPost("/settings", async (HttpContext http, ReportQueries reports, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.UpdateReportSettingsRequest, allowEmpty: false);
                return TypedResults.Json(await reports.UpdateSettingsAsync(http.Caller(), request, ct), ApiJson.Context.ReportSettingsResource);
            })
            .WithName("UpdateReportSettings").WithSummary("Update report settings").WithDescription("Set the IANA time zone reports use by default (DST-correct).")
            .WithJsonBody<UpdateReportSettingsRequest>().Produces<ReportSettingsResource>().WithStandardProblems();

        return app;
    }

    private static ReportRequest Parse(HttpContext http) =>
        ReportRequest.Parse(name => http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null);
}
