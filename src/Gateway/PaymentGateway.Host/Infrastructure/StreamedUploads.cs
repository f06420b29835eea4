using PaymentGateway.Core;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Routes whose request body is streamed instead of buffered by <see cref="RequestContextMiddleware"/>. Their
/// Idempotency-Key header is accepted but not used by <see cref="IdempotencyMiddleware"/> (it would have to hash the
/// whole upload): the operation is idempotent by itself.
/// </summary>
public static class StreamedUploads
{
    public static bool Matches(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method)
         && (string.Equals(request.Path.Value?.TrimEnd('/'), Apis.BankTransfersApi.StatementsPath, StringComparison.OrdinalIgnoreCase)
             || string.Equals(request.Path.Value?.TrimEnd('/'), Apis.SettlementsApi.Path, StringComparison.OrdinalIgnoreCase)))
        || Apis.DisputesApi.IsEvidenceUpload(request)
        || IsConsoleEvidenceUpload(request);

    /// <summary>The console dispute page's file upload (multipart; its size is capped on the page, <see cref="BackOffice.Pages.Disputes.DetailModel"/>).</summary>
    public static bool IsConsoleEvidenceUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/console/disputes", StringComparison.OrdinalIgnoreCase)
        && string.Equals(request.Query["handler"], "Upload", StringComparison.Ordinal);

    /// <summary>
    /// Checks the body is XML (<c>application/xml</c> or <c>text/xml</c>), then copies it to a temporary file (deleted
    /// on close) while counting: more than <paramref name="maxBytes"/> is refused with 413 <c>statement_too_large</c>
    /// before anything is parsed or written.
    /// </summary>
    public static async Task<FileStream> SpoolXmlAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        var contentType = http.Request.ContentType ?? string.Empty;
        if (!(contentType.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase)))
        {
            throw new GatewayException(ErrorKind.InvalidRequest, ErrorCodes.UnsupportedMediaType, "Send the camt.053 statement as the body with Content-Type: application/xml.");
        }

        return await SpoolAsync(http, maxBytes, ct);
    }

    /// <summary>
    /// Copies the body (any type: a provider's settlement file is CSV or JSON) to a temporary file deleted on close,
    /// refusing more than <paramref name="maxBytes"/> with 413 before anything is parsed or written.
    /// </summary>
    public static async Task<FileStream> SpoolAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);

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
                throw GatewayException.Invalid(ErrorCodes.StatementInvalid, "The request body is empty; send the file.");
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
