using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaymentGateway.Cli;

/// <summary>
/// <c>pgw trigger EVENT</c>: creates the real test-mode objects whose life produces the event (a payment with a
/// <c>pm_card_*</c> test payment method, a capture, a refund), so every webhook and stream consumer sees what a real
/// integration would. Test keys only.
/// </summary>
public static class Trigger
{
    /// <summary>The events trigger can produce, and what it does for each.</summary>
    public static readonly IReadOnlyDictionary<string, string> Supported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["payment.created"] = "a payment paid with pm_card_visa",
        ["payment.succeeded"] = "a payment paid with pm_card_visa",
        ["payment.authorized"] = "a manual-capture payment paid with pm_card_visa, left uncaptured",
        ["payment.failed"] = "a payment paid with pm_card_declined",
        ["payment.requires_action"] = "a payment paid with pm_card_3ds, left at its challenge",
        ["payment.canceled"] = "a manual-capture payment, authorized then canceled",
        ["refund.created"] = "a payment, then a refund of 500",
        ["refund.succeeded"] = "a payment, then a refund of 500",
    };

    public static Command Command(CliEnvironment env)
    {
        var eventType = new Argument<string>("event") { Description = "The event to produce: " + string.Join(", ", Supported.Keys) + "." };
        var command = new Command("trigger", "Create the test objects that produce an event (test keys only).") { eventType };
        command.SetAction(async (parsed, ct) =>
        {
            var type = parsed.GetValue(eventType) ?? "";
            if (!Supported.ContainsKey(type))
            {
                throw new CliException(ExitCodes.Usage, $"pgw trigger cannot produce '{type}'; it can produce: {string.Join(", ", Supported.Keys)}");
            }
            using var http = CliApp.Connect(parsed, env);
            if (!http.TestMode)
            {
                throw new CliException(ExitCodes.Usage, "pgw trigger creates test objects: use a test secret key (sk_test_…)");
            }
            var created = await RunAsync(http, type, ct).ConfigureAwait(false);
            if (CliApp.Json(parsed))
            {
                await CliApp.PrintJsonAsync(env, created).ConfigureAwait(false);
            }
            else
            {
                await env.Out.WriteLineAsync($"Triggered {type}: {Supported[type]} → {CliApp.Str(created, "id")} ({CliApp.Str(created, "status")})").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<JsonElement> RunAsync(GatewayHttp http, string type, CancellationToken ct)
    {
        JsonObject Payment(string method, bool manual) => new()
        {
            ["amount"] = 2000,
            ["currency"] = "EUR",
            ["payment_method"] = method,
            ["confirm"] = true,
            ["capture_method"] = manual ? "manual" : "automatic",
            ["description"] = $"pgw trigger {type}",
            ["return_url"] = "https://example.com/return",
        };

        switch (type)
        {
            case "payment.authorized":
                return await http.PostAsync("v1/payments", Payment("pm_card_visa", manual: true), ct).ConfigureAwait(false);
            case "payment.failed":
                return await FailedAsync(http, Payment("pm_card_declined", manual: false), ct).ConfigureAwait(false);
            case "payment.requires_action":
                return await http.PostAsync("v1/payments", Payment("pm_card_3ds", manual: false), ct).ConfigureAwait(false);
            case "payment.canceled":
                {
                    var authorized = await http.PostAsync("v1/payments", Payment("pm_card_visa", manual: true), ct).ConfigureAwait(false);
                    return await http.PostAsync($"v1/payments/{CliApp.Str(authorized, "id")}/cancel", [], ct).ConfigureAwait(false);
                }
            case "refund.created" or "refund.succeeded":
                {
                    var paid = await http.PostAsync("v1/payments", Payment("pm_card_visa", manual: false), ct).ConfigureAwait(false);
                    return await http.PostAsync("v1/refunds", new JsonObject { ["payment"] = CliApp.Str(paid, "id"), ["amount"] = 500 }, ct).ConfigureAwait(false);
                }
            default:
                return await http.PostAsync("v1/payments", Payment("pm_card_visa", manual: false), ct).ConfigureAwait(false);
        }
    }

    /// <summary>A declined payment answers 402 with the failed payment inside the problem: that is the expected outcome.</summary>
    private static async Task<JsonElement> FailedAsync(GatewayHttp http, JsonObject body, CancellationToken ct)
    {
        try
        {
            return await http.PostAsync("v1/payments", body, ct).ConfigureAwait(false);
        }
        catch (CliException ex) when (ex.Problem is { } problem && problem.TryGetProperty("payment", out var payment))
        {
            return payment;
        }
    }
}
