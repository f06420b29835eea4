using System.Text.Json;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Events;

/// <summary>Builds events carrying the object's API representation as of the change.</summary>
public static class EventFactory
{
    public static GatewayEvent ForPayment(Payment payment, string type, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var resource = payment.ToResource();
        return new GatewayEvent
        {
            Id = Ids.New(Ids.Event),
            MerchantId = payment.MerchantId,
            Livemode = payment.Livemode,
            Type = type,
            ObjectId = payment.Id,
            Created = at,
            DataJson = JsonSerializer.Serialize(resource, ApiJson.Context.PaymentResource),
            Snapshot = resource,
        };
    }

    public static GatewayEvent ForRefund(Refund refund, string type, DateTimeOffset at) => new()
    {
        Id = Ids.New(Ids.Event),
        MerchantId = refund.MerchantId,
        Livemode = refund.Livemode,
        Type = type,
        ObjectId = refund.Id,
        Created = at,
        DataJson = JsonSerializer.Serialize(refund.ToResource(), ApiJson.Context.RefundResource),
    };

    public static GatewayEvent ForDispute(Disputes.Dispute dispute, string type, DateTimeOffset at) => new()
    {
        Id = Ids.New(Ids.Event),
        MerchantId = dispute.MerchantId,
        Livemode = dispute.Livemode,
        Type = type,
        ObjectId = dispute.Id,
        Created = at,
        DataJson = JsonSerializer.Serialize(dispute.ToResource(), ApiJson.Context.DisputeResource),
    };

    /// <summary>An API key's change, carrying the key as the API shows it (hint only, never the secret).</summary>
    public static GatewayEvent ForApiKey(Merchants.ApiKeyRecord key, string type, DateTimeOffset at) => new()
    {
        Id = Ids.New(Ids.Event),
        MerchantId = key.MerchantId,
        Livemode = key.Livemode,
        Type = type,
        ObjectId = key.Id,
        Created = at,
        DataJson = JsonSerializer.Serialize(key.ToResource(now: at), ApiJson.Context.ApiKeyResource),
    };

    /// <summary>
    /// An admin key's change, carrying the key as the admin API shows it (hint only). Admin keys belong to no merchant:
    /// their events are written under <see cref="Merchants.AdminKeyService.EventScope"/>, which no merchant key can read
    /// and no webhook endpoint receives; the admin API lists them (<c>GET /v1/admin_keys/events</c>).
    /// </summary>
    public static GatewayEvent ForAdminKey(Merchants.AdminKeyRecord key, string type, DateTimeOffset at) => new()
    {
        Id = Ids.New(Ids.Event),
        MerchantId = Merchants.AdminKeyService.EventScope,
        Livemode = false,
        Type = type,
        ObjectId = key.Id,
        Created = at,
        DataJson = JsonSerializer.Serialize(key.ToResource(now: at), ApiJson.Context.AdminKeyResource),
    };

    /// <summary>The event type for entering <paramref name="status"/>, or null for statuses that emit none.</summary>
    public static string? PaymentEventFor(PaymentStatus status) => status switch
    {
        PaymentStatus.RequiresAction => EventTypes.PaymentRequiresAction,
        PaymentStatus.Processing => EventTypes.PaymentProcessing,
        PaymentStatus.RequiresCapture => EventTypes.PaymentAuthorized,
        PaymentStatus.Succeeded => EventTypes.PaymentSucceeded,
        PaymentStatus.Failed => EventTypes.PaymentFailed,
        PaymentStatus.Canceled => EventTypes.PaymentCanceled,
        _ => null,
    };
}
