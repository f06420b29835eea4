using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Grpc.ParityTests.Infrastructure;

/// <summary>The scenarios over REST, as raw HTTP.</summary>
public sealed class RestParityApi(GatewayServer server) : IParityApi
{
    public string Name => "REST";

    public Task<Outcome> CreatePaymentMethodAsync(string? key, CardInput card, string? idempotencyKey = null) =>
        PostAsync(key, "/v1/payment_methods", Body(
            ("type", "card"),
            ("card", Body(("number", card.Number), ("exp_month", card.ExpMonth), ("exp_year", card.ExpYear), ("cvc", card.Cvc))),
            ("holder_name", card.HolderName)), idempotencyKey);

    public Task<Outcome> GetPaymentMethodAsync(string? key, string id) => GetAsync(key, $"/v1/payment_methods/{Uri.EscapeDataString(id)}");

    public Task<Outcome> CreatePaymentAsync(string? key, PaymentInput input, string? idempotencyKey = null) =>
        PostAsync(key, "/v1/payments", Body(
            ("amount", input.Amount),
            ("currency", input.Currency),
            ("capture_method", input.CaptureMethod),
            ("payment_method", input.PaymentMethod),
            ("confirm", input.Confirm ? true : null),
            ("customer", input.Customer),
            ("description", input.Description),
            ("metadata", input.Metadata),
            ("return_url", input.ReturnUrl),
            ("mode", input.Mode),
            ("setup_future_usage", input.SetupFutureUsage),
            ("off_session", input.OffSession),
            ("mit_type", input.MitType)), idempotencyKey);

    public Task<Outcome> GetPaymentAsync(string? key, string id) => GetAsync(key, $"/v1/payments/{Uri.EscapeDataString(id)}");

