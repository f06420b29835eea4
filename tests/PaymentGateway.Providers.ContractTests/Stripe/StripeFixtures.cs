using System.Text.Json.Nodes;

namespace PaymentGateway.Providers.ContractTests.Stripe;

/// <summary>Stripe API objects built from Stripe's published fixtures (TestData/stripe-fixtures.json), patched per scenario.</summary>
public static class StripeFixtures
{
    private static readonly Lazy<JsonObject> Resources = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "stripe-fixtures.json");
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidOperationException("empty fixtures");
        return root["resources"]?.AsObject() ?? throw new InvalidOperationException("no resources");
    });

    /// <summary>A fixture resource (deep copy).</summary>
    public static JsonObject Resource(string name) =>
        Resources.Value[name]?.DeepClone().AsObject() ?? throw new InvalidOperationException($"no fixture {name}");

    public static JsonObject PaymentIntent(string id, string status, long amount, string currency, bool capture, string? paymentId = "pay_scenario")
    {
        var pi = Resource("payment_intent");
        pi["id"] = id;
        pi["status"] = status;
        pi["amount"] = amount;
        pi["currency"] = currency;
        pi["capture_method"] = capture ? "automatic" : "manual";
        pi["amount_capturable"] = status == "requires_capture" ? amount : 0;
        pi["amount_received"] = status == "succeeded" ? amount : 0;
        pi["last_payment_error"] = null;
        pi["next_action"] = null;
        pi["metadata"] = paymentId is null ? new JsonObject() : new JsonObject { ["gateway_payment_id"] = paymentId };
        return pi;
    }

    public static JsonObject RequiresAction(string id, long amount, string currency, string url)
    {
        var pi = PaymentIntent(id, "requires_action", amount, currency, capture: false);
        pi["next_action"] = new JsonObject
        {
            ["type"] = "redirect_to_url",
            ["redirect_to_url"] = new JsonObject { ["url"] = url, ["return_url"] = "https://merchant.example/return" },
        };
        return pi;
    }

    public static JsonObject CardError(string code, string? declineCode, string message, JsonObject? paymentIntent)
    {
        var error = new JsonObject { ["type"] = "card_error", ["code"] = code, ["message"] = message };
        if (declineCode is not null)
        {
            error["decline_code"] = declineCode;
        }

        if (paymentIntent is not null)
        {
            paymentIntent["status"] = "requires_payment_method";
            paymentIntent["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["code"] = code, ["decline_code"] = declineCode, ["message"] = message };
            error["payment_intent"] = paymentIntent;
        }

        return new JsonObject { ["error"] = error };
    }

    public static JsonObject Error(string type, string? code, string message) =>
        new() { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } };

    public static JsonObject Refund(string id, string status, long amount, string currency, string paymentIntent)
    {
        var refund = Resource("refund");
        refund["id"] = id;
        refund["status"] = status;
        refund["amount"] = amount;
        refund["currency"] = currency;
        refund["payment_intent"] = paymentIntent;
        refund["metadata"] = new JsonObject { ["gateway_refund_id"] = "re_scenario" };
        return refund;
    }

    public static JsonObject Event(string type, JsonObject dataObject)
    {
        var evt = Resource("event");
        evt["type"] = type;
        evt["data"] = new JsonObject { ["object"] = dataObject };
        return evt;
    }
}
