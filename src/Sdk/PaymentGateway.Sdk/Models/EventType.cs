using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>The type of an event. Unknown values sent by a newer server are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<EventType>))]
public readonly record struct EventType : IExtensibleValue<EventType>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"payment.created"</c>.</param>
    public EventType(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>A payment was created. Wire value <c>payment.created</c>.</summary>
    public static EventType PaymentCreated { get; } = new("payment.created");

    /// <summary>A payment needs a customer action. Wire value <c>payment.requires_action</c>.</summary>
    public static EventType PaymentRequiresAction { get; } = new("payment.requires_action");

    /// <summary>A payment is processing. Wire value <c>payment.processing</c>.</summary>
    public static EventType PaymentProcessing { get; } = new("payment.processing");

    /// <summary>A payment was authorized and waits for capture. Wire value <c>payment.authorized</c>.</summary>
    public static EventType PaymentAuthorized { get; } = new("payment.authorized");

    /// <summary>A payment succeeded. Wire value <c>payment.succeeded</c>.</summary>
    public static EventType PaymentSucceeded { get; } = new("payment.succeeded");

    /// <summary>A payment failed. Wire value <c>payment.failed</c>.</summary>
    public static EventType PaymentFailed { get; } = new("payment.failed");

    /// <summary>A payment was canceled. Wire value <c>payment.canceled</c>.</summary>
    public static EventType PaymentCanceled { get; } = new("payment.canceled");

    /// <summary>A bank-transfer payment received part of its amount. Wire value <c>payment.partially_funded</c>.</summary>
    public static EventType PaymentPartiallyFunded { get; } = new("payment.partially_funded");

    /// <summary>A settled SEPA Direct Debit was returned by the bank: the payment stays succeeded, see <see cref="DirectDebit.ReturnedAfterSettlement"/>. Wire value <c>payment.direct_debit_returned_after_settlement</c>.</summary>
    public static EventType PaymentDirectDebitReturnedAfterSettlement { get; } = new("payment.direct_debit_returned_after_settlement");

    /// <summary>A refund was created. Wire value <c>refund.created</c>.</summary>
    public static EventType RefundCreated { get; } = new("refund.created");

    /// <summary>A refund succeeded. Wire value <c>refund.succeeded</c>.</summary>
    public static EventType RefundSucceeded { get; } = new("refund.succeeded");

    /// <summary>A refund failed. Wire value <c>refund.failed</c>.</summary>
    public static EventType RefundFailed { get; } = new("refund.failed");

    /// <summary>A webhook endpoint was disabled (on <c>410 Gone</c> or after a long failure streak). Wire value <c>webhook_endpoint.disabled</c>.</summary>
    public static EventType WebhookEndpointDisabled { get; } = new("webhook_endpoint.disabled");

    /// <summary>A dispute was opened on a payment (an inquiry, a chargeback). Wire value <c>dispute.created</c>.</summary>
    public static EventType DisputeCreated { get; } = new("dispute.created");

    /// <summary>A dispute changed (status, amount, reason, deadline, evidence). Wire value <c>dispute.updated</c>.</summary>
    public static EventType DisputeUpdated { get; } = new("dispute.updated");

    /// <summary>A dispute was closed: won, lost, accepted, or an inquiry closed. Wire value <c>dispute.closed</c>.</summary>
    public static EventType DisputeClosed { get; } = new("dispute.closed");

    /// <summary>The provider took money back for a dispute. Wire value <c>dispute.funds_withdrawn</c>.</summary>
    public static EventType DisputeFundsWithdrawn { get; } = new("dispute.funds_withdrawn");

    /// <summary>The provider gave money back for a dispute. Wire value <c>dispute.funds_reinstated</c>.</summary>
    public static EventType DisputeFundsReinstated { get; } = new("dispute.funds_reinstated");

    /// <summary>A dispute's evidence is due within a configured time (once per threshold). Wire value <c>dispute.evidence_due_soon</c>.</summary>
    public static EventType DisputeEvidenceDueSoon { get; } = new("dispute.evidence_due_soon");
    /// <summary>An off-session payment needs the customer to authenticate; it waits in <c>requires_confirmation</c>. Wire value <c>payment.authentication_required</c>.</summary>
    public static EventType PaymentAuthenticationRequired { get; } = new("payment.authentication_required");

    /// <summary>A customer was created. Wire value <c>customer.created</c>.</summary>
    public static EventType CustomerCreated { get; } = new("customer.created");

    /// <summary>A customer was updated. Wire value <c>customer.updated</c>.</summary>
    public static EventType CustomerUpdated { get; } = new("customer.updated");

    /// <summary>A customer was deleted (its saved cards are erased). Wire value <c>customer.deleted</c>.</summary>
    public static EventType CustomerDeleted { get; } = new("customer.deleted");

    /// <summary>A payment method was saved for a customer. Wire value <c>payment_method.attached</c>.</summary>
    public static EventType PaymentMethodAttached { get; } = new("payment_method.attached");

    /// <summary>A saved payment method was detached and its card erased. Wire value <c>payment_method.detached</c>.</summary>
    public static EventType PaymentMethodDetached { get; } = new("payment_method.detached");

    /// <summary>A saved payment method changed (new expiry, saved for off-session use). Wire value <c>payment_method.updated</c>.</summary>
    public static EventType PaymentMethodUpdated { get; } = new("payment_method.updated");

    /// <summary>A saved card expires soon (a configurable number of days before the end of its expiry month). Wire value <c>payment_method.expiring</c>.</summary>
    public static EventType PaymentMethodExpiring { get; } = new("payment_method.expiring");

    /// <summary>An API key was created (the event carries its hint, never the secret). Wire value <c>api_key.created</c>.</summary>
    public static EventType ApiKeyCreated { get; } = new("api_key.created");

    /// <summary>An API key was rolled: a new key replaces it and it expires after the chosen overlap. Wire value <c>api_key.rolled</c>.</summary>
    public static EventType ApiKeyRolled { get; } = new("api_key.rolled");

    /// <summary>An API key was revoked and no longer authenticates. Wire value <c>api_key.revoked</c>.</summary>
    public static EventType ApiKeyRevoked { get; } = new("api_key.revoked");

    /// <summary>
    /// Every event type: the wildcard <c>*</c>, valid only in a webhook endpoint's <c>enabled_events</c>
    /// (<see cref="CreateWebhookEndpointRequest.EnabledEvents"/>), never the type of an event.
    /// </summary>
    public static EventType All { get; } = new("*");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator EventType(string value) => new(value);

    static EventType IExtensibleValue<EventType>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
