namespace PaymentGateway.Core.Api;

// Hosted checkout: the session object and its requests (issue 5).

public sealed record CheckoutSessionResource
{
    public required string Id { get; init; }
    public string Object => "checkout.session";
    public required bool Livemode { get; init; }
    public required string Status { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string CaptureMethod { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<CheckoutLineItemResource> LineItems { get; init; }
    public required string SuccessUrl { get; init; }
    public required string CancelUrl { get; init; }
    public required IReadOnlyList<string> AllowedFrameAncestors { get; init; }

    /// <summary>The customer a card paid on this session may be saved for.</summary>
    public string? Customer { get; init; }

    /// <summary><c>offer</c> (the customer ticks "save this card") or <c>require</c>; null when the card is not saved.</summary>
    public string? SaveCard { get; init; }

    /// <summary>With <see cref="SaveCard"/>: <c>on_session</c> or <c>off_session</c>.</summary>
    public string? SetupFutureUsage { get; init; }

    /// <summary>The hosted page: redirect the customer here, or put it in an iframe on an allowed origin.</summary>
    public required string Url { get; init; }

    /// <summary>Present only in the response that created the session; the gateway keeps only its hash.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The session's current payment (the last one started), once the customer has paid or tried to.</summary>
    public string? Payment { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public required DateTimeOffset Created { get; init; }
}

public sealed record CheckoutLineItemResource
{
    public required string Name { get; init; }
    public required long Quantity { get; init; }
    public required long UnitAmount { get; init; }
    public required long Amount { get; init; }
}

public sealed record CreateCheckoutSessionRequest
{
    /// <summary>Total in minor units. Optional with <see cref="LineItems"/> (then their sum); must equal their sum if both are given.</summary>
    public long? Amount { get; init; }
    public string? Currency { get; init; }
    public string? CaptureMethod { get; init; }
    public string? Description { get; init; }
    public List<CheckoutLineItemRequest>? LineItems { get; init; }
    public string? SuccessUrl { get; init; }
    public string? CancelUrl { get; init; }

    /// <summary>Origins (<c>https://shop.example</c>) that may put the page in an iframe. None: the page cannot be framed.</summary>
    public List<string>? AllowedFrameAncestors { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>A customer (<c>cus_…</c>) of the merchant; needed with <see cref="SaveCard"/>.</summary>
    public string? Customer { get; init; }

    /// <summary><c>offer</c>: the page shows a "save this card" choice; <c>require</c>: paying saves the card (the page says so).</summary>
    public string? SaveCard { get; init; }

    /// <summary>With <see cref="SaveCard"/>: <c>off_session</c> (default; the merchant may charge it later) or <c>on_session</c>.</summary>
    public string? SetupFutureUsage { get; init; }
}

public sealed record CheckoutLineItemRequest
{
    public string? Name { get; init; }
    public long? Quantity { get; init; }
    public long? UnitAmount { get; init; }
}

/// <summary>
/// What the hosted page and the hosted card fields send to pay a session. Authorised by the session's client secret
/// (hosted fields) or by the page token the hosted page was rendered with; never by a secret key.
/// </summary>
public sealed record CheckoutPayRequest
{
    public string? ClientSecret { get; init; }
    public CardDetailsRequest? Card { get; init; }
    public string? HolderName { get; init; }

    /// <summary>A <c>pm_</c> id tokenized with the merchant's publishable key (hosted fields), instead of <see cref="Card"/>.</summary>
    public string? PaymentMethod { get; init; }

    /// <summary>The origin of the page that embeds the hosted fields; must be one of the session's allowed frame ancestors.</summary>
    public string? EmbedOrigin { get; init; }

    /// <summary>The customer's "save this card" choice, on a session that offers it (ignored when the session requires saving).</summary>
    public bool? SaveCard { get; init; }
}
