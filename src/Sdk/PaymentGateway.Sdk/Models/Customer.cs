namespace PaymentGateway.Sdk;

/// <summary>
/// A merchant's customer (<c>cus_…</c>), for whom cards are saved (docs/saved-cards.md). A deleted customer keeps only
/// its id, mode and <see cref="Deleted"/>.
/// </summary>
public sealed record Customer : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>cus_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The e-mail address, if given.</summary>
    public string? Email { get; init; }

    /// <summary>The name, if given.</summary>
    public string? Name { get; init; }

    /// <summary>The phone number, if given.</summary>
    public string? Phone { get; init; }

    /// <summary>A description, if given.</summary>
    public string? Description { get; init; }

    /// <summary>The merchant's key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The saved payment method (<c>pm_…</c>) an off-session payment uses when it names none.</summary>
    public string? DefaultPaymentMethod { get; init; }

    /// <summary><see langword="true"/> once deleted: its personal data is cleared and its saved cards are erased.</summary>
    public bool Deleted { get; init; }

    /// <summary>When the customer was created (UTC).</summary>
    public required DateTimeOffset Created { get; init; }
}
