using Microsoft.Extensions.Logging;

namespace PaymentGateway.Providers.Mollie;

/// <summary>The adapter's log messages: ids and statuses only, never bodies, card data or credentials.</summary>
internal static partial class MollieLog
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Mollie {Operation} for {PaymentId} answered HTTP {StatusCode} ({RawStatus}).")]
    public static partial void Answered(ILogger logger, string operation, string paymentId, int statusCode, string? rawStatus);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "Mollie {Operation} for {PaymentId} failed: {Disposition}.")]
    public static partial void Failed(ILogger logger, Exception exception, string operation, string paymentId, string disposition);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "Mollie webhook for account {AccountId} rejected: {Reason}.")]
    public static partial void WebhookRejected(ILogger logger, string accountId, string reason);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Information, Message = "Mollie webhook {EventType} for account {AccountId} accepted.")]
    public static partial void WebhookAccepted(ILogger logger, string? eventType, string accountId);
}
