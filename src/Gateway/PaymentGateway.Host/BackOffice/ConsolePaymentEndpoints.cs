using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>The Payments page's CSV export: the page's filters, streamed as the rows are read (the export is audited).</summary>
internal static class ConsolePaymentEndpoints
{
    public const int MaxExportRows = 1_000_000;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/console/payments/export", async (HttpContext http, ConsolePaymentService payments, CancellationToken ct) =>
            {
                var filter = PaymentFilters.Parse(http.Request.Query, out var errors);
                var caller = http.ConsoleCaller();
                if (errors.Count > 0 || filter.MerchantId is not { } merchant)
                {
                    caller.DemandAnywhere(ConsolePermission.ExportData);
                    return Results.BadRequest();
                }

                http.Response.ContentType = "text/csv; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"payments-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.csv\"";
                await payments.ExportCsvAsync(caller, merchant, filter.Livemode, filter.Query with { StartingAfter = null }, http.Response.Body, MaxExportRows, ct);
                return Results.Empty;
            })
            .RequireAuthorization(ConsoleAuthorization.SignedIn).ExcludeFromDescription();
}
