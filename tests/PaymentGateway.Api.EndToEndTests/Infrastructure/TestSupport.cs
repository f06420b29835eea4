using System.Net;
using System.Text.Json;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>The simulator's test cards, as the tests use them.</summary>
public static class TestCards
{
    public const string Visa = "4242424242424242";
    public const string Mastercard = "5555555555554444";
    public const string Amex = "378282246310005";
    public const string GenericDecline = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    public const string IncorrectCvc = "4000000000000127";
    public const string ExpiredCard = "4000000000000069";
    public const string ProcessingError = "4000000000000119";
    public const string ThreeDSecure = "4000000000003220";
    public const string UnknownOutcome = "4000000000000259";

    /// <summary>Saved cards: saved without a challenge, every off-session payment approved.</summary>
    public const string MitApproved = "4000000000003089";

    /// <summary>Saved cards: every on-session payment needs 3-D Secure; off-session ones are declined authentication_required.</summary>
    public const string AuthenticationRequiredOffSession = "4000002760003184";

    /// <summary>Saved cards: saved fine, every later payment on the saved card declined expired_card.</summary>
    public const string ExpiredSinceSaving = "4000000000003097";

    /// <summary>A Luhn-valid Visa number that is not in the simulator's table (so it succeeds).</summary>
    public const string UnlistedVisa = "4111111111111111";

    public static IReadOnlyList<string> All { get; } =
        [Visa, Mastercard, Amex, GenericDecline, InsufficientFunds, IncorrectCvc, ExpiredCard, ProcessingError, ThreeDSecure, UnknownOutcome,
         MitApproved, AuthenticationRequiredOffSession, ExpiredSinceSaving];

    public static (string Number, string Brand, string? DeclineCode)[] Declines { get; } =
    [
        (GenericDecline, "visa", "generic_decline"),
        (InsufficientFunds, "visa", "insufficient_funds"),
        (IncorrectCvc, "visa", "incorrect_cvc"),
        (ExpiredCard, "visa", "expired_card"),
        (ProcessingError, "visa", "processing_error"),
    ];

    public static string CvcFor(string number) => number.StartsWith("37", StringComparison.Ordinal) || number.StartsWith("34", StringComparison.Ordinal) ? "1234" : "737";
}

/// <summary>Assertions shared by the suite.</summary>
public static class Problem
{
    /// <summary>
    /// Asserts an RFC 9457 problem with the given status and code (and param when given): content type, every
    /// required member, and a <c>Request-Id</c> header equal to the body's <c>request_id</c>.
    /// </summary>
    public static ApiResponse Assert(ApiResponse response, int status, string code, string? param = null)
    {
        if (response.Status != status)
        {
            throw new Xunit.Sdk.XunitException($"Expected HTTP {status} {code} but got {response.Status}: {response.Body}");
        }

        Xunit.Assert.Equal("application/problem+json", response.ContentType);
        Xunit.Assert.Equal(code, response.Code);
        Xunit.Assert.Equal(status, response.Json.GetProperty("status").GetInt32());
        Xunit.Assert.False(string.IsNullOrWhiteSpace(response.Str("type")), "problem has no type");
        Xunit.Assert.False(string.IsNullOrWhiteSpace(response.Str("title")), "problem has no title");
        Xunit.Assert.False(string.IsNullOrWhiteSpace(response.Str("detail")), "problem has no detail");
        var requestId = response.Str("request_id");
        Xunit.Assert.False(string.IsNullOrWhiteSpace(requestId), "problem has no request_id");
        Xunit.Assert.Equal(requestId, response.Header("Request-Id"));
        if (param is not null)
        {
            Xunit.Assert.Equal(param, response.Str("param"));
        }

        return response;
    }
}

