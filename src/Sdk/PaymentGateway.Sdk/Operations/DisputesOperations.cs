using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// Disputes: <c>/v1/disputes</c> (secret key), over REST or gRPC. Reach it through <see cref="PaymentGatewayClient.Disputes"/>.
/// A dispute arrives from the provider (or, in test mode, from the simulator's dispute cards); answer it with evidence
/// (<see cref="UpdateEvidenceAsync"/>, <see cref="UploadEvidenceFileAsync"/>, <see cref="SubmitAsync"/>) or concede it
/// (<see cref="AcceptAsync"/>), before <see cref="Dispute.EvidenceDueBy"/>.
/// </summary>
public class DisputesOperations
{
    /// <summary>The largest evidence file this client reads from a stream (the gateway's own limit is 5 MB by default).</summary>
    public const int MaxEvidenceFileBytes = 16 * 1024 * 1024;

    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected DisputesOperations()
    {
    }

    internal DisputesOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Retrieves a dispute (<c>GET /v1/disputes/{id}</c>).</summary>
    /// <param name="id">The dispute id (<c>dp_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dispute.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Dispute> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetDisputeAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of disputes, newest first (<c>GET /v1/disputes</c>).</summary>
    /// <param name="request">Filters (status, payment) and cursors; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call or could not be reached.</exception>
    public virtual Task<Page<Dispute>> ListAsync(ListDisputesRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.ListDisputesAsync(request ?? new ListDisputesRequest(), requestOptions, cancellationToken);

    /// <summary>Lists every dispute matching <paramref name="request"/>, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="request">Filters, page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The disputes.</returns>
    public virtual IAsyncEnumerable<Dispute> ListAutoPagingAsync(ListDisputesRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListDisputesRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            d => d.Id,
            cancellationToken);
    }

    /// <summary>Sets evidence fields (<c>POST /v1/disputes/{id}/evidence</c>): null fields are unchanged, an empty string clears one.</summary>
    /// <param name="id">The dispute id (<c>dp_…</c>).</param>
    /// <param name="request">The fields to set; file fields name an uploaded evidence file (<c>dpf_…</c>).</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dispute with its evidence.</returns>
    /// <exception cref="PaymentGatewayException">For example 409 <see cref="ErrorCode.DisputeStateConflict"/> once the dispute no longer awaits an answer.</exception>
    public virtual Task<Dispute> UpdateEvidenceAsync(string id, UpdateDisputeEvidenceRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Evidence);
        return Transport.UpdateDisputeEvidenceAsync(id, request.Evidence, requestOptions, cancellationToken);
    }

    /// <summary>
    /// Uploads an evidence file (<c>POST /v1/disputes/{id}/evidence/files</c>): a PDF, PNG or JPEG, at most the
    /// gateway's limit (5 MB by default). The stream is read from its current position to its end (at most
    /// <see cref="MaxEvidenceFileBytes"/>) and not disposed; the bytes are then sent, and retried safely: the same bytes
    /// uploaded again return the same file.
    /// </summary>
    /// <param name="id">The dispute id (<c>dp_…</c>).</param>
    /// <param name="content">The file's bytes.</param>
    /// <param name="fileName">The file name to keep (sanitized by the gateway).</param>
    /// <param name="contentType"><c>application/pdf</c>, <c>image/png</c> or <c>image/jpeg</c>; the gateway checks it against the bytes.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The evidence file; set its id on an evidence field with <see cref="UpdateEvidenceAsync"/>.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.EvidenceFileInvalid"/> or 413 <see cref="ErrorCode.EvidenceFileTooLarge"/>.</exception>
    public virtual async Task<DisputeEvidenceFile> UploadEvidenceFileAsync(string id, Stream content, string fileName, string contentType,
        RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxEvidenceFileBytes)
            {
                throw new ArgumentException($"The evidence file is larger than {MaxEvidenceFileBytes} bytes.", nameof(content));
            }

            buffer.Write(chunk, 0, read);
        }

        return await Transport.UploadDisputeEvidenceFileAsync(id, buffer.ToArray(), fileName, contentType, requestOptions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads an evidence file's bytes (<c>GET /v1/disputes/{id}/evidence/files/{file_id}</c>).</summary>
    /// <param name="id">The dispute id (<c>dp_…</c>).</param>
    /// <param name="fileId">The evidence file id (<c>dpf_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bytes, in a stream the caller disposes.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Stream> DownloadEvidenceFileAsync(string id, string fileId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(fileId);
        return Transport.DownloadDisputeEvidenceFileAsync(id, fileId, requestOptions, cancellationToken);
    }

    /// <summary>Submits the evidence to the issuer through the provider (<c>POST /v1/disputes/{id}/submit</c>).</summary>
    /// <param name="id">The dispute id (<c>dp_…</c>).</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dispute, now under review.</returns>
    /// <exception cref="PaymentGatewayException">
    /// For example 409 <see cref="ErrorCode.DisputeAlreadySubmitted"/>, 422 <see cref="ErrorCode.DisputeEvidenceDeadlinePassed"/>,
    /// 422 <see cref="ErrorCode.DisputeResponseUnsupported"/> or 503 <see cref="ErrorCode.ProviderUnavailable"/> (submit again to retry).
    /// </exception>
    public virtual Task<Dispute> SubmitAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.SubmitDisputeAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Accepts (concedes) the dispute through the provider (<c>POST /v1/disputes/{id}/accept</c>).</summary>
    /// <param name="id">The dispute id (<c>dp_…</c>).</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dispute, accepted.</returns>
    /// <exception cref="PaymentGatewayException">For example 409 <see cref="ErrorCode.DisputeStateConflict"/> for a closed dispute.</exception>
    public virtual Task<Dispute> AcceptAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.AcceptDisputeAsync(id, requestOptions, cancellationToken);
    }
}
