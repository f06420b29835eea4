namespace PaymentGateway.Providers.Http;

/// <summary>
/// One call an adapter asks <see cref="ProviderHttpClient{TTransport}"/> to make: what it is for, against which account,
/// the method, the path (and query) under the account's base URL, the body and the idempotency key. The factories fill
/// it from a flow's request so an adapter states only the path and the body.
/// </summary>
public sealed record ProviderHttpCall
{
    /// <summary>What is being done, for logs and messages (<c>authorize</c>, <c>sync</c>).</summary>
    public required string Operation { get; init; }

    /// <summary>The gateway payment id (or the provider's id, for a webhook fetch), for logs.</summary>
    public required string PaymentId { get; init; }

    /// <summary>The merchant's account at the provider; a call without one is refused before anything is sent.</summary>
    public required ProviderAccount? Account { get; init; }

    /// <summary>The HTTP method.</summary>
    public required HttpMethod Method { get; init; }

    /// <summary>The path and query under the base URL, already escaped (<c>/v1/payment_intents/pi_1/capture</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The body, or null.</summary>
    public HttpContent? Content { get; init; }

    /// <summary>The gateway's idempotency key, sent in the provider's header on every attempt; null for reads.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The provider's reference of the payment the call concerns, for a declined result built from an error answer.</summary>
    public string? Reference { get; init; }

    /// <summary>
    /// True for a status lookup (sync, a 3-D Secure return read, a search, a webhook's confirmation fetch): an error
    /// answer to it is never a decline, only an unknown outcome (<see cref="ProviderErrorPolicy.ForLookup"/>).
    /// </summary>
    public bool IsLookup { get; init; }

    /// <summary>A <c>POST</c> that authorizes <paramref name="request"/> with its idempotency key.</summary>
    public static ProviderHttpCall Authorize(AuthorizeRequest request, string path, HttpContent content)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Post("authorize", request.PaymentId, request.Account, path, content, request.IdempotencyKey, reference: null);
    }

    /// <summary>A <c>POST</c> that captures <paramref name="request"/> with its idempotency key.</summary>
    public static ProviderHttpCall Capture(CaptureRequest request, string path, HttpContent content)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Post("capture", request.PaymentId, request.Account, path, content, request.IdempotencyKey, request.ProviderReference);
    }

    /// <summary>A <c>POST</c> that voids <paramref name="request"/> with its idempotency key (<c>with { Method = … }</c> for another verb).</summary>
    public static ProviderHttpCall Void(VoidRequest request, string path, HttpContent? content)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Post("void", request.PaymentId, request.Account, path, content, request.IdempotencyKey, request.ProviderReference);
    }

    /// <summary>A <c>POST</c> that refunds <paramref name="request"/> with its idempotency key.</summary>
    public static ProviderHttpCall Refund(RefundRequest request, string path, HttpContent content)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Post("refund", request.PaymentId, request.Account, path, content, request.IdempotencyKey, reference: null);
    }

    /// <summary>A <c>POST</c> for <paramref name="operation"/>, with an idempotency key when the provider should deduplicate it.</summary>
    public static ProviderHttpCall Post(string operation, string paymentId, ProviderAccount? account, string path, HttpContent? content,
        string? idempotencyKey, string? reference) => new()
        {
            Operation = operation,
            PaymentId = paymentId,
            Account = account,
            Method = HttpMethod.Post,
            Path = path,
            Content = content,
            IdempotencyKey = idempotencyKey,
            Reference = reference,
        };

    /// <summary>A <c>GET</c> lookup (no idempotency key) of the object <paramref name="reference"/>, or a search.</summary>
    public static ProviderHttpCall Get(string operation, string paymentId, ProviderAccount? account, string path, string? reference) =>
        new() { Operation = operation, PaymentId = paymentId, Account = account, Method = HttpMethod.Get, Path = path, Reference = reference, IsLookup = true };
}
