using PaymentGateway.Providers;

namespace PaymentGateway.Core.Disputes.Mapping;

/// <summary>
/// Each provider's dispute vocabulary mapped to the gateway's, as pure functions (one class per provider, table-tested
/// in <c>ProviderDisputeMappingTests</c>; the tables are in docs/disputes.md). An adapter only copies the provider's
/// codes into a <see cref="DisputeNotification"/>. Providers without a table of their own (the simulator, a new adapter)
/// use the gateway's own status names (<see cref="GatewayDisputeMapping"/>).
/// </summary>
public static class ProviderDisputeMapping
{
    /// <summary>What the notification means, or null when it is not about a dispute the gateway tracks (Adyen <c>NOTIFICATION_OF_FRAUD</c>).</summary>
    public static DisputeMove? Move(string providerId, DisputeNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return providerId switch
        {
            "stripe" => StripeDisputeMapping.Move(notification.EventCode, notification.ProviderStatus),
            "adyen" => AdyenDisputeMapping.Move(notification.EventCode, notification.ProviderStatus),
            "checkoutcom" => CheckoutComDisputeMapping.Move(notification.EventCode, notification.ProviderStatus),
            "mollie" => MollieDisputeMapping.Move(notification.EventCode, notification.ProviderStatus),
            _ => GatewayDisputeMapping.Move(notification.EventCode, notification.ProviderStatus),
        };
    }

    /// <summary>The normalized reason for the provider's code (<see cref="DisputeReason.General"/> when unknown).</summary>
    public static DisputeReason Reason(string providerId, string? reasonCode, string? scheme) => providerId switch
    {
        "stripe" => StripeDisputeMapping.Reason(reasonCode),
        "adyen" => CardNetworkReasonCodes.Reason(scheme, reasonCode),
        "checkoutcom" => CheckoutComDisputeMapping.Reason(reasonCode, scheme),
        "mollie" => MollieDisputeMapping.Reason(reasonCode, scheme),
        _ => DisputeReasonNames.FromWire(reasonCode) ?? DisputeReason.General,
    };
}
