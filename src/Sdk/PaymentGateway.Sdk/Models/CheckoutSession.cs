using System.Text;

namespace PaymentGateway.Sdk;

/// <summary>
/// A hosted checkout session (<c>cs_…</c>): send the customer to <see cref="Url"/>, or frame it on one of
/// <see cref="AllowedFrameAncestors"/>, or pay it from the browser with gateway.js and <see cref="ClientSecret"/>.
/// </summary>
/// <remarks><see cref="object.ToString"/> hides the client secret.</remarks>
public sealed record CheckoutSession : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>cs_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary><c>open</c>, <c>complete</c> (paid) or <c>expired</c>; see <see cref="CheckoutSessionStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>The total in minor units.</summary>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 currency code, upper case.</summary>
    public required string Currency { get; init; }

    /// <summary>How the session's payment is captured.</summary>
    public required CaptureMethod CaptureMethod { get; init; }

    /// <summary>What the customer pays for, when given.</summary>
    public string? Description { get; init; }

    /// <summary>The line items shown on the page.</summary>
    public required IReadOnlyList<CheckoutLineItem> LineItems { get; init; }

    /// <summary>Where the customer lands after paying (with <c>session_id</c> appended).</summary>
    public required string SuccessUrl { get; init; }

    /// <summary>Where the customer lands when they cancel.</summary>
    public required string CancelUrl { get; init; }

    /// <summary>Origins allowed to frame the page (iframe mode and gateway.js card fields).</summary>
    public required IReadOnlyList<string> AllowedFrameAncestors { get; init; }

    /// <summary>The customer (<c>cus_…</c>) a card paid on this session may be saved for.</summary>
    public string? Customer { get; init; }

    /// <summary>How the card is saved for <see cref="Customer"/>; null when it is not.</summary>
    public CheckoutSaveCard? SaveCard { get; init; }

    /// <summary>With <see cref="SaveCard"/>: what the saved card may be used for.</summary>
    public SetupFutureUsage? SetupFutureUsage { get; init; }

    /// <summary>The hosted checkout page.</summary>
    public required string Url { get; init; }

    /// <summary>
    /// The secret for gateway.js (<c>pay({ clientSecret })</c>), present only on the object returned by
    /// <see cref="CheckoutSessionsOperations.CreateAsync"/>. Give it to the customer's browser only.
    /// </summary>
    public string? ClientSecret { get; init; }

    /// <summary>The session's current payment (<c>pay_…</c>), once the customer has paid or tried to.</summary>
    public string? Payment { get; init; }

    /// <summary>The merchant's key-value metadata.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>When the session expires if not paid (UTC).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When the session was paid (UTC).</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When the session was created (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Prints the members for <see cref="object.ToString"/>, with the client secret as <c>***</c>.</summary>
    /// <param name="builder">The builder to append to.</param>
    /// <returns><see langword="true"/>: members were printed.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Id = ").Append(Id).Append(", Status = ").Append(Status).Append(", Amount = ").Append(Amount)
            .Append(", Currency = ").Append(Currency).Append(", Url = ").Append(Url).Append(", ClientSecret = ").Append(ClientSecret is null ? "null" : "***")
            .Append(", Payment = ").Append(Payment);
        return true;
    }
}

/// <summary>A line of a checkout session.</summary>
public sealed record CheckoutLineItem
{
    /// <summary>What is sold.</summary>
    public required string Name { get; init; }

    /// <summary>How many.</summary>
    public required long Quantity { get; init; }

    /// <summary>Price of one, in minor units.</summary>
    public required long UnitAmount { get; init; }

    /// <summary><see cref="Quantity"/> × <see cref="UnitAmount"/>, in minor units (set by the gateway; ignored in requests).</summary>
    public long Amount { get; init; }
}

/// <summary>The values of <see cref="CheckoutSession.Status"/>.</summary>
public static class CheckoutSessionStatus
{
    /// <summary>Waiting for the customer.</summary>
    public const string Open = "open";

    /// <summary>Paid: its payment succeeded (or is authorized, for manual capture).</summary>
    public const string Complete = "complete";

    /// <summary>Past its expiry without a payment; it can no longer be paid.</summary>
    public const string Expired = "expired";
}
