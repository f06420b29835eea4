using System.Text;

namespace PaymentGateway.Sdk;

/// <summary>Per-call settings that override the client's defaults. <see cref="object.ToString"/> hides the key.</summary>
public sealed record RequestOptions
{
    /// <summary>The maximum length of an idempotency key the gateway accepts.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>
    /// The <c>Idempotency-Key</c> to send with a POST, used verbatim (at most 255 characters). When null the SDK
    /// generates one per call. Either way the same key is sent on every retry of that call. Pass your own key (for
    /// example your order id) to make a call safe to repeat across process restarts.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// An API key for this call instead of <see cref="PaymentGatewayClientOptions.ApiKey"/>, for example a
    /// publishable key (<c>pk_…</c>) for <see cref="PaymentMethodsOperations.CreateAsync"/>.
    /// </summary>
    public string? ApiKey { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("IdempotencyKey = ").Append(IdempotencyKey ?? "null")
            .Append(", ApiKey = ").Append(ApiKey is null ? "null" : "***");
        return true;
    }
}
