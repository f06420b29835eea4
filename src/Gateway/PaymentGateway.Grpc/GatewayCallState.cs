using Grpc.Core;
using PaymentGateway.Core;

namespace PaymentGateway.Grpc;

/// <summary>What <see cref="GatewayInterceptor"/> established for a call: its request id, the caller and the recovery seed.</summary>
public sealed class GatewayCallState
{
    private const string Key = "paymentgateway.call";

    public required string RequestId { get; init; }

    public CallerContext? Caller { get; set; }

    public string? RecoverySeed { get; set; }

    /// <summary>The HTTP status of the gateway error the call ended in, if it did (for the request log).</summary>
    public int? HttpStatus { get; set; }

    internal static GatewayCallState Attach(ServerCallContext context, string requestId)
    {
        var state = new GatewayCallState { RequestId = requestId };
        context.UserState[Key] = state;
        return state;
    }

    internal static GatewayCallState Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var value) && value is GatewayCallState state
            ? state
            : throw new InvalidOperationException("The gateway interceptor did not run for this call.");
}

public static class ServerCallContextExtensions
{
    /// <summary>The authenticated merchant of this call.</summary>
    public static CallerContext Caller(this ServerCallContext context) =>
        GatewayCallState.Of(context).Caller ?? throw new InvalidOperationException("This method has no key requirement.");

    /// <summary>The recovery seed of this call's idempotency key, if it sent one.</summary>
    public static string? RecoverySeed(this ServerCallContext context) => GatewayCallState.Of(context).RecoverySeed;
}
