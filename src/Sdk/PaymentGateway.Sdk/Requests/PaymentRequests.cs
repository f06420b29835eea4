namespace PaymentGateway.Sdk;

/// <summary>The body of <c>POST /v1/payments</c>.</summary>
public sealed record CreatePaymentRequest
{
    /// <summary>The amount in minor units of <see cref="Currency"/> (for example 1999 for EUR 19.99). Must be positive.</summary>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 currency code, for example <c>EUR</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>Automatic (default) or manual capture.</summary>
    public CaptureMethod? CaptureMethod { get; init; }

    /// <summary>The payment method (<c>pm_…</c>) to charge.</summary>
    public string? PaymentMethod { get; init; }

    /// <summary><see langword="true"/> to create and confirm in one call (needs <see cref="PaymentMethod"/>).</summary>
    public bool? Confirm { get; init; }

    /// <summary>The merchant's customer reference.</summary>
    public string? Customer { get; init; }

    /// <summary>A description shown in the dashboard.</summary>
    public string? Description { get; init; }

    /// <summary>Up to a few dozen key-value pairs of the merchant's own data. Never put card data here.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Where the customer returns after a redirect-based action.</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>The provider to route to, overriding the routing rules (for example <c>simulator</c>).</summary>
    public string? Provider { get; init; }

    /// <summary><c>bank_transfer</c> for a SEPA credit transfer paid by the customer (REST only); null for cards.</summary>
    public string? PaymentMethodType { get; init; }

    /// <summary>The SEPA Direct Debit mandate (<c>mdt_…</c>) when <see cref="PaymentMethodType"/> is <c>sepa_debit</c> (REST only).</summary>
    public string? Mandate { get; init; }

    /// <summary><see cref="PaymentMode.Setup"/> to verify the card without charging it (set <see cref="Amount"/> to 0) and save it for <see cref="Customer"/>.</summary>
    public PaymentMode? Mode { get; init; }

    /// <summary>Save the card for <see cref="Customer"/> (a <c>cus_…</c> id) once the payment is authorized.</summary>
    public SetupFutureUsage? SetupFutureUsage { get; init; }

    /// <summary><see langword="true"/> to charge a card saved for off-session use without the customer (needs <see cref="Confirm"/>).</summary>
    public bool? OffSession { get; init; }

    /// <summary>With <see cref="OffSession"/>: why the card is charged (default unscheduled).</summary>
    public MitType? MitType { get; init; }
}

/// <summary>The body of <c>POST /v1/payments/{id}/confirm</c>.</summary>
public sealed record ConfirmPaymentRequest
{
    /// <summary>The payment method (<c>pm_…</c>) to confirm with, if the payment has none yet.</summary>
    public string? PaymentMethod { get; init; }

    /// <summary>Where the customer returns after a redirect-based action.</summary>
    public string? ReturnUrl { get; init; }

    /// <summary><see langword="false"/> to bring an off-session payment back on session after <see cref="ErrorCode.CardAuthenticationRequired"/>.</summary>
    public bool? OffSession { get; init; }
}

/// <summary>The body of <c>POST /v1/payments/{id}/capture</c>.</summary>
public sealed record CapturePaymentRequest
{
    /// <summary>The amount to capture in minor units; omit to capture everything capturable.</summary>
    public long? AmountToCapture { get; init; }
}

/// <summary>The body of <c>POST /v1/payments/{id}/cancel</c>.</summary>
public sealed record CancelPaymentRequest
{
    /// <summary>Why the payment is canceled, for example <c>requested_by_customer</c>.</summary>
    public string? CancellationReason { get; init; }
}

/// <summary>Filters and cursors of <c>GET /v1/payments</c>.</summary>
public sealed record ListPaymentsRequest
{
    /// <summary>How many payments per page, 1–100 (server default 10).</summary>
    public int? Limit { get; init; }

    /// <summary>A payment id: list the payments after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>A payment id: list the payments before it (newer ones).</summary>
    public string? EndingBefore { get; init; }

    /// <summary>Only payments with this status.</summary>
    public PaymentStatus? Status { get; init; }

    /// <summary>Only payments created at or after this time (<c>created[gte]</c>).</summary>
    public DateTimeOffset? CreatedGte { get; init; }

    /// <summary>Only payments created before this time (<c>created[lt]</c>).</summary>
    public DateTimeOffset? CreatedLt { get; init; }
}
