using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk.ContractTests;

/// <summary>The gRPC transport's retry rules and error mapping: the same decisions and exception fields as REST.</summary>
public sealed class GrpcErrorMappingTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, "provider_unavailable", true)]
    [InlineData(StatusCode.ResourceExhausted, "rate_limited", true)]
    [InlineData(StatusCode.DeadlineExceeded, null, true)]
    [InlineData(StatusCode.Internal, "internal_error", true)]
    [InlineData(StatusCode.Aborted, "idempotency_key_in_use", true)]
    [InlineData(StatusCode.Aborted, "concurrent_update", true)]
    [InlineData(StatusCode.Aborted, "payment_state_conflict", false)]
    [InlineData(StatusCode.FailedPrecondition, "card_declined", false)]
    [InlineData(StatusCode.InvalidArgument, "parameter_invalid", false)]
    [InlineData(StatusCode.NotFound, "resource_missing", false)]
    [InlineData(StatusCode.Unauthenticated, "api_key_invalid", false)]
    public void ShouldRetry_FollowsTheRestRules(StatusCode code, string? reason, bool expected) =>
        Assert.Equal(expected, GrpcTransport.ShouldRetry(Error(code, reason, 0)));

    [Fact]
    public void ToException_CarriesRestStatusCodeParamDeclineCodeAndRequestId()
    {
        var e = GrpcTransport.ToException(Error(StatusCode.FailedPrecondition, "card_declined", 402, param: "payment_method", declineCode: "insufficient_funds"), "key-1");

        Assert.Equal(402, e.Status);
        Assert.Equal(ErrorCode.CardDeclined, e.Code);
        Assert.Equal("payment_method", e.Param);
        Assert.Equal("insufficient_funds", e.DeclineCode);
        Assert.Equal("req_123", e.RequestId);
        Assert.Equal("key-1", e.IdempotencyKey);
        Assert.Equal("urn:paymentgateway:error:card_declined", e.Type);
        Assert.Contains("code card_declined", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToException_WithoutGatewayDetails_IsATransportFailure()
    {
        var e = GrpcTransport.ToException(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused")), "key-2");

        Assert.Equal(0, e.Status);
        Assert.Null(e.Code);
        Assert.Contains("key-2", e.Message, StringComparison.Ordinal);
    }

    private static RpcException Error(StatusCode code, string? reason, int httpStatus, string? param = null, string? declineCode = null)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = "failed" };
        if (reason is not null)
        {
            var info = new ErrorInfo { Reason = reason, Domain = "paymentgateway" };
            info.Metadata["http_status"] = httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
            info.Metadata["request_id"] = "req_123";
            if (param is not null)
            {
                info.Metadata["param"] = param;
            }

            if (declineCode is not null)
            {
                info.Metadata["decline_code"] = declineCode;
            }

            status.Details.Add(Any.Pack(info));
        }

        return status.ToRpcException();
    }
}
