using PaymentGateway.Core;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// The Exports page's download: the finished file of an export, streamed from disk under the console's cookie (never an
/// API key), the same bytes as <c>GET /v1/exports/{id}/download</c>. The download is audited; a refusal (not ready,
/// expired, another merchant's, a role without exports) is a console problem page with the API's status.
/// </summary>
internal static class ConsoleExportEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/console/reports/exports/{id}/download", async Task<IResult> (string id, HttpContext http, ConsoleExportService exports, CancellationToken ct) =>
            {
                var caller = http.ConsoleCaller();
                var merchant = http.Request.Query["merchant"].ToString();
                try
                {
                    if (merchant.Length == 0)
                    {
                        caller.DemandAnywhere(ConsolePermission.ExportData);
                        return Problem(StatusCodes.Status400BadRequest, "Bad request", "Choose the merchant of the export.");
                    }

                    var (job, file) = await exports.OpenAsync(caller, merchant, http.Request.Query["mode"] == "live", id, ct);
                    http.Response.Headers.CacheControl = "no-store";
                    return Results.File(file, "text/csv; charset=utf-8", $"{job.Type}-{job.ColumnsVersion}-{job.Id}.csv", enableRangeProcessing: false);
                }
                catch (GatewayException refused)
                {
                    return Problem(Infrastructure.Problems.StatusFor(refused.Kind), Infrastructure.Problems.TitleFor(refused.Kind), refused.Message);
                }
            })
            .RequireAuthorization(ConsoleAuthorization.SignedIn).ExcludeFromDescription();

    /// <summary>The console's problem page as an endpoint result.</summary>
    private static IResult Problem(int status, string title, string message)
    {
        var page = ConsoleProblemPage.Render(status, title, message);
        return Results.Content(page.Content, page.ContentType, statusCode: page.StatusCode);
    }
}
