using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// A payment as stored. Made by <see cref="Create"/>; the flows change its status only through <see cref="PaymentWriter"/>
/// (along the rows of <see cref="PaymentStateMachine"/>), which also persists it.
/// </summary>
public sealed class Payment : IJsonOnDeserialized
{
    /// <summary>
    /// A new payment of <paramref name="caller"/>'s merchant and mode, in <c>requires_payment_method</c>, from a
    /// validated request. The flows then attach what their type needs (provider, payment method, transfer or debit details).
    /// </summary>
    public static Payment Create(string id, CallerContext caller, ValidatedPaymentRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        return new Payment
        {
            Id = id,
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            Status = PaymentStatus.RequiresPaymentMethod,
            Amount = request.Amount,
            Currency = request.Currency.Code,
            CaptureMethod = request.CaptureMethod,
            Customer = request.Customer,
            Description = request.Description,
            Metadata = request.Metadata,
            ReturnUrl = request.ReturnUrl,
            PaymentMethodType = request.PaymentMethodType,
            Mode = request.Setup ? PaymentModes.Setup : null,
            SetupFutureUsage = request.SetupFutureUsage,
            OffSession = request.OffSession,
            MitType = request.MitType,
            Created = now,
            Updated = now,
        };
    }

    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public PaymentStatus Status { get; set; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public CaptureMethod CaptureMethod { get; init; }
    public long AmountCapturable { get; set; }
    public long AmountReceived { get; set; }
    public long AmountRefunded { get; set; }

    /// <summary>What the payment's disputes hold back from refunds or took (docs/disputes.md); refunded + disputed never exceeds received.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long AmountDisputed { get; set; }

    /// <summary>The payment's disputes (<c>dp_…</c>), oldest first; null (not stored) until the first one.</summary>
    public List<string>? Disputes { get; set; }
    public string? PaymentMethodId { get; set; }
    public string? Customer { get; init; }
    public string? Description { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public string? ReturnUrl { get; set; }
    public string? Provider { get; set; }
    public string? ProviderReference { get; set; }
    public NextAction? NextAction { get; set; }
    public PaymentError? LastPaymentError { get; set; }
    public List<PaymentAttempt> Attempts { get; init; } = [];
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }
    public string? CancellationReason { get; set; }

    /// <summary>Which routing rule chose which provider account, and the ordered candidates (null: not routed, simulator).</summary>
    public Routing.RoutingDecision? Routing { get; set; }
    /// <summary>Null for card payments; <c>bank_transfer</c> for SEPA credit transfers matched from statements.</summary>
    public string? PaymentMethodType { get; init; }

    public BankTransfers.BankTransferDetails? BankTransfer { get; set; }

    /// <summary>A SEPA Direct Debit: its mandate and collection (docs/bank-transfers.md).</summary>
    public BankTransfers.DirectDebitDetails? DirectDebit { get; set; }

    /// <summary>Null for a payment; <see cref="PaymentModes.Setup"/> for a zero-amount card verification that saves the card (docs/saved-cards.md).</summary>
    public string? Mode { get; init; }

    /// <summary><c>on_session</c> or <c>off_session</c>: the card is saved for the customer when this payment is authorized.</summary>
    public string? SetupFutureUsage { get; init; }

    /// <summary>True while the payment is merchant-initiated on a saved card (no customer present, no CVC); false once brought back on session.</summary>
    public bool OffSession { get; set; }

    /// <summary>For an off-session payment: <c>recurring</c>, <c>unscheduled</c> or <c>instalment</c>.</summary>
    public string? MitType { get; init; }

    /// <summary>Optimistic concurrency: the version this copy was read at. The store bumps it on every update.</summary>
    public long Version { get; set; }

    /// <summary>
    /// The metadata values the store holds for this copy (<see cref="Storage.PaymentMetadataValues"/>): those it was read
    /// with or last committed with; null while it has never been stored. An update rewrites the store's values only
    /// when the metadata's values differ from these, so a status change does not touch them.
    /// </summary>
    [JsonIgnore]
    public string[]? StoredMetadataValues { get; private set; }

    /// <summary>Called by the store once this copy's insert or update is committed: an update bumps the version, and its metadata values are now the stored ones.</summary>
    public void MarkCommitted(bool updated)
    {
        if (updated)
        {
            Version++;
        }

        StoredMetadataValues = Storage.PaymentMetadataValues.Of(this);
    }

    // A copy read from the store holds the values the store wrote for it.
    void IJsonOnDeserialized.OnDeserialized() => StoredMetadataValues = Storage.PaymentMetadataValues.Of(this);

    [JsonIgnore]
    public PaymentAttempt? CurrentAttempt => Attempts.Count == 0 ? null : Attempts[^1];
}

/// <summary>One try at the provider. Persisted, with its provider idempotency key, before the provider is called.</summary>
public sealed class PaymentAttempt
{
    public required string Id { get; init; }
    public required string Provider { get; init; }

