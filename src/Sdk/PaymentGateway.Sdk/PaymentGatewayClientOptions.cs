namespace PaymentGateway.Sdk;

/// <summary>
/// Configuration of a <see cref="PaymentGatewayClient"/>. Bind it from configuration (section keys are the property
/// names) or set it in code; it is validated when the client is built (and on host start with dependency injection).
/// </summary>
public sealed class PaymentGatewayClientOptions
{
    /// <summary>
    /// The gateway's address for the chosen <see cref="Transport"/>, for example <c>http://127.0.0.1:5080</c> (REST) or
    /// <c>http://127.0.0.1:5081</c> (gRPC). Required.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// REST (the default) or gRPC. Merchant code does not change with the transport: the same operations, models,
    /// exceptions (with the same <see cref="PaymentGatewayException.Status"/> and <see cref="PaymentGatewayException.Code"/>),
    /// idempotency keys and retry rules.
    /// </summary>
    public PaymentGatewayTransport Transport { get; set; } = PaymentGatewayTransport.Rest;

    /// <summary>The secret API key (<c>sk_test_…</c> or <c>sk_live_…</c>) sent as <c>Authorization: Bearer</c>. Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How many times a failed call is retried (default 2; 0 turns retries off). Retried: connection failures and
    /// attempt timeouts, 408, 429, 5xx, and 409 only for the transient codes <c>idempotency_key_in_use</c> and
    /// <c>concurrent_update</c>. Never retried: 400, 401, 402, 403, 404, 422 and any other 409
    /// (<c>payment_state_conflict</c>: repeating cannot help). Over gRPC the same rules: <c>UNAVAILABLE</c>,
    /// <c>DEADLINE_EXCEEDED</c>, <c>RESOURCE_EXHAUSTED</c>, attempt timeouts, and <c>ABORTED</c> only for those two codes.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The base delay of the exponential backoff (with jitter) between retries (default 500 ms).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait before a retry (default 30 s), whether computed by the backoff or asked by the server's
    /// <c>Retry-After</c> header. A <c>Retry-After</c> longer than this is capped to it.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The total time of one call including all retries and waits (default 80 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(80);

    /// <summary>The time of one attempt (default 30 s); an attempt that times out is retried.</summary>
    public TimeSpan PerTryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Validates the options.</summary>
    /// <returns>The problems found; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseAddress is null)
        {
            errors.Add($"{nameof(BaseAddress)} is required.");
        }
        else if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{nameof(BaseAddress)} must be an absolute http or https URI.");
        }

        if (!Enum.IsDefined(Transport))
        {
            errors.Add($"{nameof(Transport)} must be {nameof(PaymentGatewayTransport.Rest)} or {nameof(PaymentGatewayTransport.Grpc)}.");
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            errors.Add($"{nameof(ApiKey)} is required.");
        }

        if (MaxRetries is < 0 or > 10)
        {
            errors.Add($"{nameof(MaxRetries)} must be between 0 and 10.");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{nameof(RetryDelay)} must be between 0 and 1 minute.");
        }

        if (MaxRetryDelay < RetryDelay)
        {
            errors.Add($"{nameof(MaxRetryDelay)} must not be less than {nameof(RetryDelay)}.");
        }

        if (Timeout < MinimumTimeout || Timeout > MaximumTimeout)
        {
            errors.Add($"{nameof(Timeout)} must be between 10 ms and 24 hours.");
        }

        if (PerTryTimeout < MinimumTimeout || PerTryTimeout > Timeout)
        {
            errors.Add($"{nameof(PerTryTimeout)} must be at least 10 ms and not more than {nameof(Timeout)}.");
        }

        return errors;
    }

    // The bounds Polly's timeout strategy accepts.
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromHours(24);

    internal PaymentGatewayClientOptions Snapshot() => new()
    {
        BaseAddress = BaseAddress,
        Transport = Transport,
        ApiKey = ApiKey,
        MaxRetries = MaxRetries,
        RetryDelay = RetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        Timeout = Timeout,
        PerTryTimeout = PerTryTimeout,
    };
}
