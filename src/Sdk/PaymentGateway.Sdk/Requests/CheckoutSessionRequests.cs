namespace PaymentGateway.Sdk;

/// <summary>The body of <c>POST /v1/checkout/sessions</c>.</summary>
public sealed record CreateCheckoutSessionRequest
{
    /// <summary>The total in minor units. Optional with <see cref="LineItems"/> (then their sum).</summary>
    public long? Amount { get; init; }

    /// <summary>ISO 4217 currency code.</summary>
    public required string Currency { get; init; }

    /// <summary>Line items; give these or a <see cref="Description"/>.</summary>
    public IReadOnlyList<CheckoutLineItemRequest>? LineItems { get; init; }

    /// <summary>What the customer pays for; required without <see cref="LineItems"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Where the customer lands after paying; the gateway appends <c>session_id</c>.</summary>
    public required string SuccessUrl { get; init; }

    /// <summary>Where the customer lands when they cancel.</summary>
    public required string CancelUrl { get; init; }

    /// <summary>Origins (<c>https://shop.example</c>) that may frame the checkout page or gateway.js card fields.</summary>
    public IReadOnlyList<string>? AllowedFrameAncestors { get; init; }

    /// <summary>When the session expires (default one hour; bounded by the gateway's configuration).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary><see cref="CaptureMethod.Automatic"/> (default) or <see cref="CaptureMethod.Manual"/>.</summary>
    public CaptureMethod? CaptureMethod { get; init; }

    /// <summary>The merchant's key-value metadata; copied onto the session's payment.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>A customer (<c>cus_…</c>) to save the card for; needed with <see cref="SaveCard"/>.</summary>
    public string? Customer { get; init; }

    /// <summary><see cref="CheckoutSaveCard.Offer"/> (the customer chooses) or <see cref="CheckoutSaveCard.Require"/>; null to not save the card.</summary>
    public CheckoutSaveCard? SaveCard { get; init; }

    /// <summary>With <see cref="SaveCard"/>: <see cref="SetupFutureUsage.OffSession"/> (default) or <see cref="SetupFutureUsage.OnSession"/>.</summary>
    public SetupFutureUsage? SetupFutureUsage { get; init; }
}

/// <summary>A line item of <see cref="CreateCheckoutSessionRequest"/>.</summary>
public sealed record CheckoutLineItemRequest
{
    /// <summary>What is sold.</summary>
    public required string Name { get; init; }

    /// <summary>How many.</summary>
    public required long Quantity { get; init; }

    /// <summary>Price of one, in minor units.</summary>
    public required long UnitAmount { get; init; }
}
