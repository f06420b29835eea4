using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Polly.Timeout;

namespace PaymentGateway.Sdk.Internal;

/// <summary>
/// Says what went wrong when no answer came from the gateway, and whether the request may have taken effect. Only a
/// failure after the request may have reached the gateway (a timeout, a connection lost mid-call) tells the caller to
/// repeat the call with the same idempotency key; a refused connection, an unknown host, a failed TLS handshake or an
/// address that speaks the other transport's protocol certainly did nothing, and the message says what to fix.
/// </summary>
internal static class TransportFailure
{
    private const string MaybeDone = " Repeat the call with idempotency key '{0}' to find out whether it took effect.";

    public static PaymentGatewayException Create(Exception failure, string? idempotencyKey, PaymentGatewayTransport transport)
    {
        var (message, maybeSent) = Describe(failure, transport);
        if (maybeSent && idempotencyKey is not null)
        {
            message += string.Format(System.Globalization.CultureInfo.InvariantCulture, MaybeDone, idempotencyKey);
        }

        return new PaymentGatewayException(message, failure) { Status = 0, IdempotencyKey = idempotencyKey };
    }

    private static (string Message, bool MaybeSent) Describe(Exception failure, PaymentGatewayTransport transport)
    {
        var other = transport == PaymentGatewayTransport.Grpc ? "REST" : "gRPC";
        var mine = transport == PaymentGatewayTransport.Grpc ? "gRPC" : "REST";
        var switchHint = transport == PaymentGatewayTransport.Grpc
            ? "use the gateway's gRPC address (its own port), or Transport = PaymentGatewayTransport.Rest with the REST address"
            : "use the gateway's REST address, or Transport = PaymentGatewayTransport.Grpc with the gRPC address";
        if (failure is TimeoutRejectedException or RpcException { StatusCode: StatusCode.DeadlineExceeded })
        {
            return ($"The call to the payment gateway timed out: {Cause(failure)}", true);
        }

        if (Find<SocketException>(failure) is { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return ($"Nothing was sent: the connection to the payment gateway was refused. Check that the gateway is running at BaseAddress "
                + $"and that it is the {mine} port ({switchHint}).", false);
        }

        if (Find<HttpRequestException>(failure) is { } http)
        {
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return ($"Nothing was sent: the payment gateway's host name in BaseAddress could not be resolved ({http.Message}).", false);
                case HttpRequestError.ConnectionError:
                    return ($"Nothing was sent: no connection could be made to the payment gateway at BaseAddress ({http.Message}).", false);
                case HttpRequestError.SecureConnectionError:
                    return ($"Nothing was sent: the TLS handshake with the payment gateway failed ({Find<AuthenticationException>(failure)?.Message ?? http.Message}). "
                        + "Use http:// for a plain-text port and https:// for a TLS port, and make sure the gateway's certificate is trusted on this machine.", false);
                case HttpRequestError.VersionNegotiationError or HttpRequestError.HttpProtocolError when transport == PaymentGatewayTransport.Grpc:
                    return ($"Nothing was done: the address does not speak gRPC (HTTP/2); it may be the gateway's {other} port: {switchHint}. ({http.Message})", false);
                // The same mistake when the server's HTTP/1.1 answer to the HTTP/2 preface arrives in another order: the
                // connection was never established, so no call went out. Matched on the runtime's English text; a
                // localized runtime falls back to the general message below, which never claims nothing was sent.
                case not HttpRequestError.ConnectionError when transport == PaymentGatewayTransport.Grpc
                    && http.Message.Contains("HTTP/2 connection could not be established", StringComparison.Ordinal):
                    return ($"Nothing was done: the address did not complete an HTTP/2 (gRPC) handshake; it may be the gateway's {other} port: {switchHint}. ({http.Message})", false);
                case HttpRequestError.InvalidResponse when transport == PaymentGatewayTransport.Rest:
                    return ($"The payment gateway's answer was not HTTP/1.1; BaseAddress may be the gateway's {other} port: {switchHint}. ({http.Message})", true);
            }
        }

        if (failure is RpcException { StatusCode: StatusCode.Internal or StatusCode.Unimplemented or StatusCode.Unknown } rpc
            && rpc.Status.Detail.StartsWith("Bad gRPC response", StringComparison.Ordinal))
        {
            // An HTTP answer without gRPC framing (REST's 404 or problem document): that server has no such gRPC method.
            return ($"Nothing was done: the address answered plain HTTP, not gRPC; it is probably the gateway's {other} port: {switchHint}. ({rpc.Status.Detail})", false);
        }

        return ($"The payment gateway could not be reached: {Cause(failure)}", true);
    }

    /// <summary>What to check after the gateway refused the key (HTTP 401), appended to its own message; empty otherwise.</summary>
    public static string HintFor(int status) => status == 401
        ? " Check ApiKey: server calls need a secret key of this gateway (sk_test_... in test mode, sk_live_... in live mode) that has not been revoked or rolled"
            + " past its overlap; a publishable key (pk_...) only tokenizes cards in the browser."
        : string.Empty;

    private static string Cause(Exception failure) => failure is RpcException rpc ? $"gRPC {rpc.StatusCode}: {rpc.Status.Detail}" : failure.Message;

    /// <summary>The first <typeparamref name="T"/> in the failure's causes (gRPC's debug exception included).</summary>
    private static T? Find<T>(Exception? failure)
        where T : Exception
    {
        for (var depth = 0; failure is not null && depth < 10; depth++)
        {
            if (failure is T found)
            {
                return found;
            }

            failure = failure is RpcException { Status.DebugException: { } debug } ? debug : failure.InnerException;
        }

        return null;
    }
}
