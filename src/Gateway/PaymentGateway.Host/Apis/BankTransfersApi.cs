using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Background;
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

    public static IServiceCollection AddPaymentGatewayBankTransfers(this IServiceCollection services)
    {
        services.AddSingleton<BankStatementService>();
        services.AddSingleton<MandateService>();
        services.AddSingleton<DirectDebitExportService>();
        services.AddSingleton<BankTransferExpiryService>();
        services.AddHostedService(sp => sp.GetRequiredService<BankTransferExpiryService>());
        services.AddOptions<GatewayOptions>()
            .Validate(o => o.BankTransfers.SettlementInterval > TimeSpan.Zero, "PaymentGateway:BankTransfers:SettlementInterval must be positive.")
            .Validate(o => o.BankTransfers.SettlementBusinessDays is >= 0 and <= 60, "PaymentGateway:BankTransfers:SettlementBusinessDays must be between 0 and 60.");
        services.AddSingleton<DirectDebitSettlementService>();
        services.AddHostedService(sp => sp.GetRequiredService<DirectDebitSettlementService>());
        return services;
    }

    public static IEndpointRouteBuilder MapBankTransfersApi(this IEndpointRouteBuilder app)
    {
        var statements = app.MapGroup(StatementsPath).WithTags("Bank transfers").RequireKey(KeyRequirement.Secret);

        statements.MapPost("/", async (HttpContext http, BankStatementService service, CancellationToken ct) =>
            {
                var contentType = http.Request.ContentType ?? string.Empty;
                if (!(contentType.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase)))
                {
                    throw new GatewayException(ErrorKind.InvalidRequest, ErrorCodes.UnsupportedMediaType, "Send the camt.053 statement as the body with Content-Type: application/xml.");
                }

                await using var file = await StreamedUploads.SpoolAsync(http, service.MaxStatementBytes, ct);
                return TypedResults.Json(await service.ImportAsync(http.Caller(), file, ct), ApiJson.Context.BankStatementResource);
            })
            .WithName("ImportBankStatement")
            .WithSummary("Import an ISO 20022 camt.053 statement (XML body) and match its credits to bank-transfer payments. Importing the same statement again changes nothing.")
            .Produces<BankStatementResource>().WithStandardProblems(413, 422);

        statements.MapGet("/", async (HttpContext http, BankStatementService service, CancellationToken ct) =>
                TypedResults.Json(await service.ListStatementsAsync(http.Caller(), ListQueries.Parse(http.Request, Ids.BankStatement), ct),
                    ApiJson.Context.ListResourceBankStatementResource))
            .WithName("ListBankStatements").WithSummary("List imported statements, newest first.")
            .Produces<ListResource<BankStatementResource>>().WithStandardProblems();

        statements.MapGet("/{id}", async (string id, HttpContext http, BankStatementService service, CancellationToken ct) =>
                TypedResults.Json(await service.GetStatementAsync(http.Caller(), id, ct), ApiJson.Context.BankStatementResource))
            .WithName("GetBankStatement").WithSummary("Retrieve an imported statement with its entries.")
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
            .WithName("ListBankStatementEntries").WithSummary("List statement entries, newest first; filter by status (for example unmatched) and bank_statement.")
            .Produces<ListResource<BankStatementEntryResource>>().WithStandardProblems();

        entries.MapGet("/{id}", async (string id, HttpContext http, BankStatementService service, CancellationToken ct) =>
                TypedResults.Json(await service.GetEntryAsync(http.Caller(), id, ct), ApiJson.Context.BankStatementEntryResource))
            .WithName("GetBankStatementEntry").WithSummary("Retrieve a statement entry.")
            .Produces<BankStatementEntryResource>().WithStandardProblems(404);

        entries.MapPost("/{id}/match", async (string id, HttpContext http, BankStatementService service, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.MatchBankStatementEntryRequest, allowEmpty: false);
                return TypedResults.Json(await service.MatchAsync(http.Caller(), id, request, ct), ApiJson.Context.BankStatementEntryResource);
            })
            .WithName("MatchBankStatementEntry").WithSummary("Credit an unmatched entry to a bank-transfer payment.")
            .WithJsonBody<MatchBankStatementEntryRequest>().Produces<BankStatementEntryResource>().WithStandardProblems(404, 409);

        return app;
    }
}

/// <summary>
/// Routes whose request body is streamed instead of buffered by <see cref="RequestContextMiddleware"/>. Their
/// Idempotency-Key header is accepted but not used by <see cref="IdempotencyMiddleware"/> (it would have to hash the
/// whole upload): the operation is idempotent by itself.
/// </summary>
public static class StreamedUploads
{
    public static bool Matches(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (string.Equals(request.Path.Value?.TrimEnd('/'), BankTransfersApi.StatementsPath, StringComparison.OrdinalIgnoreCase)
            || string.Equals(request.Path.Value?.TrimEnd('/'), SettlementsApi.Path, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Copies the body to a temporary file (deleted on close) while counting: more than <paramref name="maxBytes"/>
    /// is refused with 413 <c>statement_too_large</c> before anything is parsed or written.
    /// </summary>
    public static async Task<FileStream> SpoolAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        var tooLarge = new GatewayException(ErrorKind.PayloadTooLarge, ErrorCodes.StatementTooLarge,
            $"The statement is larger than {maxBytes} bytes; split it by period or raise PaymentGateway:BankTransfers:MaxStatementBytes.");
        if (http.Request.ContentLength > maxBytes)
        {
            throw tooLarge;
        }

        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        var path = Path.Combine(Path.GetTempPath(), "pg-statement-" + Guid.NewGuid().ToString("N") + ".xml");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw tooLarge;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            if (total == 0)
            {
                throw GatewayException.Invalid(ErrorCodes.StatementInvalid, "The request body is empty; send the camt.053 XML.");
            }

            file.Position = 0;
            return file;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await file.DisposeAsync();
            throw tooLarge;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
