using Microsoft.OpenApi;
using PaymentGateway.Core;
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
            .WithName("CreateMandate").WithSummary("Create mandate").WithDescription("Record a SEPA Direct Debit mandate for a sepa_debit payment method.")
            .WithJsonBody<CreateMandateRequest>().Produces<MandateResource>().WithStandardProblems(404, 409, 422);

        group.MapGet("/{id}", async (string id, HttpContext http, MandateService mandates, CancellationToken ct) =>
                TypedResults.Json(await mandates.GetAsync(http.Caller(), id, ct), ApiJson.Context.MandateResource))
            .WithName("GetMandate").WithSummary("Retrieve mandate").WithDescription("Retrieve a mandate.")
            .Produces<MandateResource>().WithStandardProblems(404);

        group.MapGet("/", async (HttpContext http, MandateService mandates, CancellationToken ct) =>
                TypedResults.Json(await mandates.ListAsync(http.Caller(), ListQueries.Parse(http.Request, Ids.Mandate), ct), ApiJson.Context.ListResourceMandateResource))
            .WithListQuery()
            .WithName("ListMandates").WithSummary("List mandates").WithDescription("List mandates, newest first.")
            .Produces<ListResource<MandateResource>>().WithStandardProblems();

        var batches = app.MapGroup("/v1/direct_debit_batches").WithTags("Bank transfers").RequireKey(KeyRequirement.Secret);

        batches.MapPost("/", async (HttpContext http, DirectDebitExportService export, CancellationToken ct) =>
            {
                if (await export.ExportAsync(http.Caller(), ct) is not { } exported)
                {
                    return Results.NoContent();
                }

                http.Response.Headers["Direct-Debit-Batch"] = exported.Batch.Id;
                http.Response.Headers["Direct-Debit-Count"] = exported.Batch.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                // The file is stored (encrypted) and can be downloaded again from /file; a client that asks for JSON
                // (the SDK) gets the batch's metadata instead of the file.
                return WantsJson(http.Request)
                    ? TypedResults.Json(exported.Batch.ToResource(), ApiJson.Context.DirectDebitBatchResource)
                    : Results.File(exported.File, "application/xml", exported.Batch.Id + ".xml");
            })
            // The file carries debtor IBANs: a response kept for an Idempotency-Key is stored vault-encrypted.
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("ExportDirectDebits")
            .WithSummary("Export direct debits").WithDescription("Export the processing SEPA direct debits not yet exported as one pain.008.001.02 file (204 when there are none); they are marked exported and the file is stored. Accept: application/json answers with the batch instead of the file.")
            .Produces<DirectDebitBatchResource>(StatusCodes.Status200OK, "application/json")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The default answer is the pain.008 file itself; JSON only when asked for.
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
                {
                    content["application/xml"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                }

                return Task.CompletedTask;
            })
            .Produces(StatusCodes.Status204NoContent).WithStandardProblems(409, 422);

        batches.MapGet("/", async (HttpContext http, DirectDebitExportService export, CancellationToken ct) =>
                TypedResults.Json(await export.ListAsync(http.Caller(), ListQueries.Parse(http.Request, Ids.DirectDebitBatch), ct), ApiJson.Context.ListResourceDirectDebitBatchResource))
            .WithListQuery()
            .WithName("ListDirectDebitBatches").WithSummary("List direct-debit batches").WithDescription("List exported collection files, newest first.")
            .Produces<ListResource<DirectDebitBatchResource>>().WithStandardProblems();

        batches.MapGet("/{id}", async (string id, HttpContext http, DirectDebitExportService export, CancellationToken ct) =>
                TypedResults.Json(await export.GetAsync(http.Caller(), id, ct), ApiJson.Context.DirectDebitBatchResource))
            .WithName("GetDirectDebitBatch").WithSummary("Retrieve direct-debit batch").WithDescription("Retrieve an exported collection file's metadata.")
            .Produces<DirectDebitBatchResource>().WithStandardProblems(404);

        batches.MapGet("/{id}/file", async (string id, HttpContext http, DirectDebitExportService export, CancellationToken ct) =>
            {
                var (batch, file) = await export.GetFileAsync(http.Caller(), id, ct);
                return Results.File(file, "application/xml", batch.Id + ".xml");
            })
            .WithName("DownloadDirectDebitBatchFile").WithSummary("Download direct-debit batch file").WithDescription("Download an exported pain.008.001.02 file again (application/xml), byte for byte as first exported.")
            .Produces<string>(StatusCodes.Status200OK, "application/xml").WithStandardProblems(404);

        return app;
    }

    private static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        && !accept.Any(a => a.MediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase));
}
