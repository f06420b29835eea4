namespace PaymentGateway.Core.Checkout;

/// <summary>A checkout session's lifecycle: open until paid (complete) or past its expiry (expired). Both ends are final.</summary>
public enum CheckoutSessionStatus
{
    Open,
    Complete,
    Expired,
}

public static class CheckoutSessionStatusExtensions
{
    public static string ToWire(this CheckoutSessionStatus status) => status switch
    {
        CheckoutSessionStatus.Open => "open",
        CheckoutSessionStatus.Complete => "complete",
        CheckoutSessionStatus.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}

/// <summary>How a checkout session saves the card it is paid with: the customer chooses (a checkbox), or it is a condition of the purchase.</summary>
public enum CheckoutSaveCard
{
    Offer,
    Require,
}

public static class CheckoutSaveCardExtensions
{
    public static string ToWire(this CheckoutSaveCard saveCard) => saveCard switch
    {
        CheckoutSaveCard.Offer => "offer",
        CheckoutSaveCard.Require => "require",
        _ => throw new ArgumentOutOfRangeException(nameof(saveCard)),
    };
}

public sealed class CheckoutLineItem
{
    public required string Name { get; init; }
    public required long Quantity { get; init; }
    public required long UnitAmount { get; init; }
}

/// <summary>
/// A hosted checkout session as stored. The client secret itself is never stored: only its SHA-256
/// (<see cref="ClientSecretHash"/>), compared in constant time.
/// </summary>
public sealed class CheckoutSession
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public CheckoutSessionStatus Status { get; set; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string CaptureMethod { get; init; }
    public string? Description { get; init; }
    public List<CheckoutLineItem> LineItems { get; init; } = [];
    public required string SuccessUrl { get; init; }
    public required string CancelUrl { get; init; }
    public List<string> AllowedFrameAncestors { get; init; } = [];
    public required string ClientSecretHash { get; init; }

    /// <summary>The customer (<c>cus_…</c>) a card paid on this session may be saved for (docs/saved-cards.md).</summary>
    public string? Customer { get; init; }

    /// <summary>Whether the page saves the card for <see cref="Customer"/>: not at all (null), on the customer's choice, or always.</summary>
    public CheckoutSaveCard? SaveCard { get; init; }

    /// <summary>What a card saved on this session may be used for: <c>on_session</c> or <c>off_session</c>.</summary>
    public string? SetupFutureUsage { get; init; }

    /// <summary>The session's current payment: the last one started. A new one may only start after it failed or was canceled.</summary>
    public string? PaymentId { get; set; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public required DateTimeOffset ExpiresAt { get; init; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Optimistic concurrency version, kept by the store (not serialized).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Version { get; set; }
}