/// <summary>Small flows on top of <see cref="Flows"/>.</summary>
public static class Steps
{
    public static async Task<string> TokenizeAsync(GatewayServer server, TestMerchant merchant, string number)
    {
        var response = await server.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(number) },
        });
        response.EnsureStatus(200);
        return response.Str("id") ?? throw new InvalidOperationException("no id");
    }

    /// <summary>Tokenizes <paramref name="number"/> and creates + confirms a payment; returns the response whatever its status.</summary>
    public static async Task<ApiResponse> PayAsync(GatewayServer server, TestMerchant merchant, string number, long amount = 1000,
        string captureMethod = "automatic", string? returnUrl = null)
    {
        var pm = await TokenizeAsync(server, merchant, number);
        return await server.Client(merchant.SecretKey).PostAsync("/v1/payments", new Dictionary<string, object?>
        {
            ["amount"] = amount,
            ["currency"] = "EUR",
            ["capture_method"] = captureMethod,
            ["payment_method"] = pm,
            ["confirm"] = true,
            ["return_url"] = returnUrl,
        }.Where(p => p.Value is not null).ToDictionary());
    }

    /// <summary>A succeeded (captured) payment of <paramref name="amount"/>; returns its id.</summary>
    public static async Task<string> SucceededPaymentAsync(GatewayServer server, TestMerchant merchant, long amount = 1000)
    {
        var response = (await PayAsync(server, merchant, TestCards.Visa, amount)).EnsureStatus(200);
        Xunit.Assert.Equal("succeeded", response.Str("status"));
        return response.Str("id")!;
    }

    /// <summary>An authorized, uncaptured payment; returns its id.</summary>
    public static async Task<string> AuthorizedPaymentAsync(GatewayServer server, TestMerchant merchant, long amount = 1000)
    {
        var response = (await PayAsync(server, merchant, TestCards.Visa, amount, "manual")).EnsureStatus(200);
        Xunit.Assert.Equal("requires_capture", response.Str("status"));
        return response.Str("id")!;
    }

    /// <summary>A payment created without confirm (requires_payment_method, or requires_confirmation with a payment method).</summary>
    public static async Task<ApiResponse> CreateUnconfirmedAsync(GatewayServer server, TestMerchant merchant, long amount = 1000, string? paymentMethod = null,
        string captureMethod = "automatic")
    {
        var body = new Dictionary<string, object?> { ["amount"] = amount, ["currency"] = "EUR", ["capture_method"] = captureMethod };
        if (paymentMethod is not null)
        {
            body["payment_method"] = paymentMethod;
        }

        return (await server.Client(merchant.SecretKey).PostAsync("/v1/payments", body)).EnsureStatus(200);
    }

    /// <summary>Event types for an object, oldest first.</summary>
    public static async Task<List<string>> EventTypesAsync(GatewayServer server, TestMerchant merchant, string objectId)
    {
        var events = (await server.Client(merchant.SecretKey).GetAsync($"/v1/events?object_id={objectId}&limit=100")).EnsureStatus(200);
        var types = events.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToList();
        types.Reverse();
        return types;
    }

    /// <summary>
    /// Event types sorted by payment lifecycle. Events written in one transaction share a millisecond and the gateway
    /// does not order them (see EventsTests), so tests that are not about ordering compare this.
    /// </summary>
    public static List<string> InLifecycleOrder(IEnumerable<string> types)
    {
        string[] order = ["payment.created", "payment.processing", "payment.requires_action", "payment.authorized", "payment.succeeded", "payment.failed", "payment.canceled", "refund.created", "refund.succeeded", "refund.failed"];
        return types.OrderBy(t => Array.IndexOf(order, t)).ToList();
    }

    /// <summary>Polls the payment until <paramref name="done"/> holds or the deadline passes; returns the last view.</summary>
    public static async Task<ApiResponse> PollPaymentAsync(GatewayClient api, string id, Func<ApiResponse, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var current = (await api.GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
            if (done(current) || DateTime.UtcNow > deadline)
            {
                return current;
            }

            await Task.Delay(100);
        }
    }

    public static IEnumerable<string> Ids(ApiResponse list) =>
        list.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!);

    public static HttpClient NoRedirectClient(GatewayServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

    public static string Q(string value) => WebUtility.UrlEncode(value);

    /// <summary>Every string value anywhere in a JSON document.</summary>
    public static IEnumerable<string> StringValues(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => StringValues(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(StringValues),
        _ => [],
    };

    /// <summary>Every property name anywhere in a JSON document.</summary>
    public static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };
}
