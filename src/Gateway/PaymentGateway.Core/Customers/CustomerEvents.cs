using System.Text.Json;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Customers;

/// <summary>Events about customers and saved payment methods, carrying the object's API representation as of the change.</summary>
public static class CustomerEvents
{
    public static GatewayEvent For(Customer customer, string type, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new GatewayEvent
        {
            Id = Ids.New(Ids.Event),
            MerchantId = customer.MerchantId,
            Livemode = customer.Livemode,
            Type = type,
            ObjectId = customer.Id,
            Created = at,
            DataJson = JsonSerializer.Serialize(customer.ToResource(), ApiJson.Context.CustomerResource),
        };
    }

    public static GatewayEvent For(StoredPaymentMethod method, string type, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new GatewayEvent
        {
            Id = Ids.New(Ids.Event),
            MerchantId = method.MerchantId,
            Livemode = method.Livemode,
            Type = type,
            ObjectId = method.Id,
            Created = at,
            DataJson = JsonSerializer.Serialize(method.ToResource(), ApiJson.Context.PaymentMethodResource),
        };
    }
}
