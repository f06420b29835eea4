using Microsoft.Extensions.Logging;

namespace PaymentGateway.Providers.Http;

/// <summary>Every HTTP adapter's log messages: ids and statuses only, never bodies, card data or credentials.</summary>
internal static partial class ProviderHttpLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "{Provider} {Operation} for {PaymentId} answered HTTP {StatusCode} ({RawStatus}).")]
    public static partial void Answered(ILogger logger, string provider, string operation, string paymentId, int statusCode, string? rawStatus);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Provider} {Operation} for {PaymentId} failed: {Disposition}.")]
    public static partial void Failed(ILogger logger, Exception exception, string provider, string operation, string paymentId, string disposition);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "{Provider} webhook for account {AccountId} rejected: {Reason}.")]
    public static partial void WebhookRejected(ILogger logger, string provider, string accountId, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "{Provider} webhook {EventType} for account {AccountId} accepted.")]
    public static partial void WebhookAccepted(ILogger logger, string provider, string? eventType, string accountId);
}
