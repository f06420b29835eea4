namespace PaymentGateway.Sdk;

/// <summary>A payment: an amount to collect from a customer with one payment method (<c>pay_…</c>).</summary>
public sealed record Payment : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>pay_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode, <see langword="false"/> in test mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The status; compare with the members of <see cref="PaymentStatus"/>.</summary>
    public required PaymentStatus Status { get; init; }

    /// <summary>The amount in minor units of <see cref="Currency"/> (cents for EUR, yen for JPY).</summary>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 currency code, upper case.</summary>
    public required string Currency { get; init; }

    /// <summary>The amount that can still be captured, in minor units.</summary>
    public required long AmountCapturable { get; init; }

    /// <summary>The amount captured, in minor units.</summary>
    public required long AmountReceived { get; init; }

    /// <summary>The amount refunded, in minor units.</summary>
    public required long AmountRefunded { get; init; }

    /// <summary>What the payment's disputes hold back from refunds or took, in minor units; refunded + disputed never exceeds received.</summary>
    public long AmountDisputed { get; init; }

    /// <summary>The payment's disputes (<c>dp_…</c>), oldest first; read them with <see cref="PaymentGatewayClient.Disputes"/>.</summary>
    public IReadOnlyList<string> Disputes { get; init; } = [];

    /// <summary>Whether the funds are captured automatically or by a later capture call.</summary>
    public required CaptureMethod CaptureMethod { get; init; }

    /// <summary>The payment method (<c>pm_…</c>), if one is attached.</summary>
    public string? PaymentMethod { get; init; }

    /// <summary>The merchant's customer reference, if given.</summary>
    public string? Customer { get; init; }

    /// <summary>A description, if given.</summary>
    public string? Description { get; init; }

    /// <summary>The merchant's key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the customer returns after a redirect-based action.</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>The provider that processes the payment (for example <c>simulator</c>, <c>stripe</c>).</summary>
    public string? Provider { get; init; }

    /// <summary>How the payment was routed (live routing rules): the rule, the chosen provider account, the candidates, each attempt's account; null when not routed.</summary>
    public PaymentRouting? Routing { get; init; }

    /// <summary>What the customer must do next when <see cref="Status"/> is <see cref="PaymentStatus.RequiresAction"/>.</summary>
    public NextAction? NextAction { get; init; }

    /// <summary>The error of the last failed attempt, if any.</summary>
    public PaymentError? LastPaymentError { get; init; }

    /// <summary>When the payment was canceled, if it was.</summary>
    public DateTimeOffset? CanceledAt { get; init; }

    /// <summary>Why the payment was canceled, if it was.</summary>
    public string? CancellationReason { get; init; }

    /// <summary><c>bank_transfer</c> for a SEPA credit transfer payment; null for cards.</summary>
    public string? PaymentMethodType { get; init; }

    /// <summary>For a bank transfer: its reference, expiry and what arrived (docs/bank-transfers.md).</summary>
    public BankTransfer? BankTransfer { get; init; }

    /// <summary>For a SEPA Direct Debit (<c>sepa_debit</c>): its mandate, collection file, sequence type and any return after settlement.</summary>
    public DirectDebit? DirectDebit { get; init; }

    /// <summary><see cref="PaymentMode.Payment"/>, or <see cref="PaymentMode.Setup"/> for a zero-amount verification that saves the card.</summary>
    public PaymentMode Mode { get; init; }

    /// <summary>Set when the card is saved for <see cref="Customer"/> once the payment is authorized.</summary>
    public SetupFutureUsage? SetupFutureUsage { get; init; }

    /// <summary><see langword="true"/> for a merchant-initiated payment on a saved card (no customer present, no CVC).</summary>
    public bool OffSession { get; init; }

    /// <summary>For an off-session payment: why the merchant charges it.</summary>
    public MitType? MitType { get; init; }

    /// <summary>When the payment was created (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When the payment last changed (UTC).</summary>
    public required DateTimeOffset Updated { get; init; }
}

/// <summary>An action the customer must take to continue a payment.</summary>
public sealed record NextAction
{
    /// <summary>The kind of action, for example <c>redirect_to_url</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The redirect to perform when <see cref="Type"/> is <c>redirect_to_url</c>.</summary>
    public RedirectToUrl? RedirectToUrl { get; init; }

    /// <summary>When <see cref="Type"/> is <c>bank_transfer_instructions</c>: what the customer must transfer, where to.</summary>
    public BankTransferInstructions? BankTransferInstructions { get; init; }
}

/// <summary>A redirect the customer must follow.</summary>
public sealed record RedirectToUrl
{
    /// <summary>The URL to send the customer to.</summary>
    public required string Url { get; init; }

    /// <summary>Where the customer comes back to.</summary>
    public string? ReturnUrl { get; init; }
}

/// <summary>Why a payment attempt failed.</summary>
public sealed record PaymentError
{
    /// <summary>The error code, for example <see cref="ErrorCode.CardDeclined"/>.</summary>
    public required ErrorCode Code { get; init; }

    /// <summary>The issuer's decline reason, for example <c>insufficient_funds</c>, when the card was declined.</summary>
    public string? DeclineCode { get; init; }

    /// <summary>A human-readable message (safe to log; never contains card data).</summary>
    public required string Message { get; init; }
}

/// <summary>Which routing rule chose which provider account for a payment, and where each attempt went.</summary>
public sealed record PaymentRouting
{
    /// <summary>The routing rule that matched (<c>rr_…</c>).</summary>
    public string? RuleId { get; init; }

    /// <summary>The provider account chosen first (<c>pa_…</c>).</summary>
    public string? ProviderAccount { get; init; }

    /// <summary>Every candidate account, in failover order.</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>The attempts, oldest first.</summary>
    public IReadOnlyList<PaymentRoutingAttempt> Attempts { get; init; } = [];
}

/// <summary>One attempt of a routed payment at a provider account.</summary>
public sealed record PaymentRoutingAttempt
{
    /// <summary>The attempt id (<c>att_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The provider id.</summary>
    public required string Provider { get; init; }

    /// <summary>The provider account (<c>pa_…</c>).</summary>
    public string? ProviderAccount { get; init; }

    /// <summary>started, requires_action, unknown, authorized, captured, declined, or failed (not taken by the provider).</summary>
    public required string Status { get; init; }
}
