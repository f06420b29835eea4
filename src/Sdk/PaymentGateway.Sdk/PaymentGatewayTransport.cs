namespace PaymentGateway.Sdk;

/// <summary>How a <see cref="PaymentGatewayClient"/> reaches the gateway. The operations, models and errors are the same for both.</summary>
public enum PaymentGatewayTransport
{
    /// <summary>The REST API (JSON over HTTP/1.1 or HTTP/2), for example <c>http://127.0.0.1:5080</c>. The default.</summary>
    Rest = 0,

    /// <summary>
    /// The gRPC API (<c>payments.v1</c>, HTTP/2), for example <c>http://127.0.0.1:5081</c> (the gateway's plain-text
    /// development port) or an <c>https://</c> address in production.
    /// </summary>
    Grpc = 1,
}
