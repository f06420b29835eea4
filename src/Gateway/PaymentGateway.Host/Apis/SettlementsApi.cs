using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;
using PaymentGateway.Providers;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// Settlement reconciliation (docs/reporting.md): import a provider's settlement file (streamed body, like bank
/// statements) or fetch it from the provider's API, then list the lines (gross, fees, net, payout) per payment, the
/// payouts, and the captured payments not settled after N days. Secret key only.
/// </summary>
public static class SettlementsApi
{
    public const string Path = "/v1/settlements";

    /// <summary>Largest settlement file accepted.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    public static IEndpointRouteBuilder MapSettlementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Reports").RequireKey(KeyRequirement.Secret);

        group.MapPost("/", async (HttpContext http, SettlementService settlements, CancellationToken ct) =>
            {
                var q = http.Request.Query;
                DateOnly? payoutDate = null;
                if (q["payout_date"].ToString() is { Length: > 0 } date)
                {
                    payoutDate = DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
                        ? d
                        : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "payout_date must be a date (YYYY-MM-DD).", "payout_date");
                }

                await using var file = await StreamedUploads.SpoolAsync(http, MaxFileBytes, ct);
                var options = new SettlementParseOptions { PayoutId = q["payout"].ToString() is { Length: > 0 } p ? p : null, PayoutDate = payoutDate };
                return TypedResults.Json(await settlements.ImportFileAsync(http.Caller(), q["provider_account"].ToString(), file, options, ct), ApiJson.Context.SettlementImportResource);
            })
            .WithName("ImportSettlements")
            .WithSummary("Import settlements").WithDescription("Import a provider's settlement file as the body (Adyen Settlement details report CSV, Checkout.com financial actions JSON, Mollie settlement payments JSON, Stripe balance transactions JSON) for ?provider_account=; optional payout and payout_date. Importing it again adds nothing; a malformed file is 400 settlement_file_invalid and imports nothing.")
            .Produces<SettlementImportResource>().WithStandardProblems(404, 413, 422);

        group.MapPost("/fetch", async (HttpContext http, SettlementService settlements, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.FetchSettlementsRequest, allowEmpty: false);
                return TypedResults.Json(await settlements.FetchAsync(http.Caller(), request, ct), ApiJson.Context.SettlementImportResource);
            })
            .WithName("FetchSettlements").WithSummary("Fetch settlements").WithDescription("Read a payout (or the payouts since a time) from the provider's API (Stripe) and import its lines.")
            .WithJsonBody<FetchSettlementsRequest>().Produces<SettlementImportResource>().WithStandardProblems(404, 422, 503);

        group.MapGet("/", async (HttpContext http, SettlementService settlements, CancellationToken ct) =>
            {
                var list = ListQueries.Parse(http.Request, Ids.SettlementLine);
                var q = http.Request.Query;
                var status = q["status"].ToString() switch
                {
                    "" => (SettlementLineStatus?)null,
                    "matched" => SettlementLineStatus.Matched,
                    "unmatched" => SettlementLineStatus.Unmatched,
                    "not_applicable" => SettlementLineStatus.NotApplicable,
                    _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "status must be matched, unmatched or not_applicable.", "status"),
                };
                var query = new SettlementLineListQuery
                {
                    Limit = list.Limit,
                    StartingAfter = list.StartingAfter,
                    EndingBefore = list.EndingBefore,
                    CreatedGte = list.CreatedGte,
                    CreatedLt = list.CreatedLt,
                    Status = status,
                    PaymentId = q["payment"].ToString() is { Length: > 0 } payment ? payment : null,
                    PayoutId = q["payout"].ToString() is { Length: > 0 } payout ? payout : null,
                };
                return TypedResults.Json(await settlements.ListLinesAsync(http.Caller(), query, ct), ApiJson.Context.ListResourceSettlementLineResource);
            })
            .WithListQuery()
            .WithQueryParameter("status", Microsoft.OpenApi.JsonSchemaType.String, "Only lines in this status: matched, unmatched or not_applicable.")
            .WithQueryParameter("payment", Microsoft.OpenApi.JsonSchemaType.String, "Only lines of this payment (pay_…).")
            .WithQueryParameter("payout", Microsoft.OpenApi.JsonSchemaType.String, "Only lines of this payout (the provider's payout id).")
            .WithName("ListSettlementLines").WithSummary("List settlement lines").WithDescription("List settlement lines, newest first; filter by status (unmatched lines need a look), payment (its gross, fees, net and payout) or payout.")
            .Produces<ListResource<SettlementLineResource>>().WithStandardProblems();

        group.MapGet("/payouts", async (HttpContext http, SettlementService settlements, CancellationToken ct) =>
                TypedResults.Json(await settlements.ListPayoutsAsync(http.Caller(), ListQueries.Parse(http.Request, Ids.SettlementPayout), ct),
                    ApiJson.Context.ListResourceSettlementPayoutResource))
            .WithListQuery()
            .WithName("ListSettlementPayouts").WithSummary("List settlement payouts").WithDescription("List payouts with their totals and reconciliation status, newest first.")
            .Produces<ListResource<SettlementPayoutResource>>().WithStandardProblems();

        group.MapGet("/unsettled", async (HttpContext http, SettlementService settlements, CancellationToken ct) =>
            {
                var q = http.Request.Query;
                var days = q["days"].ToString() is { Length: > 0 } d
                    ? int.TryParse(d, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 365
                        ? n
                        : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "days must be an integer from 0 to 365.", "days")
                    : SettlementService.DefaultUnsettledDays;
                var limit = ListQueries.Parse(http.Request, Ids.Payment).Limit;
                return TypedResults.Json(await settlements.ListUnsettledAsync(http.Caller(), days, limit, ct), ApiJson.Context.ListResourcePaymentResource);
            })
            .WithQueryParameter("limit", Microsoft.OpenApi.JsonSchemaType.Integer, "How many payments, 1 to 100 (default 10).")
            .WithQueryParameter("days", Microsoft.OpenApi.JsonSchemaType.Integer, "Captured at least this many days ago, 0 to 365 (default 7).")
            .WithUnpagedList("The oldest unsettled payments only: no cursor.")
            .WithName("ListUnsettledPayments").WithSummary("List unsettled payments").WithDescription("Payments captured at least ?days (default 7) ago that no imported settlement line covers yet, oldest first.")
            .Produces<ListResource<PaymentResource>>().WithStandardProblems();

        group.MapGet("/{id}", async (string id, HttpContext http, SettlementService settlements, CancellationToken ct) =>
                TypedResults.Json(await settlements.GetLineAsync(http.Caller(), id, ct), ApiJson.Context.SettlementLineResource))
            .WithName("GetSettlementLine").WithSummary("Retrieve settlement line").WithDescription("Retrieve a settlement line.")
            .Produces<SettlementLineResource>().WithStandardProblems(404);

        return app;
    }
}
