using Microsoft.Extensions.Logging;

namespace PaymentGateway.Providers.Adyen;

/// <summary>The adapter's log messages: ids and statuses only, never bodies, card data or credentials.</summary>
internal static partial class AdyenLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Adyen {Operation} for {PaymentId} answered HTTP {StatusCode} ({RawStatus}).")]
    public static partial void Answered(ILogger logger, string operation, string paymentId, int statusCode, string? rawStatus);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Adyen {Operation} for {PaymentId} failed: {Disposition}.")]
    public static partial void Failed(ILogger logger, Exception exception, string operation, string paymentId, string disposition);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Adyen webhook for account {AccountId} rejected: {Reason}.")]
    public static partial void WebhookRejected(ILogger logger, string accountId, string reason);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Adyen webhook {EventType} for account {AccountId} accepted.")]
    public static partial void WebhookAccepted(ILogger logger, string? eventType, string accountId);
}
