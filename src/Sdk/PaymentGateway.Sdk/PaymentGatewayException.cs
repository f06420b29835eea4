namespace PaymentGateway.Sdk;

/// <summary>
/// The one exception the client throws for a failed call: an error response from the gateway (RFC 9457 problem
/// details), a response the SDK could not read, or no response at all (connection failure, timeout).
/// </summary>
/// <remarks>
/// Branch on <see cref="Code"/> (stable) rather than on the message. <see cref="Status"/> is 0 when no HTTP response
/// was received. Quote <see cref="RequestId"/> to support. To repeat a failed POST safely, repeat it with the same
/// <see cref="IdempotencyKey"/> (<see cref="RequestOptions.IdempotencyKey"/>).
/// </remarks>
public class PaymentGatewayException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public PaymentGatewayException()
        : base("The payment gateway call failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public PaymentGatewayException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PaymentGatewayException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status code of the response, or 0 when no response was received.</summary>
    public int Status { get; init; }

    /// <summary>The stable error code (<c>code</c>), for example <see cref="ErrorCode.CardDeclined"/>; null when the response had none.</summary>
    public ErrorCode? Code { get; init; }

    /// <summary>The issuer's decline reason (<c>decline_code</c>) when the card was declined, for example <c>insufficient_funds</c>.</summary>
    public string? DeclineCode { get; init; }

    /// <summary>The request parameter the error is about (<c>param</c>), for example <c>amount</c>.</summary>
    public string? Param { get; init; }

    /// <summary>The id of the failed request (the <c>Request-Id</c> header, or <c>request_id</c> in the body).</summary>
    public string? RequestId { get; init; }

    /// <summary>The <c>Idempotency-Key</c> sent with the failed POST; null for GET.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The problem type URI (<c>type</c>).</summary>
    public string? Type { get; init; }

    /// <summary>The short, human-readable summary of the problem type (<c>title</c>).</summary>
    public string? Title { get; init; }

    /// <summary>The human-readable explanation of this occurrence (<c>detail</c>).</summary>
    public string? Detail { get; init; }

    /// <summary>The payment as it stands after the failure, when the gateway sent it (a declined card, HTTP 402).</summary>
    public Payment? Payment { get; init; }

    /// <summary>The start of the raw response body when it was not a problem document (for example an HTML 502 page).</summary>
    public string? ResponseBody { get; init; }
}
