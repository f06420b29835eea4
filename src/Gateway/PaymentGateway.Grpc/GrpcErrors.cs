using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;

namespace PaymentGateway.Grpc;

/// <summary>
/// The one mapping from error kinds to gRPC, and the builder of rich errors: a <c>google.rpc.Status</c> whose details
/// hold an <c>ErrorInfo</c> (reason = the REST <c>code</c>), a <c>RequestInfo</c>, a <c>BadRequest</c> for the parameter
/// at fault, and the payment after a decline. Messages come from <see cref="GatewayException"/>, which never carries
/// card data or secrets.
/// </summary>
public static class GrpcErrors
{
    /// <summary>The <c>ErrorInfo.domain</c> of every gateway error.</summary>
    public const string Domain = "paymentgateway";

    /// <summary>
    /// The gRPC status of each kind, and the HTTP status REST answers for the same kind (sent as ErrorInfo metadata
    /// <c>http_status</c> so a client can report one transport-neutral status; the parity suite checks it equals REST's).
    /// </summary>
    public static (StatusCode Code, int HttpStatus) For(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidRequest => (StatusCode.InvalidArgument, 400),
        ErrorKind.Authentication => (StatusCode.Unauthenticated, 401),
        ErrorKind.CardDeclined => (StatusCode.FailedPrecondition, 402),
        ErrorKind.PermissionDenied => (StatusCode.PermissionDenied, 403),
        ErrorKind.NotFound => (StatusCode.NotFound, 404),
        ErrorKind.Conflict => (StatusCode.Aborted, 409),
        ErrorKind.PayloadTooLarge => (StatusCode.InvalidArgument, 413),
        ErrorKind.Unprocessable => (StatusCode.FailedPrecondition, 422),
        ErrorKind.RateLimited => (StatusCode.ResourceExhausted, 429),
        ErrorKind.ProviderUnavailable => (StatusCode.Unavailable, 503),
        ErrorKind.Gone => (StatusCode.NotFound, 410),
        _ => (StatusCode.Internal, 500),
    };

    /// <summary>The rich status for <paramref name="error"/>.</summary>
    public static Google.Rpc.Status ToStatus(GatewayException error, string requestId)
    {
        var (code, httpStatus) = For(error.Kind);
        var info = new ErrorInfo { Reason = error.Code, Domain = Domain };
        info.Metadata["http_status"] = httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Metadata["request_id"] = requestId;
        if (error.Param is not null)
        {
            info.Metadata["param"] = error.Param;
        }

        if (error.DeclineCode is not null)
        {
            info.Metadata["decline_code"] = error.DeclineCode;
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = error.Message };
        status.Details.Add(Any.Pack(info));
        status.Details.Add(Any.Pack(new RequestInfo { RequestId = requestId }));
        if (error.Param is not null && code == StatusCode.InvalidArgument)
        {
            status.Details.Add(Any.Pack(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = error.Param, Description = error.Message, Reason = error.Code } },
            }));
        }

        if (error.Resource is PaymentResource payment)
        {
            status.Details.Add(Any.Pack(ProtoMapper.ToProto(payment)));
        }

        return status;
    }

    /// <summary>Whether a failed call's outcome is final and stored for idempotent replays (REST stores every status below 500).</summary>
    public static bool IsStoredForReplay(ErrorKind kind) => For(kind).HttpStatus < 500;
}
