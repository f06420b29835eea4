using PaymentGateway.Core.Customers;

namespace PaymentGateway.Core.Api;

// Customers and their saved payment methods in the public API (docs/saved-cards.md).

/// <summary>A customer. A deleted one keeps only its id, mode and <see cref="Deleted"/>; everything else is null.</summary>
public sealed record CustomerResource
{
    public required string Id { get; init; }
    public string Object => "customer";
    public required bool Livemode { get; init; }
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>The saved payment method an off-session payment uses when it names none.</summary>
    public string? DefaultPaymentMethod { get; init; }
    public bool Deleted { get; init; }
    public required DateTimeOffset Created { get; init; }
}

public sealed record CreateCustomerRequest
{
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Description { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
}

/// <summary>Only the fields sent change; an empty string clears a text field (and <c>default_payment_method</c>).</summary>
public sealed record UpdateCustomerRequest
{
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Description { get; init; }

    /// <summary>Replaces the metadata; keys with an empty value are removed.</summary>
    public Dictionary<string, string>? Metadata { get; init; }
    public string? DefaultPaymentMethod { get; init; }
}

public sealed record AttachPaymentMethodRequest
{
    /// <summary>A card payment method (<c>pm_…</c>) of the same merchant and mode, not attached to another customer.</summary>
    public string? PaymentMethod { get; init; }
}

/// <summary>A saved card's new expiry (the bank sent a new card with the same number) or holder name.</summary>
public sealed record UpdatePaymentMethodRequest
{
    public int? ExpMonth { get; init; }
    public int? ExpYear { get; init; }
    public string? HolderName { get; init; }
}

public static class CustomerResourceMapper
{
    public static CustomerResource ToResource(this Customer c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.DeletedAt is not null
            ? new CustomerResource { Id = c.Id, Livemode = c.Livemode, Metadata = new Dictionary<string, string>(), Deleted = true, Created = c.Created }
            : new CustomerResource
            {
                Id = c.Id,
                Livemode = c.Livemode,
                Email = c.Email,
                Name = c.Name,
                Phone = c.Phone,
                Description = c.Description,
                Metadata = c.Metadata,
                DefaultPaymentMethod = c.DefaultPaymentMethod,
                Created = c.Created,
            };
    }
}
