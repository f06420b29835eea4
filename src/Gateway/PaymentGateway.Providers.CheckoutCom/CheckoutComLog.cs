using Microsoft.Extensions.Logging;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>The adapter's log messages: ids and statuses only, never bodies, card data or credentials.</summary>
internal static partial class CheckoutComLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Checkout.com {Operation} for {PaymentId} answered HTTP {StatusCode} ({RawStatus}).")]
    public static partial void Answered(ILogger logger, string operation, string paymentId, int statusCode, string? rawStatus);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Checkout.com {Operation} for {PaymentId} failed: {Disposition}.")]
    public static partial void Failed(ILogger logger, Exception exception, string operation, string paymentId, string disposition);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Checkout.com webhook for account {AccountId} rejected: {Reason}.")]
    public static partial void WebhookRejected(ILogger logger, string accountId, string reason);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "Checkout.com webhook {EventType} for account {AccountId} accepted.")]
    public static partial void WebhookAccepted(ILogger logger, string? eventType, string accountId);
}
