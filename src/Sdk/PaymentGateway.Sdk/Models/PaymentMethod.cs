namespace PaymentGateway.Sdk;

/// <summary>A tokenized payment method (<c>pm_…</c>). The card number is never returned.</summary>
public sealed record PaymentMethod : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>pm_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The type, for example <c>card</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The masked card, when <see cref="Type"/> is <c>card</c>.</summary>
    public Card? Card { get; init; }

    /// <summary>The masked SEPA account, when <see cref="Type"/> is <c>sepa_debit</c>.</summary>
    public SepaDebit? SepaDebit { get; init; }

    /// <summary>The holder's name, if given.</summary>
    public string? HolderName { get; init; }

    /// <summary>The customer (<c>cus_…</c>) the method is saved for; null when it is not attached.</summary>
    public string? Customer { get; init; }

    /// <summary>What the saved method may be used for; null when it is not attached.</summary>
    public SetupFutureUsage? Usage { get; init; }

    /// <summary>When it was detached: its card is erased and it can no longer be charged.</summary>
    public DateTimeOffset? DetachedAt { get; init; }

    /// <summary>When the payment method was created (UTC).</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>The masked view of a card.</summary>
public sealed record Card
{
    /// <summary>The brand, for example <c>visa</c>.</summary>
    public required string Brand { get; init; }

    /// <summary>The last four digits.</summary>
    public required string Last4 { get; init; }

    /// <summary>Expiry month, 1–12.</summary>
    public required int ExpMonth { get; init; }

    /// <summary>Expiry year, four digits.</summary>
    public required int ExpYear { get; init; }

    /// <summary>A fingerprint that is the same for the same card number within a merchant.</summary>
    public required string Fingerprint { get; init; }
}
