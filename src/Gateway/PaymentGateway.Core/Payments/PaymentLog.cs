using Microsoft.Extensions.Logging;

namespace PaymentGateway.Core.Payments;

/// <summary>The payment flows' log lines (ids only: never card data, credentials or bodies).</summary>
internal static partial class PaymentLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} gave no definite answer for payment {PaymentId}; left in processing for the reconciler.")]
    public static partial void ProviderUnknown(ILogger logger, string provider, string paymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider account {Failed} did not take payment {PaymentId}; failing over to {Next}.")]
    public static partial void FailOver(ILogger logger, string failed, string next, string paymentId);
}
