using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// Statement import and reconciliation (docs/bank-transfers.md). <c>POST /v1/bank_statements</c> takes the raw
/// camt.053 XML as the request body and is streamed: it is exempt from the 64 KiB request buffer and from
/// Idempotency-Key hashing (see <see cref="StreamedUploads"/>); re-sending a statement is idempotent by the bank's
/// statement and entry ids.
/// </summary>
public static class BankTransfersApi
{
    public const string StatementsPath = "/v1/bank_statements";

    public static IEndpointRouteBuilder MapBankTransfersApi(this IEndpointRouteBuilder app)
    {
        var statements = app.MapGroup(StatementsPath).WithTags("Bank transfers").RequireKey(KeyRequirement.Secret);

        statements.MapPost("/", async (HttpContext http, BankStatementService service, CancellationToken ct) =>
            {
                await using var file = await StreamedUploads.SpoolXmlAsync(http, service.MaxStatementBytes, ct);
                return TypedResults.Json(await service.ImportAsync(http.Caller(), file, ct), ApiJson.Context.BankStatementResource);
            })
            .WithName("ImportBankStatement")
            .WithSummary("Import bank statement").WithDescription("Import an ISO 20022 camt.053 statement (XML body) and match its credits to bank-transfer payments. Importing the same statement again changes nothing.")
            .Produces<BankStatementResource>().WithStandardProblems(413, 422);

        statements.MapGet("/", async (HttpContext http, BankStatementService service, CancellationToken ct) =>
                TypedResults.Json(await service.ListStatementsAsync(http.Caller(), ListQueries.Parse(http.Request, Ids.BankStatement), ct),
                    ApiJson.Context.ListResourceBankStatementResource))
            .WithListQuery()
            .WithName("ListBankStatements").WithSummary("List bank statements").WithDescription("List imported statements, newest first.")
            .Produces<ListResource<BankStatementResource>>().WithStandardProblems();

        statements.MapGet("/{id}", async (string id, HttpContext http, BankStatementService service, CancellationToken ct) =>
                TypedResults.Json(await service.GetStatementAsync(http.Caller(), id, ct), ApiJson.Context.BankStatementResource))
            .WithName("GetBankStatement").WithSummary("Retrieve bank statement").WithDescription("Retrieve an imported statement with its entries.")
            .Produces<BankStatementResource>().WithStandardProblems(404);

        var entries = app.MapGroup("/v1/bank_statement_entries").WithTags("Bank transfers").RequireKey(KeyRequirement.Secret);

        entries.MapGet("/", async (HttpContext http, BankStatementService service, CancellationToken ct) =>
            {
                var list = ListQueries.Parse(http.Request, Ids.BankStatementEntry);
                var statusText = http.Request.Query["status"].ToString();
                BankEntryStatus? status = null;
                if (statusText.Length > 0)
                {
                    status = BankEntryStatusNames.TryParse(statusText, out var parsed)
                        ? parsed
                        : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "status must be one of matched, unmatched, refund_required, returned, ignored.", "status");
                }

                var statement = http.Request.Query["bank_statement"].ToString();
                var query = new BankStatementEntryListQuery
                {
                    Limit = list.Limit,
                    StartingAfter = list.StartingAfter,
                    EndingBefore = list.EndingBefore,
                    CreatedGte = list.CreatedGte,
                    CreatedLt = list.CreatedLt,
                    Status = status,
                    StatementId = statement.Length == 0 ? null : statement,
                };
                return TypedResults.Json(await service.ListEntriesAsync(http.Caller(), query, ct), ApiJson.Context.ListResourceBankStatementEntryResource);
            })
            .WithListQuery()
            .WithQueryParameter("status", Microsoft.OpenApi.JsonSchemaType.String, "Only entries in this status (matched, unmatched, refund_required, returned, ignored).")
            .WithQueryParameter("bank_statement", Microsoft.OpenApi.JsonSchemaType.String, "Only entries of this statement.")
            .WithName("ListBankStatementEntries").WithSummary("List bank statement entries").WithDescription("List statement entries, newest first; filter by status (for example unmatched) and bank_statement.")
            .Produces<ListResource<BankStatementEntryResource>>().WithStandardProblems();

        entries.MapGet("/{id}", async (string id, HttpContext http, BankStatementService service, CancellationToken ct) =>
                TypedResults.Json(await service.GetEntryAsync(http.Caller(), id, ct), ApiJson.Context.BankStatementEntryResource))
            .WithName("GetBankStatementEntry").WithSummary("Retrieve bank statement entry").WithDescription("Retrieve a statement entry.")
            .Produces<BankStatementEntryResource>().WithStandardProblems(404);

        entries.MapPost("/{id}/match", async (string id, HttpContext http, BankStatementService service, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.MatchBankStatementEntryRequest, allowEmpty: false);
                return TypedResults.Json(await service.MatchAsync(http.Caller(), id, request, ct), ApiJson.Context.BankStatementEntryResource);
            })
            .WithName("MatchBankStatementEntry").WithSummary("Match bank statement entry").WithDescription("Credit an unmatched entry to a bank-transfer payment.")
            .WithJsonBody<MatchBankStatementEntryRequest>().Produces<BankStatementEntryResource>().WithStandardProblems(404, 409);

        return app;
    }
}
