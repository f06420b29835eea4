using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Reports;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// CSV exports as jobs (<c>/v1/exports</c>): create (202, <c>pending</c>), follow the progress, list, download the file
/// until it expires. Secret key only. Column sets: docs/reporting.md.
/// </summary>
public static class ExportsApi
{
    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/exports").WithTags("Reports").RequireKey(KeyRequirement.Secret);

        group.MapPost("/", async (HttpContext http, ExportService exports, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateExportRequest, allowEmpty: false);
                var seed = http.Features.Get<IdempotencyFeature>()?.RecoverySeed;
                var export = await exports.CreateAsync(http.Caller(), request, seed is { Length: > 0 } ? $"{Ids.ReportRun}_{seed}" : null, ct);
                return TypedResults.Json(export, ApiJson.Context.ExportResource, statusCode: StatusCodes.Status202Accepted);
            })
            .WithName("CreateExport")
            .WithSummary("Create export").WithDescription("Start a CSV export of payments, refunds, events or settlements created in [from, to), optionally filtered; a worker writes it (follow progress_percent). With schedule (daily or weekly) it is a scheduled report: each UTC period is exported once it ended, announced by a report.ready event with its download link, and the next period is queued.")
            .WithJsonBody<CreateExportRequest>().Produces<ExportResource>(StatusCodes.Status202Accepted).WithStandardProblems();

        group.MapGet("/", async (HttpContext http, ExportService exports, CancellationToken ct) =>
                TypedResults.Json(await exports.ListAsync(http.Caller(), ListQueries.Parse(http.Request, Ids.ReportRun), ct), ApiJson.Context.ListResourceExportResource))
            .WithListQuery()
            .WithName("ListExports").WithSummary("List exports").WithDescription("List exports, newest first.")
            .Produces<ListResource<ExportResource>>().WithStandardProblems();

        group.MapGet("/{id}", async (string id, HttpContext http, ExportService exports, CancellationToken ct) =>
                TypedResults.Json(await exports.GetAsync(http.Caller(), id, ct), ApiJson.Context.ExportResource))
            .WithName("GetExport").WithSummary("Retrieve export").WithDescription("Retrieve an export with its status, rows and progress.")
            .Produces<ExportResource>().WithStandardProblems(404);

        group.MapPost("/{id}/cancel", async (string id, HttpContext http, ExportService exports, CancellationToken ct) =>
                TypedResults.Json(await exports.CancelAsync(http.Caller(), id, ct), ApiJson.Context.ExportResource))
            .WithName("CancelExport")
            .WithSummary("Cancel export").WithDescription("Cancel a pending export no worker has started; canceling a scheduled report's next period ends the schedule. 409 export_not_cancelable once it started.")
            .Produces<ExportResource>().WithStandardProblems(404, 409);

        group.MapGet("/{id}/download", async (string id, HttpContext http, ExportService exports, CancellationToken ct) =>
            {
                var (job, file) = await exports.OpenAsync(http.Caller(), id, ct);
                return Results.File(file, "text/csv; charset=utf-8", $"{job.Type}-{job.ColumnsVersion}-{job.Id}.csv", enableRangeProcessing: false);
            })
            .WithName("DownloadExport").WithSummary("Download export").WithDescription("Download a finished export (text/csv, RFC 4180). 409 export_not_ready before it succeeded, 410 export_expired after its time.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").WithStandardProblems(404, 409, 410);

        return app;
    }
}