    /// <summary>The provider account this attempt went to (null for the simulator without routing).</summary>
    public string? ProviderAccountId { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string PaymentMethodId { get; init; }
    public AttemptStatus Status { get; set; }
    public string? ProviderReference { get; set; }
    public string? DeclineCode { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>How many times the reconciler asked the provider about this attempt and heard "pending".</summary>
    public int SyncChecks { get; set; }

    /// <summary>When the reconciler may ask the provider again (exponential backoff with jitter); null: now.</summary>
    public DateTimeOffset? NextSyncAt { get; set; }

    /// <summary>How long the provider took to answer this attempt's authorization, in milliseconds (null: not sent yet). Reports' latency percentiles.</summary>
    public int? LatencyMs { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<AttemptStatus>))]
public enum AttemptStatus
{
    [JsonStringEnumMemberName("started")] Started,
    [JsonStringEnumMemberName("requires_action")] RequiresAction,
    [JsonStringEnumMemberName("unknown")] Unknown,
    [JsonStringEnumMemberName("authorized")] Authorized,
    [JsonStringEnumMemberName("captured")] Captured,
    [JsonStringEnumMemberName("declined")] Declined,
    [JsonStringEnumMemberName("failed")] Failed,
}

public sealed record NextAction
{
    public required string Type { get; init; }
    public RedirectToUrl? RedirectToUrl { get; init; }

    /// <summary>
    /// The provider's complete action when a plain GET redirect cannot carry it (a POST redirect's form fields, a
    /// provider SDK's data): the gateway's action page (<see cref="ProviderReturns.ActionPath"/>) renders it, and
    /// <see cref="RedirectToUrl"/> points there. Stored only, not part of the API resource.
    /// </summary>
    public PaymentGateway.Providers.ProviderNextAction? ProviderAction { get; init; }
}

public sealed record RedirectToUrl
{
    public required string Url { get; init; }
    public string? ReturnUrl { get; init; }
}

public sealed record PaymentError
{
    public required string Code { get; init; }
    public string? DeclineCode { get; init; }
    public required string Message { get; init; }
}

/// <summary>A refund as stored.</summary>
public sealed class Refund
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string PaymentId { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public RefundStatus Status { get; set; }
    public string? Reason { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public string? Provider { get; init; }
    public string? ProviderReference { get; set; }
    public string? FailureReason { get; set; }
    public required string IdempotencyKey { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }
    public long Version { get; set; }
}

/// <summary>A tokenized payment method. The encrypted card number lives in <see cref="EncryptedNumber"/>, never in the JSON.</summary>
public sealed class StoredPaymentMethod
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string Type { get; init; }
    public StoredCard? Card { get; set; }
    public string? HolderName { get; set; }
    public BankTransfers.StoredSepaDebit? SepaDebit { get; init; }
    public DateTimeOffset Created { get; init; }

    /// <summary>The customer (<c>cus_…</c>) the card is saved for; null when it is not attached (docs/saved-cards.md).</summary>
    public string? Customer { get; set; }

    /// <summary>What the saved card may be used for: <c>on_session</c> or <c>off_session</c>; null when not attached.</summary>
    public string? Usage { get; set; }

    public DateTimeOffset? AttachedAt { get; set; }

    /// <summary>When it was detached (or its customer deleted): the card number and stored credentials are erased and it can never be charged again.</summary>
    public DateTimeOffset? DetachedAt { get; set; }

    /// <summary>Whether <c>payment_method.expiring</c> was sent for the card's current expiry.</summary>
    public bool ExpiringNotified { get; set; }

    /// <summary>The vault blob: the card number, or the IBAN of a <c>sepa_debit</c> method.</summary>
    [JsonIgnore]
    public string? EncryptedNumber { get; set; }

    /// <summary>The vault blob of the stored-credential data (network transaction id, provider references per account); read by the customer store only.</summary>
    [JsonIgnore]
    public string? EncryptedCredentials { get; set; }

    /// <summary>Optimistic concurrency for attach, detach and credential updates; read by the customer store only.</summary>
    [JsonIgnore]
    public long Version { get; set; }
}

public sealed record StoredCard
{
    public required string Brand { get; init; }
    public required string Last4 { get; init; }
    public required int ExpMonth { get; init; }
    public required int ExpYear { get; init; }
    public required string Fingerprint { get; init; }
    public string? Bin { get; init; }
}
