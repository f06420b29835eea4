using Microsoft.Extensions.Logging;

namespace PaymentGateway.Providers.Stripe;

/// <summary>The adapter's log messages: ids and statuses only, never bodies, card data or credentials.</summary>
internal static partial class StripeLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Stripe {Operation} for {PaymentId} answered HTTP {StatusCode} ({RawStatus}).")]
    public static partial void Answered(ILogger logger, string operation, string paymentId, int statusCode, string? rawStatus);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Stripe {Operation} for {PaymentId} failed: {Disposition}.")]
    public static partial void Failed(ILogger logger, Exception exception, string operation, string paymentId, string disposition);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Stripe webhook for account {AccountId} rejected: {Reason}.")]
    public static partial void WebhookRejected(ILogger logger, string accountId, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Stripe webhook {EventType} for account {AccountId} accepted.")]
    public static partial void WebhookAccepted(ILogger logger, string? eventType, string accountId);
}
