namespace PaymentGateway.Core;

/// <summary>The classes of error; each transport maps a kind to its own status (HTTP status, gRPC code) in one table.</summary>
public enum ErrorKind
{
    InvalidRequest,
    Authentication,
    PermissionDenied,
    NotFound,
    Conflict,
    Unprocessable,
    CardDeclined,
    PayloadTooLarge,
    RateLimited,
    ProviderUnavailable,

    /// <summary>The object existed but is no longer available (an expired export download).</summary>
    Gone,
    Internal,
}

/// <summary>Stable error codes shared by REST and gRPC. Adding one is fine; renaming one breaks merchants.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string ParameterMissing = "parameter_missing";
    public const string ParameterInvalid = "parameter_invalid";
    public const string ParameterUnknown = "parameter_unknown";
    public const string AmountInvalid = "amount_invalid";
    public const string AmountTooLarge = "amount_too_large";
    public const string CurrencyUnsupported = "currency_unsupported";
    public const string CurrencyMismatch = "currency_mismatch";
    public const string CardNumberInvalid = "card_number_invalid";
    public const string CardExpired = "card_expired";
    public const string CvcInvalid = "cvc_invalid";
    public const string ResourceMissing = "resource_missing";
    public const string RouteNotFound = "route_not_found";
    public const string AuthenticationRequired = "authentication_required";
    public const string ApiKeyInvalid = "api_key_invalid";
    public const string SecretKeyRequired = "secret_key_required";
    public const string PublishableKeyRequired = "publishable_key_required";
    public const string AdminKeyRequired = "admin_key_required";
    public const string PaymentStateConflict = "payment_state_conflict";
    public const string PaymentMethodRequired = "payment_method_required";
    public const string AmountExceedsCapturable = "amount_exceeds_capturable";
    public const string AmountExceedsRefundable = "amount_exceeds_refundable";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyKeyInUse = "idempotency_key_in_use";
    public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
    public const string CardDeclined = "card_declined";
    public const string RequestTooLarge = "request_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ProviderUnavailable = "provider_unavailable";
    public const string ProviderNotConfigured = "provider_not_configured";
    public const string ConcurrentUpdate = "concurrent_update";
    public const string InternalError = "internal_error";
    public const string UrlInvalid = "url_invalid";
    public const string UrlNotAllowed = "url_not_allowed";
    public const string EventTypeUnknown = "event_type_unknown";
    public const string WebhookEndpointDisabled = "webhook_endpoint_disabled";
    public const string CheckoutSessionExpired = "checkout_session_expired";
    public const string CheckoutSessionNotOpen = "checkout_session_not_open";
    public const string CheckoutSessionPaymentInProgress = "checkout_session_payment_in_progress";
    public const string CheckoutClientSecretInvalid = "checkout_client_secret_invalid";
    public const string IbanInvalid = "iban_invalid";
    public const string BicInvalid = "bic_invalid";
    public const string BankTransferNotConfigured = "bank_transfer_not_configured";
    public const string RefundNotSupported = "refund_not_supported";
    public const string BankTransferFailed = "bank_transfer_failed";
    public const string ProviderMethodUnsupported = "provider_method_unsupported";
    public const string StatementInvalid = "statement_invalid";
    public const string StatementUnsupported = "statement_unsupported";
    public const string StatementTooLarge = "statement_too_large";
    public const string BankEntryNotMatchable = "bank_entry_not_matchable";
    public const string MandateReferenceInvalid = "mandate_reference_invalid";
    public const string MandateReferenceTaken = "mandate_reference_taken";
    public const string DirectDebitNotConfigured = "direct_debit_not_configured";
    public const string DirectDebitReturned = "direct_debit_returned";
    public const string DisputeStateConflict = "dispute_state_conflict";
    public const string DisputeAlreadySubmitted = "dispute_already_submitted";
    public const string DisputeEvidenceDeadlinePassed = "dispute_evidence_deadline_passed";
    public const string DisputeResponseUnsupported = "dispute_response_unsupported";
    public const string DisputeResponseRejected = "dispute_response_rejected";
    public const string EvidenceFileInvalid = "evidence_file_invalid";
    public const string EvidenceFileTooLarge = "evidence_file_too_large";
    public const string EvidenceFileLimitReached = "evidence_file_limit_reached";
    public const string CustomerDeleted = "customer_deleted";
    public const string PaymentMethodDetached = "payment_method_detached";
    public const string PaymentMethodCustomerMismatch = "payment_method_customer_mismatch";
    public const string OffSessionNotAllowed = "off_session_not_allowed";
    public const string CardAuthenticationRequired = "card_authentication_required";
    public const string StoredCredentialsUnsupported = "stored_credentials_unsupported";
    public const string ReportRangeTooLarge = "report_range_too_large";
    public const string ExportNotReady = "export_not_ready";
    public const string ExportExpired = "export_expired";
    public const string ExportNotCancelable = "export_not_cancelable";
    public const string SettlementFileInvalid = "settlement_file_invalid";
    public const string SettlementSourceUnsupported = "settlement_source_unsupported";
    public const string ConsolePermissionDenied = "console_permission_denied";
    public const string ApiKeyRevoked = "api_key_revoked";
}

/// <summary>An error the API reports to the caller with a stable code. Never carries card data or secrets.</summary>
public sealed class GatewayException(ErrorKind kind, string code, string message, string? param = null) : Exception(message)
{
    public ErrorKind Kind { get; } = kind;

    public string Code { get; } = code;

    public string? Param { get; } = param;

    public string? DeclineCode { get; init; }

    /// <summary>The object the error concerns (a payment after a decline), serialized by the transport.</summary>
    public object? Resource { get; init; }

    public static GatewayException Invalid(string code, string message, string? param = null) =>
        new(ErrorKind.InvalidRequest, code, message, param);

    public static GatewayException Missing(string param) =>
        new(ErrorKind.InvalidRequest, ErrorCodes.ParameterMissing, $"Missing required parameter: {param}.", param);

    public static GatewayException NotFound(string what, string id) =>
        new(ErrorKind.NotFound, ErrorCodes.ResourceMissing, $"No such {what}: '{Truncate(id)}'.", "id");

    public static GatewayException StateConflict(string message) =>
        new(ErrorKind.Conflict, ErrorCodes.PaymentStateConflict, message);

    private static string Truncate(string value) => value.Length > 64 ? value[..64] + "…" : value;
}