    public Task<Outcome> ListPaymentsAsync(string? key, int? limit = null, string? startingAfter = null, string? endingBefore = null, string? status = null) =>
        GetAsync(key, "/v1/payments" + Query(("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("starting_after", startingAfter), ("ending_before", endingBefore), ("status", status)));

    public Task<Outcome> ConfirmPaymentAsync(string? key, string id, string? paymentMethod, string? idempotencyKey = null, bool? offSession = null) =>
        PostAsync(key, $"/v1/payments/{Uri.EscapeDataString(id)}/confirm", Body(("payment_method", paymentMethod), ("off_session", offSession)), idempotencyKey);

    public Task<Outcome> CapturePaymentAsync(string? key, string id, long? amountToCapture, string? idempotencyKey = null) =>
        PostAsync(key, $"/v1/payments/{Uri.EscapeDataString(id)}/capture", Body(("amount_to_capture", amountToCapture)), idempotencyKey);

    public Task<Outcome> CancelPaymentAsync(string? key, string id, string? reason, string? idempotencyKey = null) =>
        PostAsync(key, $"/v1/payments/{Uri.EscapeDataString(id)}/cancel", Body(("cancellation_reason", reason)), idempotencyKey);

    public Task<Outcome> CreateRefundAsync(string? key, string? payment, long? amount, string? reason = null, string? idempotencyKey = null) =>
        PostAsync(key, "/v1/refunds", Body(("payment", payment), ("amount", amount), ("reason", reason)), idempotencyKey);

    public Task<Outcome> GetRefundAsync(string? key, string id) => GetAsync(key, $"/v1/refunds/{Uri.EscapeDataString(id)}");

    public Task<Outcome> ListRefundsAsync(string? key, string? payment, int? limit = null) =>
        GetAsync(key, "/v1/refunds" + Query(("payment", payment), ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public Task<Outcome> ListEventsAsync(string? key, int? limit = null, string? startingAfter = null, string? endingBefore = null) =>
        GetAsync(key, "/v1/events" + Query(
            ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("starting_after", startingAfter), ("ending_before", endingBefore)));

    public Task<Outcome> CreateCustomerAsync(string? key, CustomerInput input, string? idempotencyKey = null) =>
        PostAsync(key, "/v1/customers", CustomerBody(input), idempotencyKey);

    public Task<Outcome> GetCustomerAsync(string? key, string id) => GetAsync(key, $"/v1/customers/{Uri.EscapeDataString(id)}");

    public async Task<Outcome> UpdateCustomerAsync(string? key, string id, CustomerInput input) =>
        ToOutcome(await server.Client(key).SendAsync(HttpMethod.Patch, $"/v1/customers/{Uri.EscapeDataString(id)}",
            JsonSerializer.Serialize(CustomerBody(input), TestJson.Options), null));

    public async Task<Outcome> DeleteCustomerAsync(string? key, string id) =>
        ToOutcome(await server.Client(key).SendAsync(HttpMethod.Delete, $"/v1/customers/{Uri.EscapeDataString(id)}", null, null));

    public Task<Outcome> ListCustomersAsync(string? key, int? limit = null, string? email = null, string? metadataKey = null, string? metadataValue = null) =>
        GetAsync(key, "/v1/customers" + Query(("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("email", email),
            (metadataKey is null ? "metadata" : $"metadata[{metadataKey}]", metadataKey is null ? null : metadataValue)));

    public Task<Outcome> AttachPaymentMethodAsync(string? key, string customer, string? paymentMethod, string? idempotencyKey = null) =>
        PostAsync(key, $"/v1/customers/{Uri.EscapeDataString(customer)}/payment_methods", Body(("payment_method", paymentMethod)), idempotencyKey);

    public async Task<Outcome> DetachPaymentMethodAsync(string? key, string customer, string paymentMethod) =>
        ToOutcome(await server.Client(key).SendAsync(HttpMethod.Delete,
            $"/v1/customers/{Uri.EscapeDataString(customer)}/payment_methods/{Uri.EscapeDataString(paymentMethod)}", null, null));

    public Task<Outcome> ListCustomerPaymentMethodsAsync(string? key, string customer, int? limit = null) =>
        GetAsync(key, $"/v1/customers/{Uri.EscapeDataString(customer)}/payment_methods" + Query(("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private static Dictionary<string, object?> CustomerBody(CustomerInput input) => Body(
        ("email", input.Email), ("name", input.Name), ("phone", input.Phone), ("metadata", input.Metadata), ("default_payment_method", input.DefaultPaymentMethod));

    private static Dictionary<string, object?> Body(params (string Name, object? Value)[] fields) =>
        fields.Where(f => f.Value is not null).ToDictionary(f => f.Name, f => f.Value);

    private static string Query(params (string Name, string? Value)[] fields)
    {
        var present = fields.Where(f => f.Value is not null).Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value ?? string.Empty)}").ToList();
        return present.Count == 0 ? string.Empty : "?" + string.Join("&", present);
    }

    private async Task<Outcome> GetAsync(string? key, string path) => ToOutcome(await server.Client(key).GetAsync(path));

    private async Task<Outcome> PostAsync(string? key, string path, object body, string? idempotencyKey) =>
        ToOutcome(await server.Client(key).PostAsync(path, body, idempotencyKey));

    private static Outcome ToOutcome(ApiResponse response)
    {
        var json = response.Json;
        var replayed = response.Header("Idempotent-Replayed") == "true";
        var hasRequestId = !string.IsNullOrEmpty(response.Header("Request-Id"));
        if (response.Status == 200)
        {
            return new Outcome
            {
                Status = 200,
                Replayed = replayed,
                HasRequestId = hasRequestId,
                Id = json.TryGetProperty("id", out var id) ? id.GetString() : null,
                ListIds = json.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                    ? data.EnumerateArray().Select(e => e.GetProperty("id").GetString() ?? string.Empty).ToList()
                    : [],
                Fields = Flattener.Flatten(json),
            };
        }

        return new Outcome
        {
            Status = response.Status,
            Code = response.Str("code"),
            Param = response.Str("param"),
            DeclineCode = response.Str("decline_code"),
            Replayed = replayed,
            HasRequestId = hasRequestId && !string.IsNullOrEmpty(response.Str("request_id")),
            Fields = json.TryGetProperty("payment", out var payment) ? Flattener.Flatten(payment, "payment") : [],
        };
    }
}
