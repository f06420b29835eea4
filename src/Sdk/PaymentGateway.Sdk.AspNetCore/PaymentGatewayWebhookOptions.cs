using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Sdk.AspNetCore;

/// <summary>
/// How <c>MapPaymentGatewayWebhooks</c> verifies incoming webhooks. Register with
/// <c>services.AddPaymentGatewayWebhooks(...)</c>; validated when the host starts.
/// </summary>
public sealed class PaymentGatewayWebhookOptions
{
    /// <summary>The default <see cref="MaxBodySize"/>: 1 MiB, far above any event the gateway sends.</summary>
    public const long DefaultMaxBodySize = 1024 * 1024;

    /// <summary>
    /// The endpoint's signing secrets (<c>whsec_…</c>); a webhook signed with any of them is accepted. One secret
    /// normally; during a rotation list the new one and the old one, then drop the old one once the gateway's overlap
    /// (<c>PreviousSecretExpiresAt</c>) has passed. At least one is required.
    /// </summary>
    public IList<string> Secrets { get; set; } = [];

    /// <summary>How far a webhook's <c>webhook-timestamp</c> may be from now, either way; default 5 minutes. Older webhooks are refused as replays.</summary>
    public TimeSpan Tolerance { get; set; } = WebhookVerifier.DefaultTolerance;

    /// <summary>The largest request body read, in bytes; a larger one is answered <c>413</c> without being read. Default <see cref="DefaultMaxBodySize"/>.</summary>
    public long MaxBodySize { get; set; } = DefaultMaxBodySize;
}
