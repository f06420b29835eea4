using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>SEPA Direct Debit mandates (docs/bank-transfers.md). Secret key only: the merchant's server records the mandate it holds.</summary>
public static class MandatesApi
{
    public static IEndpointRouteBuilder MapMandatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/mandates").WithTags("Bank transfers").RequireKey(KeyRequirement.Secret);

        group.MapPost("/", async (HttpContext http, MandateService mandates, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateMandateRequest, allowEmpty: false);
                return TypedResults.Json(await mandates.CreateAsync(http.Caller(), request, ct), ApiJson.Context.MandateResource);
            })
            .WithName("CreateMandate").WithSummary("Record a SEPA Direct Debit mandate for a sepa_debit payment method.")
            .WithJsonBody<CreateMandateRequest>().Produces<MandateResource>().WithStandardProblems(404, 409, 422);

        group.MapGet("/{id}", async (string id, HttpContext http, MandateService mandates, CancellationToken ct) =>
                TypedResults.Json(await mandates.GetAsync(http.Caller(), id, ct), ApiJson.Context.MandateResource))
            .WithName("GetMandate").WithSummary("Retrieve a mandate.")
            .Produces<MandateResource>().WithStandardProblems(404);

        app.MapPost("/v1/direct_debit_batches", async (HttpContext http, DirectDebitExportService export, CancellationToken ct) =>
            {
                if (await export.ExportAsync(http.Caller(), ct) is not { } batch)
                {
                    return Results.NoContent();
                }

                http.Response.Headers["Direct-Debit-Batch"] = batch.BatchId;
                http.Response.Headers["Direct-Debit-Count"] = batch.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.File(batch.File.ToArray(), "application/xml", batch.BatchId + ".xml");
            })
            .RequireKey(KeyRequirement.Secret).WithTags("Bank transfers")
            .WithName("ExportDirectDebits").WithSummary("Export the processing SEPA direct debits not yet exported as one pain.008.001.02 file (204 when there are none); they are marked exported.")
            .WithStandardProblems(409, 422);

        return app;
    }
}
