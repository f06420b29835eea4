namespace PaymentGateway.Core.Events;

/// <summary>One state change, written in the same transaction as the change itself (the outbox for webhooks).</summary>
public sealed class GatewayEvent
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string Type { get; init; }
    public required string ObjectId { get; init; }
    public required DateTimeOffset Created { get; init; }

    /// <summary>The object as of the event, as its API JSON.</summary>
    public required string DataJson { get; init; }

    /// <summary>
    /// The resource <see cref="DataJson"/> was serialized from, while the event is in memory (null once read back): a
    /// commit that also answers the request with the same resource sends these bytes instead of serializing it again
    /// (<see cref="Payments.CardAnswer"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public object? Snapshot { get; init; }
}

public static class EventTypes
{
    public const string PaymentCreated = "payment.created";
    public const string PaymentRequiresAction = "payment.requires_action";
    public const string PaymentProcessing = "payment.processing";
    public const string PaymentAuthorized = "payment.authorized";
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
    public const string PaymentCanceled = "payment.canceled";
    public const string PaymentPartiallyFunded = "payment.partially_funded";
    public const string PaymentDirectDebitReturnedAfterSettlement = "payment.direct_debit_returned_after_settlement";
    public const string RefundCreated = "refund.created";
    public const string RefundSucceeded = "refund.succeeded";
    public const string RefundFailed = "refund.failed";
    public const string WebhookEndpointDisabled = "webhook_endpoint.disabled";
    public const string DisputeCreated = "dispute.created";
    public const string DisputeUpdated = "dispute.updated";
    public const string DisputeClosed = "dispute.closed";
    public const string DisputeFundsWithdrawn = "dispute.funds_withdrawn";
    public const string DisputeFundsReinstated = "dispute.funds_reinstated";
    public const string DisputeEvidenceDueSoon = "dispute.evidence_due_soon";
    public const string PaymentAuthenticationRequired = "payment.authentication_required";
    public const string CustomerCreated = "customer.created";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerDeleted = "customer.deleted";
    public const string PaymentMethodAttached = "payment_method.attached";
    public const string PaymentMethodDetached = "payment_method.detached";
    public const string PaymentMethodUpdated = "payment_method.updated";
    public const string PaymentMethodExpiring = "payment_method.expiring";
    public const string PayoutReconciled = "payout.reconciled";
    public const string ReportReady = "report.ready";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRolled = "api_key.rolled";
    public const string ApiKeyRevoked = "api_key.revoked";
}
