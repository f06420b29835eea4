using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Api;

// The public API's objects and requests. REST serializes these as snake_case JSON; gRPC maps them field by field.

public sealed record PaymentResource
{
    public required string Id { get; init; }
    public string Object => "payment";
    public required bool Livemode { get; init; }
    public required string Status { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required long AmountCapturable { get; init; }
    public required long AmountReceived { get; init; }
    public required long AmountRefunded { get; init; }

    /// <summary>What the payment's disputes hold back from refunds or took (docs/disputes.md).</summary>
    public required long AmountDisputed { get; init; }

    /// <summary>The payment's disputes (<c>dp_…</c>), oldest first.</summary>
    public required IReadOnlyList<string> Disputes { get; init; }
    public required string CaptureMethod { get; init; }
    public string? PaymentMethod { get; init; }
    public string? Customer { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public string? ReturnUrl { get; init; }
    public string? Provider { get; init; }

    /// <summary>Which routing rule chose which provider account, the ordered candidates, and each attempt's account (null when not routed).</summary>
    public PaymentRoutingResource? Routing { get; init; }
    public NextActionResource? NextAction { get; init; }
    public PaymentErrorResource? LastPaymentError { get; init; }
    public DateTimeOffset? CanceledAt { get; init; }
    public string? CancellationReason { get; init; }
    public string? PaymentMethodType { get; init; }
    public BankTransferResource? BankTransfer { get; init; }
    public DirectDebitResource? DirectDebit { get; init; }

    /// <summary><c>payment</c>, or <c>setup</c> for a zero-amount verification that saves the card (docs/saved-cards.md).</summary>
    public string Mode { get; init; } = "payment";

    /// <summary><c>on_session</c> or <c>off_session</c> when the card is saved for <see cref="Customer"/> once authorized.</summary>
    public string? SetupFutureUsage { get; init; }

    /// <summary>True for a merchant-initiated payment on a saved card (no customer present).</summary>
    public bool OffSession { get; init; }

    /// <summary>For an off-session payment: <c>recurring</c>, <c>unscheduled</c> or <c>instalment</c>.</summary>
    public string? MitType { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

public sealed record NextActionResource
{
    public required string Type { get; init; }
    public RedirectToUrlResource? RedirectToUrl { get; init; }
    public BankTransferInstructionsResource? BankTransferInstructions { get; init; }
}

public sealed record RedirectToUrlResource
{
    public required string Url { get; init; }
    public string? ReturnUrl { get; init; }
}

public sealed record PaymentErrorResource
{
    public required string Code { get; init; }
    public string? DeclineCode { get; init; }
    public required string Message { get; init; }
}

public sealed record RefundResource
{
    public required string Id { get; init; }
    public string Object => "refund";
    public required bool Livemode { get; init; }
    public required string Payment { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public string? FailureReason { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

public sealed record PaymentMethodResource
{
    public required string Id { get; init; }
    public string Object => "payment_method";
    public required bool Livemode { get; init; }
    public required string Type { get; init; }
    public CardResource? Card { get; init; }
    public SepaDebitResource? SepaDebit { get; init; }
    public string? HolderName { get; init; }

    /// <summary>The customer (<c>cus_…</c>) the method is saved for; null when not attached.</summary>
    public string? Customer { get; init; }

    /// <summary>What the saved method may be used for: <c>on_session</c> or <c>off_session</c>; null when not attached.</summary>
    public string? Usage { get; init; }

    /// <summary>When it was detached: its card number is erased and it can no longer be charged.</summary>
    public DateTimeOffset? DetachedAt { get; init; }
    public required DateTimeOffset Created { get; init; }
}

public sealed record CardResource
{
    public required string Brand { get; init; }
    public required string Last4 { get; init; }
    public required int ExpMonth { get; init; }
    public required int ExpYear { get; init; }
    public required string Fingerprint { get; init; }
}

public sealed record EventResource
{
    public required string Id { get; init; }
    public string Object => "event";
    public required bool Livemode { get; init; }
    public required string Type { get; init; }
    public required System.Text.Json.JsonElement Data { get; init; }
    public required DateTimeOffset Created { get; init; }
}

/// <summary>One finished API request of the merchant, as the live request log (<c>pgw logs tail</c>) streams it.</summary>
public sealed record RequestLogResource
{
    public required string Id { get; init; }
    public string Object => "request_log";
    public required bool Livemode { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required string Transport { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required int Status { get; init; }
    public required string? GrpcStatus { get; init; }
    public required double DurationMs { get; init; }
}

public sealed record MerchantResource
{
    public required string Id { get; init; }
    public string Object => "merchant";
    public required string Name { get; init; }
    public required DateTimeOffset Created { get; init; }
}

/// <summary>An API key. <see cref="Secret"/> is present only in the response that created it.</summary>
public sealed record ApiKeyResource
{
    public required string Id { get; init; }
    public string Object => "api_key";
    public required string Merchant { get; init; }
    public required string Type { get; init; }
    public required bool Livemode { get; init; }
    public required string Hint { get; init; }
    public string? Secret { get; init; }
    public required DateTimeOffset Created { get; init; }

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c> when the response was made.</summary>
    public string Status { get; init; } = "active";
    public string? Name { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>When the key last authenticated a request, to the minute.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The key a roll made to replace this one.</summary>
    public string? ReplacedBy { get; init; }

    /// <summary>The key this one was rolled from.</summary>
    public string? RolledFrom { get; init; }
}

/// <summary>A named admin key (issue 21). <see cref="Secret"/> is present only in the response that created it.</summary>
public sealed record AdminKeyResource
{
    public required string Id { get; init; }
    public string Object => "admin_key";
    public required string Name { get; init; }
    public required string Hint { get; init; }
    public string? Secret { get; init; }
    public required DateTimeOffset Created { get; init; }

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c> when the response was made.</summary>
    public string Status { get; init; } = "active";
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>When the key last authenticated a request, to the minute.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The key a roll made to replace this one.</summary>
    public string? ReplacedBy { get; init; }

    /// <summary>The key this one was rolled from.</summary>
    public string? RolledFrom { get; init; }
}

public sealed record ListResource<T>
{
    public string Object => "list";
    public required IReadOnlyList<T> Data { get; init; }
    public required bool HasMore { get; init; }
}

// ---- requests ----

public sealed record CreatePaymentRequest
{
    [Required]
    public long? Amount { get; init; }
    [Required]
    public string? Currency { get; init; }
    public string? CaptureMethod { get; init; }
    public string? PaymentMethod { get; init; }
    public bool? Confirm { get; init; }
    public string? Customer { get; init; }
    public string? Description { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
    public string? ReturnUrl { get; init; }
    public string? Provider { get; init; }
    public string? PaymentMethodType { get; init; }

    /// <summary>The mandate (<c>mdt_…</c>) of a <c>sepa_debit</c> payment.</summary>
    public string? Mandate { get; init; }

    /// <summary><c>payment</c> (default) or <c>setup</c>: verify the card without charging it and save it for the customer.</summary>
    public string? Mode { get; init; }

    /// <summary><c>on_session</c> or <c>off_session</c>: save the card for <see cref="Customer"/> when the payment is authorized.</summary>
    public string? SetupFutureUsage { get; init; }

    /// <summary>True: charge a card saved for off-session use without the customer (merchant-initiated).</summary>
    public bool? OffSession { get; init; }

    /// <summary>With <see cref="OffSession"/>: <c>recurring</c>, <c>unscheduled</c> (default) or <c>instalment</c>.</summary>
    public string? MitType { get; init; }
}

public sealed record ConfirmPaymentRequest
{
    public string? PaymentMethod { get; init; }
    public string? ReturnUrl { get; init; }

    /// <summary>False to bring an off-session payment back on session (the customer is present and can authenticate).</summary>
    public bool? OffSession { get; init; }
}

public sealed record CapturePaymentRequest
{
    public long? AmountToCapture { get; init; }
}

public sealed record CancelPaymentRequest
{
    public string? CancellationReason { get; init; }
}

public sealed record CreateRefundRequest
{
    [Required]
    public string? Payment { get; init; }
    public long? Amount { get; init; }
    public string? Reason { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
}

public sealed record CreatePaymentMethodRequest
{
    public string? Type { get; init; }
    public CardDetailsRequest? Card { get; init; }
    public SepaDebitDetailsRequest? SepaDebit { get; init; }
    public string? HolderName { get; init; }

    // Flat card fields, as DESIGN.md lists them, are accepted too.
    public string? Number { get; init; }
    public int? ExpMonth { get; init; }
    public int? ExpYear { get; init; }
    public string? Cvc { get; init; }
}

public sealed record CardDetailsRequest
{
    public string? Number { get; init; }
    public int? ExpMonth { get; init; }
    public int? ExpYear { get; init; }
    public string? Cvc { get; init; }
}

public sealed record CreateMerchantRequest
{
    [Required]
    public string? Name { get; init; }
}

public sealed record CreateApiKeyRequest
{
    [Required]
    public string? Type { get; init; }
    public bool? Livemode { get; init; }

    /// <summary>A label (what uses the key), at most 100 characters.</summary>
    public string? Name { get; init; }

    /// <summary>When the key stops working; in the future, at most 5 years ahead. None: until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

public sealed record CreateAdminKeyRequest
{
    /// <summary>Who or what uses the key (a person, a deploy pipeline), at most 100 characters.</summary>
    [Required]
    public string? Name { get; init; }

    /// <summary>When the key stops working; in the future, at most 5 years ahead. None: until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>Roll a key: a new key replaces it, and the old one keeps working for the overlap.</summary>
public sealed record RollApiKeyRequest
{
    /// <summary>How long the old key keeps working, 0 (stops now) to 604800 (7 days); default 86400 (24 hours).</summary>
    public long? OverlapSeconds { get; init; }
}

/// <summary>The body of every error response (RFC 9457 plus the gateway's fields).</summary>
public sealed record ProblemResource
{
    public required string Type { get; init; }
    public required string Title { get; init; }
    public required int Status { get; init; }
    public required string Detail { get; init; }
    public required string Code { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Param { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeclineCode { get; init; }
    public string? RequestId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PaymentResource? Payment { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(PaymentResource))]
[JsonSerializable(typeof(RefundResource))]
[JsonSerializable(typeof(PaymentMethodResource))]
[JsonSerializable(typeof(EventResource))]
[JsonSerializable(typeof(RequestLogResource))]
[JsonSerializable(typeof(MerchantResource))]
[JsonSerializable(typeof(ApiKeyResource))]
[JsonSerializable(typeof(ListResource<PaymentResource>))]
[JsonSerializable(typeof(ListResource<RefundResource>))]
[JsonSerializable(typeof(ListResource<EventResource>))]
[JsonSerializable(typeof(ListResource<MerchantResource>))]
[JsonSerializable(typeof(CreatePaymentRequest))]
[JsonSerializable(typeof(ConfirmPaymentRequest))]
[JsonSerializable(typeof(CapturePaymentRequest))]
[JsonSerializable(typeof(CancelPaymentRequest))]
[JsonSerializable(typeof(CreateRefundRequest))]
[JsonSerializable(typeof(CreatePaymentMethodRequest))]
[JsonSerializable(typeof(CreateMerchantRequest))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(RollApiKeyRequest))]
[JsonSerializable(typeof(ListResource<ApiKeyResource>))]
[JsonSerializable(typeof(AdminKeyResource))]
[JsonSerializable(typeof(CreateAdminKeyRequest))]
[JsonSerializable(typeof(ListResource<AdminKeyResource>))]
[JsonSerializable(typeof(ProblemResource))]
[JsonSerializable(typeof(WebhookEndpointResource))]
[JsonSerializable(typeof(ListResource<WebhookEndpointResource>))]
[JsonSerializable(typeof(WebhookDeliveryResource))]
[JsonSerializable(typeof(ListResource<WebhookDeliveryResource>))]
[JsonSerializable(typeof(DeletedResource))]
[JsonSerializable(typeof(CreateWebhookEndpointRequest))]
[JsonSerializable(typeof(UpdateWebhookEndpointRequest))]
[JsonSerializable(typeof(RotateWebhookSecretRequest))]
[JsonSerializable(typeof(RedeliverEventRequest))]
[JsonSerializable(typeof(CheckoutSessionResource))]
[JsonSerializable(typeof(CreateCheckoutSessionRequest))]
[JsonSerializable(typeof(CheckoutPayRequest))]
[JsonSerializable(typeof(BankStatementResource))]
[JsonSerializable(typeof(BankStatementEntryResource))]
[JsonSerializable(typeof(ListResource<BankStatementResource>))]
[JsonSerializable(typeof(ListResource<BankStatementEntryResource>))]
[JsonSerializable(typeof(MatchBankStatementEntryRequest))]
[JsonSerializable(typeof(CreateMandateRequest))]
[JsonSerializable(typeof(MandateResource))]
[JsonSerializable(typeof(ListResource<MandateResource>))]
[JsonSerializable(typeof(DirectDebitBatchResource))]
[JsonSerializable(typeof(ListResource<DirectDebitBatchResource>))]
[JsonSerializable(typeof(DisputeResource))]
[JsonSerializable(typeof(ListResource<DisputeResource>))]
[JsonSerializable(typeof(DisputeEvidenceResource))]
[JsonSerializable(typeof(DisputeEvidenceFileResource))]
[JsonSerializable(typeof(CustomerResource))]
[JsonSerializable(typeof(ListResource<CustomerResource>))]
[JsonSerializable(typeof(ListResource<PaymentMethodResource>))]
[JsonSerializable(typeof(CreateCustomerRequest))]
[JsonSerializable(typeof(UpdateCustomerRequest))]
[JsonSerializable(typeof(AttachPaymentMethodRequest))]
[JsonSerializable(typeof(UpdatePaymentMethodRequest))]
// Reports (issue 23): Api/ReportResources.cs, Api/SettlementResources.cs
[JsonSerializable(typeof(PaymentsReportResource))]
[JsonSerializable(typeof(DeclineReasonsReportResource))]
[JsonSerializable(typeof(ReportSettingsResource))]
[JsonSerializable(typeof(UpdateReportSettingsRequest))]
[JsonSerializable(typeof(ExportResource))]
[JsonSerializable(typeof(CreateExportRequest))]
[JsonSerializable(typeof(ListResource<ExportResource>))]
[JsonSerializable(typeof(SettlementLineResource))]
[JsonSerializable(typeof(SettlementPayoutResource))]
[JsonSerializable(typeof(SettlementImportResource))]
[JsonSerializable(typeof(FetchSettlementsRequest))]
[JsonSerializable(typeof(ListResource<SettlementLineResource>))]
[JsonSerializable(typeof(ListResource<SettlementPayoutResource>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
