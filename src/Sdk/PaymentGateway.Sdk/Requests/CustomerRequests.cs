namespace PaymentGateway.Sdk;

/// <summary>The body of <c>POST /v1/customers</c>.</summary>
public sealed record CreateCustomerRequest
{
    /// <summary>The e-mail address (searchable with <see cref="ListCustomersRequest.Email"/>).</summary>
    public string? Email { get; init; }

    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>Up to 50 key-value pairs of the merchant's own data (searchable). Never put card data here.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>The body of <c>PATCH /v1/customers/{id}</c>: only the fields set change; an empty string clears one.</summary>
public sealed record UpdateCustomerRequest
{
    /// <summary>The e-mail address.</summary>
    public string? Email { get; init; }

    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>Replaces the metadata; keys with an empty value are removed.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>A payment method attached to the customer, charged by off-session payments that name none; an empty string clears it.</summary>
    public string? DefaultPaymentMethod { get; init; }
}

/// <summary>Filters and cursors of <c>GET /v1/customers</c>.</summary>
public sealed record ListCustomersRequest
{
    /// <summary>How many customers per page, 1–100 (server default 10).</summary>
    public int? Limit { get; init; }

    /// <summary>A customer id: list the customers after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>A customer id: list the customers before it (newer ones).</summary>
    public string? EndingBefore { get; init; }

    /// <summary>Only customers with this e-mail address (ignoring case).</summary>
    public string? Email { get; init; }

    /// <summary>Only customers whose metadata has this key, with <see cref="MetadataValue"/>.</summary>
    public string? MetadataKey { get; init; }

    /// <summary>The value <see cref="MetadataKey"/> must have.</summary>
    public string? MetadataValue { get; init; }
}

/// <summary>Cursors of <c>GET /v1/customers/{id}/payment_methods</c>.</summary>
public sealed record ListCustomerPaymentMethodsRequest
{
    /// <summary>How many per page, 1–100 (server default 10).</summary>
    public int? Limit { get; init; }

    /// <summary>A payment method id: list the ones after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>A payment method id: list the ones before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}

/// <summary>The body of <c>PATCH /v1/payment_methods/{id}</c>: a saved card's new expiry or holder name.</summary>
public sealed record UpdatePaymentMethodRequest
{
    /// <summary>The new expiry month, 1–12.</summary>
    public int? ExpMonth { get; init; }

    /// <summary>The new expiry year, four digits.</summary>
    public int? ExpYear { get; init; }

    /// <summary>The holder's name.</summary>
    public string? HolderName { get; init; }
}
