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
/// the merchant's report time zone. Secret key only. <c>/v1/admin/reports/…</c>: the same reports across merchants
/// (admin key), grouped by merchant if asked, in one time zone (UTC unless <c>time_zone</c> says otherwise).
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
            .WithReportQuery(acrossMerchants: false)
            .WithName("GetPaymentsReport")
            .WithSummary("Retrieve payments report").WithDescription("Volume, counts, approval, refund, dispute and 3-D Secure rates and provider latency percentiles per hour, day or month in the merchant's time zone; amounts per currency. Query: from, to (dates), interval, time_zone, group_by, and a filter per dimension.")
            .Produces<PaymentsReportResource>().WithStandardProblems();

        group.MapGet("/decline_reasons", async (HttpContext http, ReportQueries reports, CancellationToken ct) =>
                TypedResults.Json(await reports.DeclineReasonsAsync(http.Caller(), Parse(http), ct), ApiJson.Context.DeclineReasonsReportResource))
            .WithReportQuery(acrossMerchants: false)
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

        var admin = app.MapGroup("/v1/admin/reports").WithTags("Reports").RequireKey(KeyRequirement.Admin);

        admin.MapGet("/payments", async (HttpContext http, ReportQueries reports, CancellationToken ct) =>
                TypedResults.Json(await reports.PaymentsAcrossMerchantsAsync(null, ParseAcrossMerchants(http), ct), ApiJson.Context.PaymentsReportResource))
            .WithReportQuery(acrossMerchants: true)
            .WithName("GetPaymentsReportAcrossMerchants")
            .WithSummary("Retrieve payments report across merchants").WithDescription("The payments report of every merchant (admin key), or of those in merchant, in one mode (livemode) and one time zone (time_zone, default UTC, never a merchant's setting); group_by=merchant gives a row per merchant equal to that merchant's own report in the same time zone. Amounts per currency, never added across currencies.")
            .Produces<PaymentsReportResource>().WithStandardProblems();

        admin.MapGet("/decline_reasons", async (HttpContext http, ReportQueries reports, CancellationToken ct) =>
                TypedResults.Json(await reports.DeclineReasonsAcrossMerchantsAsync(null, ParseAcrossMerchants(http), ct), ApiJson.Context.DeclineReasonsReportResource))
            .WithReportQuery(acrossMerchants: true)
            .WithName("GetDeclineReasonsReportAcrossMerchants")
            .WithSummary("Retrieve decline reasons report across merchants").WithDescription("Decline codes ranked by count across merchants (admin key); same merchant, livemode, range, time zone (default UTC), group_by (merchant too) and filters as the payments report across merchants.")
            .Produces<DeclineReasonsReportResource>().WithStandardProblems();

        return app;
    }

    private static ReportRequest Parse(HttpContext http) =>
        ReportRequest.Parse(name => http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null);

    private static ReportRequest ParseAcrossMerchants(HttpContext http) =>
        ReportRequest.ParseAcrossMerchants(name => http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null);

    /// <summary>The report's query parameters in the OpenAPI document (<see cref="ReportRequest"/> reads them).</summary>
    private static RouteHandlerBuilder WithReportQuery(this RouteHandlerBuilder builder, bool acrossMerchants)
    {
        var dimensions = acrossMerchants ? ReportDimensionNames.AcrossMerchants : ReportDimensionNames.All;
        builder
            .WithQueryParameter(new QueryParameterAttribute("from", Microsoft.OpenApi.JsonSchemaType.String, "The first local date (YYYY-MM-DD).") { Required = true, Format = "date" })
            .WithQueryParameter(new QueryParameterAttribute("to", Microsoft.OpenApi.JsonSchemaType.String, "The local date after the last one (YYYY-MM-DD, exclusive).") { Required = true, Format = "date" })
            .WithQueryParameter(new QueryParameterAttribute("interval", Microsoft.OpenApi.JsonSchemaType.String, "Per hour (up to 31 days), day (the default) or month (up to 732 days).") { Enum = ["hour", "day", "month"] })
            .WithQueryParameter("time_zone", Microsoft.OpenApi.JsonSchemaType.String, acrossMerchants
                ? "IANA time zone for every merchant's periods (default UTC; a merchant's own setting is not used)."
                : "IANA time zone (default: the merchant's report setting, else UTC).")
            .WithQueryParameter("group_by", Microsoft.OpenApi.JsonSchemaType.String, $"Comma-separated dimensions to group rows by: {string.Join(", ", dimensions.Select(d => d.Name))}.");
        foreach (var (_, name, _) in ReportDimensionNames.All)
        {
            builder.WithQueryParameter(name, Microsoft.OpenApi.JsonSchemaType.String, $"Only rows whose {name.Replace('_', ' ')} is this value.");
        }

        if (acrossMerchants)
        {
            builder
                .WithQueryParameter("merchant", Microsoft.OpenApi.JsonSchemaType.String, $"Only these merchants: comma-separated ids (mer_…), at most {ReportRequest.MaxMerchants}; an unknown id matches nothing.")
                .WithQueryParameter("livemode", Microsoft.OpenApi.JsonSchemaType.Boolean, "The mode to report on: true (live) or false (test, the default).");
        }

        return builder;
    }
}
