namespace PaymentGateway.Core.Customers;

/// <summary>
/// What later payments on a saved card need, kept encrypted with the card (<see cref="Payments.StoredPaymentMethod.EncryptedCredentials"/>,
/// a vault blob bound to <c>{pm_id}/stored_credentials</c>): the network transaction id of the series' first payment,
/// and per provider account what it returned (its own network transaction id and recurring references).
/// </summary>
public sealed class StoredCredentialSet
{
    /// <summary>The network transaction id of the latest first payment of a series (the one later payments refer to).</summary>
    public string? NetworkTransactionId { get; set; }

    /// <summary>The provider account key (<c>pa_…</c>, or the provider id when not routed) the series started at.</summary>
    public string? SeriesAccount { get; set; }

    /// <summary>Per provider account key: what that account returned.</summary>
    public Dictionary<string, StoredAccountCredential> Accounts { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>What one provider account returned about a saved card.</summary>
public sealed class StoredAccountCredential
{
    public required string Provider { get; init; }

    /// <summary>The network transaction id this account returned for the card's first payment through it.</summary>
    public string? NetworkTransactionId { get; set; }

    /// <summary>The account's references for the card (its stored payment method, customer, mandate), as the adapter named them.</summary>
    public Dictionary<string, string> References { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset Updated { get; set; }
}
