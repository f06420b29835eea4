using System.Text.RegularExpressions;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// Disputes (docs/disputes.md): list and retrieve, fill in the evidence, upload evidence files, submit, accept.
/// <c>POST /v1/disputes/{id}/evidence/files</c> takes the file's bytes as the request body (<c>Content-Type</c>
/// <c>application/pdf</c>, <c>image/png</c> or <c>image/jpeg</c>, at most 5 MB) and is streamed past the 64 KiB request
/// buffer (<see cref="StreamedUploads"/>); uploading the same bytes again returns the same file. A file downloads only
/// as an attachment, as <c>application/octet-stream</c>, with <c>nosniff</c> and a sandboxing CSP.
/// </summary>
public static partial class DisputesApi
{
    public const string Path = "/v1/disputes";

    /// <summary>Whether the request is an evidence file upload (streamed, like a bank statement).</summary>
    public static bool IsEvidenceUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value is { } path && EvidenceUploadPath().IsMatch(path);

    public static IEndpointRouteBuilder MapDisputesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Disputes").RequireKey(KeyRequirement.Secret);

        group.MapGet("/", async (HttpContext http, DisputeQueries disputes, CancellationToken ct) =>
            {
                var list = ListQueries.Parse(http.Request, Ids.Dispute);
                DisputeStatus? status = null;
                if (http.Request.Query.TryGetValue("status", out var statusText))
                {
                    status = DisputeStatusNames.TryParse(statusText.ToString(), out var parsed)
                        ? parsed
                        : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "status is not a dispute status.", "status");
                }

                var payment = http.Request.Query["payment"].ToString();
                return TypedResults.Json(await disputes.ListAsync(http.Caller(), new DisputeListQuery
                {
                    Limit = list.Limit,
                    StartingAfter = list.StartingAfter,
                    EndingBefore = list.EndingBefore,
                    CreatedGte = list.CreatedGte,
                    CreatedLt = list.CreatedLt,
                    Status = status,
                    PaymentId = payment.Length == 0 ? null : payment,
                }, ct), ApiJson.Context.ListResourceDisputeResource);
            })
            .WithListQuery()
            .WithQueryParameter("status", Microsoft.OpenApi.JsonSchemaType.String, "Only disputes in this status (needs_response, under_review, won, lost, …).")
            .WithQueryParameter("payment", Microsoft.OpenApi.JsonSchemaType.String, "Only disputes of this payment (pay_…).")
            .WithName("ListDisputes").WithSummary("List disputes").WithDescription("List disputes, newest first; filter by status and payment.")
            .Produces<ListResource<DisputeResource>>().WithStandardProblems();

        group.MapGet("/{id}", async (string id, HttpContext http, DisputeQueries disputes, CancellationToken ct) =>
                TypedResults.Json(await disputes.GetAsync(http.Caller(), id, ct), ApiJson.Context.DisputeResource))
            .WithName("GetDispute").WithSummary("Retrieve dispute").WithDescription("Retrieve a dispute.").Produces<DisputeResource>().WithStandardProblems(404);

        group.MapPost("/{id}/evidence", async (string id, HttpContext http, DisputeEvidenceService evidence, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.DisputeEvidenceResource, allowEmpty: false);
                return TypedResults.Json(await evidence.UpdateAsync(http.Caller(), id, request, ct), ApiJson.Context.DisputeResource);
            })
            .WithName("UpdateDisputeEvidence")
            .WithSummary("Update dispute evidence").WithDescription("Set evidence fields (a field left out is unchanged, an empty string clears it); file fields name an uploaded evidence file (dpf_…).")
            .WithJsonBody<DisputeEvidenceResource>().Produces<DisputeResource>().WithStandardProblems(404, 409);

        group.MapPost("/{id}/evidence/files", async (string id, HttpContext http, DisputeEvidenceService evidence, CancellationToken ct) =>
            {
                if (http.Request.ContentLength > evidence.MaxFileBytes)
                {
                    throw new GatewayException(ErrorKind.PayloadTooLarge, ErrorCodes.EvidenceFileTooLarge, $"The evidence file is larger than {evidence.MaxFileBytes} bytes.");
                }

                var fileName = http.Request.Query["filename"].ToString();
                return TypedResults.Json(await evidence.UploadAsync(http.Caller(), id, http.Request.Body, http.Request.ContentType, fileName.Length == 0 ? null : fileName, ct),
                    ApiJson.Context.DisputeEvidenceFileResource);
            })
            .WithName("UploadDisputeEvidenceFile")
            .WithSummary("Upload dispute evidence file").WithDescription("Upload an evidence file: the raw bytes as the body, Content-Type application/pdf, image/png or image/jpeg (checked against the bytes), at most 5 MB; optional ?filename=. The same bytes again return the same file.")
            .Produces<DisputeEvidenceFileResource>().WithStandardProblems(404, 409, 422);

        group.MapGet("/{id}/evidence/files/{fileId}", async (string id, string fileId, HttpContext http, DisputeEvidenceService evidence, CancellationToken ct) =>
            {
                var (file, content) = await evidence.DownloadAsync(http.Caller(), id, fileId, ct);
                var headers = http.Response.Headers;

                // Never rendered by a browser: an attachment, an opaque type, nosniff, and a CSP that sandboxes anything that is.
                headers.ContentSecurityPolicy = "default-src 'none'; sandbox; frame-ancestors 'none'";
                headers.CacheControl = "no-store";
                return Results.File(content, "application/octet-stream", file.Filename);
            })
            .WithName("DownloadDisputeEvidenceFile")
            .WithSummary("Download dispute evidence file").WithDescription("Download an evidence file, as an attachment (application/octet-stream; the file's type is in its content_type).")
            .Produces(200, contentType: "application/octet-stream").WithStandardProblems(404);

        group.MapPost("/{id}/submit", async (string id, HttpContext http, DisputeResponses responses, CancellationToken ct) =>
                TypedResults.Json(await responses.SubmitAsync(http.Caller(), id, ct), ApiJson.Context.DisputeResource))
            .WithName("SubmitDispute")
            .WithSummary("Submit dispute").WithDescription("Submit the evidence to the issuer through the provider. Refused after evidence_due_by (422 dispute_evidence_deadline_passed) and a second time for the same stage (409 dispute_already_submitted).")
            .Produces<DisputeResource>().WithStandardProblems(404, 409, 422, 503);

        group.MapPost("/{id}/accept", async (string id, HttpContext http, DisputeResponses responses, CancellationToken ct) =>
                TypedResults.Json(await responses.AcceptAsync(http.Caller(), id, ct), ApiJson.Context.DisputeResource))
            .WithName("AcceptDispute").WithSummary("Accept dispute").WithDescription("Accept the dispute (concede it) through the provider.")
            .Produces<DisputeResource>().WithStandardProblems(404, 409, 422, 503);

        return app;
    }

    [GeneratedRegex(@"^/v1/disputes/[^/]+/evidence/files/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EvidenceUploadPath();
}
