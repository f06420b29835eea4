using Grpc.Core;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Merchants;
using Payments.V1;

namespace PaymentGateway.Grpc;

/// <summary>
/// payments.v1.DisputeService: each method translates its message, calls the same application service as the REST
/// endpoint (<c>/v1/disputes</c>) and translates the result back. Authentication, idempotency and errors are the
/// interceptor's, as for <see cref="PaymentGatewayGrpcService"/>.
/// </summary>
[RequiresKey(ApiKeyKind.Secret)]
public sealed class DisputeGrpcService(DisputeQueries queries, DisputeEvidenceService evidence, DisputeResponses responses) : DisputeService.DisputeServiceBase
{
    public override async Task<ListDisputesResponse> ListDisputes(ListDisputesRequest request, ServerCallContext context)
    {
        var page = await queries.ListAsync(context.Caller(), DisputeProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false);
        return new ListDisputesResponse { Data = { page.Data.Select(DisputeProtoMapper.ToProto) }, HasMore = page.HasMore };
    }

    public override async Task<GetDisputeResponse> GetDispute(GetDisputeRequest request, ServerCallContext context) =>
        new() { Dispute = DisputeProtoMapper.ToProto(await queries.GetAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };

    [Idempotent]
    public override async Task<UpdateDisputeEvidenceResponse> UpdateDisputeEvidence(UpdateDisputeEvidenceRequest request, ServerCallContext context) =>
        new()
        {
            Dispute = DisputeProtoMapper.ToProto(await evidence.UpdateAsync(context.Caller(), request.Id, DisputeProtoMapper.ToCore(request.Evidence), context.CancellationToken)
                .ConfigureAwait(false)),
        };

    [Idempotent]
    public override async Task<UploadDisputeEvidenceFileResponse> UploadDisputeEvidenceFile(UploadDisputeEvidenceFileRequest request, ServerCallContext context)
    {
        using var content = new MemoryStream(request.Content.ToByteArray(), writable: false);
        var file = await evidence.UploadAsync(context.Caller(), request.Dispute, content, request.ContentType, request.HasFilename ? request.Filename : null,
            context.CancellationToken).ConfigureAwait(false);
        return new UploadDisputeEvidenceFileResponse { File = DisputeProtoMapper.ToProto(file) };
    }

    public override async Task<DownloadDisputeEvidenceFileResponse> DownloadDisputeEvidenceFile(DownloadDisputeEvidenceFileRequest request, ServerCallContext context)
    {
        var (file, content) = await evidence.DownloadAsync(context.Caller(), request.Dispute, request.File, context.CancellationToken).ConfigureAwait(false);
        return DisputeProtoMapper.ToProto(file, content);
    }

    [Idempotent]
    public override async Task<SubmitDisputeResponse> SubmitDispute(SubmitDisputeRequest request, ServerCallContext context) =>
        new() { Dispute = DisputeProtoMapper.ToProto(await responses.SubmitAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };

    [Idempotent]
    public override async Task<AcceptDisputeResponse> AcceptDispute(AcceptDisputeRequest request, ServerCallContext context) =>
        new() { Dispute = DisputeProtoMapper.ToProto(await responses.AcceptAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };
}
