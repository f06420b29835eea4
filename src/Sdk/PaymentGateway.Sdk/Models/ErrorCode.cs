using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>A stable error <c>code</c> from an error response. The server may add codes; unknown codes are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<ErrorCode>))]
public readonly record struct ErrorCode : IExtensibleValue<ErrorCode>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"invalid_json"</c>.</param>
    public ErrorCode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The request body is not valid JSON. Wire value <c>invalid_json</c>.</summary>
    public static ErrorCode InvalidJson { get; } = new("invalid_json");

    /// <summary>A required parameter is missing (see <c>Param</c>). Wire value <c>parameter_missing</c>.</summary>
    public static ErrorCode ParameterMissing { get; } = new("parameter_missing");

    /// <summary>A parameter has an invalid value (see <c>Param</c>). Wire value <c>parameter_invalid</c>.</summary>
    public static ErrorCode ParameterInvalid { get; } = new("parameter_invalid");

    /// <summary>The request contains a parameter the API does not know. Wire value <c>parameter_unknown</c>.</summary>
    public static ErrorCode ParameterUnknown { get; } = new("parameter_unknown");

    /// <summary>The amount is zero, negative or not an integer. Wire value <c>amount_invalid</c>.</summary>
    public static ErrorCode AmountInvalid { get; } = new("amount_invalid");

    /// <summary>The amount exceeds the configured maximum. Wire value <c>amount_too_large</c>.</summary>
    public static ErrorCode AmountTooLarge { get; } = new("amount_too_large");

    /// <summary>The currency is not supported. Wire value <c>currency_unsupported</c>.</summary>
    public static ErrorCode CurrencyUnsupported { get; } = new("currency_unsupported");

    /// <summary>The currency does not match the related object. Wire value <c>currency_mismatch</c>.</summary>
    public static ErrorCode CurrencyMismatch { get; } = new("currency_mismatch");

    /// <summary>The card number is invalid. Wire value <c>card_number_invalid</c>.</summary>
    public static ErrorCode CardNumberInvalid { get; } = new("card_number_invalid");

    /// <summary>The card has expired. Wire value <c>card_expired</c>.</summary>
    public static ErrorCode CardExpired { get; } = new("card_expired");

    /// <summary>The CVC is invalid. Wire value <c>cvc_invalid</c>.</summary>
    public static ErrorCode CvcInvalid { get; } = new("cvc_invalid");

    /// <summary>The object does not exist. Wire value <c>resource_missing</c>.</summary>
    public static ErrorCode ResourceMissing { get; } = new("resource_missing");

    /// <summary>The URL does not match any API route. Wire value <c>route_not_found</c>.</summary>
    public static ErrorCode RouteNotFound { get; } = new("route_not_found");

    /// <summary>No API key was sent. Wire value <c>authentication_required</c>.</summary>
    public static ErrorCode AuthenticationRequired { get; } = new("authentication_required");

    /// <summary>The API key is invalid or revoked. Wire value <c>api_key_invalid</c>.</summary>
    public static ErrorCode ApiKeyInvalid { get; } = new("api_key_invalid");

    /// <summary>The operation needs a secret key. Wire value <c>secret_key_required</c>.</summary>
    public static ErrorCode SecretKeyRequired { get; } = new("secret_key_required");

    /// <summary>The operation needs a publishable key. Wire value <c>publishable_key_required</c>.</summary>
    public static ErrorCode PublishableKeyRequired { get; } = new("publishable_key_required");

    /// <summary>The operation needs the admin key. Wire value <c>admin_key_required</c>.</summary>
    public static ErrorCode AdminKeyRequired { get; } = new("admin_key_required");

    /// <summary>The payment's state does not allow the operation (HTTP 409). Never retried: repeating the call cannot succeed. Wire value <c>payment_state_conflict</c>.</summary>
    public static ErrorCode PaymentStateConflict { get; } = new("payment_state_conflict");

    /// <summary>The payment needs a payment method. Wire value <c>payment_method_required</c>.</summary>
    public static ErrorCode PaymentMethodRequired { get; } = new("payment_method_required");

    /// <summary>The amount to capture exceeds the capturable amount. Wire value <c>amount_exceeds_capturable</c>.</summary>
    public static ErrorCode AmountExceedsCapturable { get; } = new("amount_exceeds_capturable");

    /// <summary>The refund amount exceeds what can still be refunded. Wire value <c>amount_exceeds_refundable</c>.</summary>
    public static ErrorCode AmountExceedsRefundable { get; } = new("amount_exceeds_refundable");

    /// <summary>The idempotency key was used with a different request body (HTTP 422). Wire value <c>idempotency_key_reused</c>.</summary>
    public static ErrorCode IdempotencyKeyReused { get; } = new("idempotency_key_reused");

    /// <summary>A request with the same idempotency key is still running (HTTP 409). Retried by the SDK. Wire value <c>idempotency_key_in_use</c>.</summary>
    public static ErrorCode IdempotencyKeyInUse { get; } = new("idempotency_key_in_use");

    /// <summary>The idempotency key is empty or longer than 255 characters. Wire value <c>idempotency_key_invalid</c>.</summary>
    public static ErrorCode IdempotencyKeyInvalid { get; } = new("idempotency_key_invalid");

    /// <summary>The card was declined (HTTP 402); see <c>DeclineCode</c> and <c>Payment</c>. Wire value <c>card_declined</c>.</summary>
    public static ErrorCode CardDeclined { get; } = new("card_declined");

    /// <summary>The request body is too large. Wire value <c>request_too_large</c>.</summary>
    public static ErrorCode RequestTooLarge { get; } = new("request_too_large");

    /// <summary>The request content type is not JSON. Wire value <c>unsupported_media_type</c>.</summary>
    public static ErrorCode UnsupportedMediaType { get; } = new("unsupported_media_type");

    /// <summary>The HTTP method is not allowed on this route. Wire value <c>method_not_allowed</c>.</summary>
    public static ErrorCode MethodNotAllowed { get; } = new("method_not_allowed");

    /// <summary>The payment provider is unavailable (HTTP 503). Retried by the SDK. Wire value <c>provider_unavailable</c>.</summary>
    public static ErrorCode ProviderUnavailable { get; } = new("provider_unavailable");

    /// <summary>No provider is configured for the request. Wire value <c>provider_not_configured</c>.</summary>
    public static ErrorCode ProviderNotConfigured { get; } = new("provider_not_configured");

    /// <summary>The object was changed concurrently (HTTP 409); a transient conflict, retried by the SDK. Wire value <c>concurrent_update</c>.</summary>
    public static ErrorCode ConcurrentUpdate { get; } = new("concurrent_update");

    /// <summary>An unexpected server error. Wire value <c>internal_error</c>.</summary>
    public static ErrorCode InternalError { get; } = new("internal_error");

    /// <summary>A webhook endpoint URL is not an absolute http(s) URL. Wire value <c>url_invalid</c>.</summary>
    public static ErrorCode UrlInvalid { get; } = new("url_invalid");

    /// <summary>A webhook endpoint URL resolves to a loopback, private or otherwise internal address. Wire value <c>url_not_allowed</c>.</summary>
    public static ErrorCode UrlNotAllowed { get; } = new("url_not_allowed");

    /// <summary>An event type in <c>enabled_events</c> is not one the gateway emits. Wire value <c>event_type_unknown</c>.</summary>
    public static ErrorCode EventTypeUnknown { get; } = new("event_type_unknown");

    /// <summary>The webhook endpoint is disabled; enable it first. Wire value <c>webhook_endpoint_disabled</c>.</summary>
    public static ErrorCode WebhookEndpointDisabled { get; } = new("webhook_endpoint_disabled");

    /// <summary>The IBAN failed its length or check-digit test. Wire value <c>iban_invalid</c>.</summary>
    public static ErrorCode IbanInvalid { get; } = new("iban_invalid");

    /// <summary>The BIC is not 8 or 11 characters of the ISO 9362 shape. Wire value <c>bic_invalid</c>.</summary>
    public static ErrorCode BicInvalid { get; } = new("bic_invalid");

    /// <summary>No collection account is configured for bank transfers. Wire value <c>bank_transfer_not_configured</c>.</summary>
    public static ErrorCode BankTransferNotConfigured { get; } = new("bank_transfer_not_configured");

    /// <summary>The payment cannot be refunded through the gateway (a bank transfer is paid back by the merchant's bank). Wire value <c>refund_not_supported</c>.</summary>
    public static ErrorCode RefundNotSupported { get; } = new("refund_not_supported");

    /// <summary>The provider that collects a bank transfer reports it failed. Wire value <c>bank_transfer_failed</c>.</summary>
    public static ErrorCode BankTransferFailed { get; } = new("bank_transfer_failed");

    /// <summary>A routing rule names a provider account whose adapter cannot take that payment method. Wire value <c>provider_method_unsupported</c>.</summary>
    public static ErrorCode ProviderMethodUnsupported { get; } = new("provider_method_unsupported");

    /// <summary>The bank statement is malformed or contains a DTD. Wire value <c>statement_invalid</c>.</summary>
    public static ErrorCode StatementInvalid { get; } = new("statement_invalid");

    /// <summary>The bank statement is not a supported camt.053 version. Wire value <c>statement_unsupported</c>.</summary>
    public static ErrorCode StatementUnsupported { get; } = new("statement_unsupported");

    /// <summary>The bank statement is larger than the gateway accepts. Wire value <c>statement_too_large</c>.</summary>
    public static ErrorCode StatementTooLarge { get; } = new("statement_too_large");

    /// <summary>Only unmatched statement entries can be matched. Wire value <c>bank_entry_not_matchable</c>.</summary>
    public static ErrorCode BankEntryNotMatchable { get; } = new("bank_entry_not_matchable");

    /// <summary>The SEPA mandate reference is not 1-35 characters of the allowed set. Wire value <c>mandate_reference_invalid</c>.</summary>
    public static ErrorCode MandateReferenceInvalid { get; } = new("mandate_reference_invalid");

    /// <summary>Another mandate of the merchant already has this reference. Wire value <c>mandate_reference_taken</c>.</summary>
    public static ErrorCode MandateReferenceTaken { get; } = new("mandate_reference_taken");

    /// <summary>Direct debits need a SEPA creditor identifier in the gateway's configuration. Wire value <c>direct_debit_not_configured</c>.</summary>
    public static ErrorCode DirectDebitNotConfigured { get; } = new("direct_debit_not_configured");

    /// <summary>The debtor's bank returned the direct debit; <c>decline_code</c> is the SEPA reason code (AC04, MD06, AM04, ...). Wire value <c>direct_debit_returned</c>.</summary>
    public static ErrorCode DirectDebitReturned { get; } = new("direct_debit_returned");

    /// <summary>The dispute's status does not allow the operation (for example accepting a closed dispute). Wire value <c>dispute_state_conflict</c>.</summary>
    public static ErrorCode DisputeStateConflict { get; } = new("dispute_state_conflict");

    /// <summary>Evidence for the dispute's current stage was already submitted (or the dispute already accepted). Wire value <c>dispute_already_submitted</c>.</summary>
    public static ErrorCode DisputeAlreadySubmitted { get; } = new("dispute_already_submitted");

    /// <summary>The dispute's evidence was due earlier; the provider no longer takes it. Wire value <c>dispute_evidence_deadline_passed</c>.</summary>
    public static ErrorCode DisputeEvidenceDeadlinePassed { get; } = new("dispute_evidence_deadline_passed");

    /// <summary>The dispute's provider takes responses only in its own dashboard. Wire value <c>dispute_response_unsupported</c>.</summary>
    public static ErrorCode DisputeResponseUnsupported { get; } = new("dispute_response_unsupported");

    /// <summary>The provider refused the evidence or the acceptance (see the message). Wire value <c>dispute_response_rejected</c>.</summary>
    public static ErrorCode DisputeResponseRejected { get; } = new("dispute_response_rejected");

    /// <summary>The evidence file is empty, not a PDF, PNG or JPEG, not what its Content-Type says, or a PDF with active content. Wire value <c>evidence_file_invalid</c>.</summary>
    public static ErrorCode EvidenceFileInvalid { get; } = new("evidence_file_invalid");

    /// <summary>The evidence file is larger than the limit (5 MB by default). Wire value <c>evidence_file_too_large</c>.</summary>
    public static ErrorCode EvidenceFileTooLarge { get; } = new("evidence_file_too_large");

    /// <summary>The dispute already has as many evidence files as it keeps. Wire value <c>evidence_file_limit_reached</c>.</summary>
    public static ErrorCode EvidenceFileLimitReached { get; } = new("evidence_file_limit_reached");
    /// <summary>The customer was deleted; its saved cards are erased and it cannot be charged (HTTP 422). Wire value <c>customer_deleted</c>.</summary>
    public static ErrorCode CustomerDeleted { get; } = new("customer_deleted");

    /// <summary>The payment method was detached (or its customer deleted): its card is erased (HTTP 422). Wire value <c>payment_method_detached</c>.</summary>
    public static ErrorCode PaymentMethodDetached { get; } = new("payment_method_detached");

    /// <summary>The payment method is saved for another customer (HTTP 422). Wire value <c>payment_method_customer_mismatch</c>.</summary>
    public static ErrorCode PaymentMethodCustomerMismatch { get; } = new("payment_method_customer_mismatch");

    /// <summary>The payment method was not saved for off-session use by this customer (HTTP 422). Wire value <c>off_session_not_allowed</c>.</summary>
    public static ErrorCode OffSessionNotAllowed { get; } = new("off_session_not_allowed");

    /// <summary>
    /// The issuer wants the customer to authenticate (HTTP 402): the payment waits in <c>requires_confirmation</c>; bring the
    /// customer back and confirm it with <c>OffSession = false</c>. Wire value <c>card_authentication_required</c>.
    /// </summary>
    public static ErrorCode CardAuthenticationRequired { get; } = new("card_authentication_required");

    /// <summary>No provider account of the route can save cards or charge this saved card off session (HTTP 422). Wire value <c>stored_credentials_unsupported</c>.</summary>
    public static ErrorCode StoredCredentialsUnsupported { get; } = new("stored_credentials_unsupported");

    /// <summary>The signed-in console user's role does not allow the action (the back office; never returned to API keys). Wire value <c>console_permission_denied</c>.</summary>
    public static ErrorCode ConsolePermissionDenied { get; } = new("console_permission_denied");

    /// <summary>The API key was revoked, so it cannot be rolled (HTTP 409; create a new key). Wire value <c>api_key_revoked</c>.</summary>
    public static ErrorCode ApiKeyRevoked { get; } = new("api_key_revoked");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator ErrorCode(string value) => new(value);

    static ErrorCode IExtensibleValue<ErrorCode>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
