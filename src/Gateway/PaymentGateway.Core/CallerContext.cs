using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Core;

/// <summary>Who is calling: the merchant, test or live mode, and which kind of key they used.</summary>
public sealed record CallerContext(string MerchantId, bool Livemode, ApiKeyKind KeyKind)
{
    /// <summary>The id of the key used (<c>key_…</c>), when known: the audit trail names it.</summary>
    public string? KeyId { get; init; }
}
