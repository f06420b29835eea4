using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Payments.V1;

namespace PaymentGateway.Grpc.ParityTests.Infrastructure;

/// <summary>The scenarios over gRPC, with the client generated from the published .proto files.</summary>
public sealed class GrpcParityApi(GrpcChannel channel) : IParityApi
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true));

    private readonly PaymentGatewayService.PaymentGatewayServiceClient _client = new(channel);

    public string Name => "gRPC";

    public Task<Outcome> CreatePaymentMethodAsync(string? key, CardInput card, string? idempotencyKey = null)
    {
        var details = new CardDetails();
        if (card.Number is not null)
        {
            details.Number = card.Number;
        }

        if (card.ExpMonth is { } month)
        {
            details.ExpMonth = month;
        }

        if (card.ExpYear is { } year)
        {
            details.ExpYear = year;
        }

        if (card.Cvc is not null)
        {
            details.Cvc = card.Cvc;
        }

        var request = new CreatePaymentMethodRequest { Type = PaymentMethodType.Card, Card = details };
        if (card.HolderName is not null)
        {
            request.HolderName = card.HolderName;
        }

        return CallAsync(h => _client.CreatePaymentMethodAsync(request, h), r => r.PaymentMethod, key, idempotencyKey);
    }

    public Task<Outcome> GetPaymentMethodAsync(string? key, string id) =>
        CallAsync(h => _client.GetPaymentMethodAsync(new GetPaymentMethodRequest { Id = id }, h), r => r.PaymentMethod, key, null);

    public Task<Outcome> CreatePaymentAsync(string? key, PaymentInput input, string? idempotencyKey = null)
    {
        var request = new CreatePaymentRequest { Confirm = input.Confirm, CaptureMethod = Enum<CaptureMethod>(input.CaptureMethod) };
        if (input.Amount is { } amount)
        {
            request.Amount = amount;
        }

        if (input.Currency is not null)
        {
            request.Currency = input.Currency;
        }

        if (input.PaymentMethod is not null)
        {
            request.PaymentMethod = input.PaymentMethod;
        }

        if (input.Customer is not null)
        {
            request.Customer = input.Customer;
        }

        if (input.Description is not null)
        {
            request.Description = input.Description;
        }

        if (input.ReturnUrl is not null)
        {
            request.ReturnUrl = input.ReturnUrl;
        }

        if (input.Metadata is not null)
        {
            request.Metadata.Add(input.Metadata);
        }

        request.Mode = Enum<PaymentMode>(input.Mode);
        request.SetupFutureUsage = Enum<SetupFutureUsage>(input.SetupFutureUsage);
        request.MitType = Enum<MitType>(input.MitType);
        if (input.OffSession is { } offSession)
        {
            request.OffSession = offSession;
        }

        return CallAsync(h => _client.CreatePaymentAsync(request, h), r => r.Payment, key, idempotencyKey);
    }

    public Task<Outcome> GetPaymentAsync(string? key, string id) =>
        CallAsync(h => _client.GetPaymentAsync(new GetPaymentRequest { Id = id }, h), r => r.Payment, key, null);

    public Task<Outcome> ListPaymentsAsync(string? key, int? limit = null, string? startingAfter = null, string? endingBefore = null, string? status = null)
    {
        var request = new ListPaymentsRequest { Status = Enum<PaymentStatus>(status) };
        if (limit is { } l)
        {
            request.Limit = l;
        }

        if (startingAfter is not null)
        {
            request.StartingAfter = startingAfter;
        }

        if (endingBefore is not null)
        {
            request.EndingBefore = endingBefore;
        }

        return CallAsync(h => _client.ListPaymentsAsync(request, h), r => r, key, null);
    }

    public Task<Outcome> ConfirmPaymentAsync(string? key, string id, string? paymentMethod, string? idempotencyKey = null, bool? offSession = null)
    {
        var request = new ConfirmPaymentRequest { Id = id };
        if (paymentMethod is not null)
        {
            request.PaymentMethod = paymentMethod;
        }

        if (offSession is { } value)
        {
            request.OffSession = value;
        }

        return CallAsync(h => _client.ConfirmPaymentAsync(request, h), r => r.Payment, key, idempotencyKey);
    }

    public Task<Outcome> CapturePaymentAsync(string? key, string id, long? amountToCapture, string? idempotencyKey = null)
    {
        var request = new CapturePaymentRequest { Id = id };
        if (amountToCapture is { } amount)
        {
            request.AmountToCapture = amount;
        }

        return CallAsync(h => _client.CapturePaymentAsync(request, h), r => r.Payment, key, idempotencyKey);
    }

    public Task<Outcome> CancelPaymentAsync(string? key, string id, string? reason, string? idempotencyKey = null) =>
        CallAsync(h => _client.CancelPaymentAsync(new CancelPaymentRequest { Id = id, CancellationReason = Enum<CancellationReason>(reason) }, h),
            r => r.Payment, key, idempotencyKey);

    public Task<Outcome> CreateRefundAsync(string? key, string? payment, long? amount, string? reason = null, string? idempotencyKey = null)
    {
        var request = new CreateRefundRequest { Reason = Enum<RefundReason>(reason) };
        if (payment is not null)
        {
            request.Payment = payment;
        }

        if (amount is { } a)
        {
            request.Amount = a;
        }

        return CallAsync(h => _client.CreateRefundAsync(request, h), r => r.Refund, key, idempotencyKey);
    }

    public Task<Outcome> GetRefundAsync(string? key, string id) =>
        CallAsync(h => _client.GetRefundAsync(new GetRefundRequest { Id = id }, h), r => r.Refund, key, null);

    public Task<Outcome> ListRefundsAsync(string? key, string? payment, int? limit = null)
    {
        var request = new ListRefundsRequest();
        if (payment is not null)
        {
            request.Payment = payment;
        }

        if (limit is { } l)
        {
            request.Limit = l;
        }

        return CallAsync(h => _client.ListRefundsAsync(request, h), r => r, key, null);
    }

    public Task<Outcome> ListEventsAsync(string? key, int? limit = null, string? startingAfter = null, string? endingBefore = null)
    {
        var request = new ListEventsRequest();
        if (limit is { } l)
        {
            request.Limit = l;
        }

        if (startingAfter is not null)
        {
            request.StartingAfter = startingAfter;
        }

        if (endingBefore is not null)
        {
            request.EndingBefore = endingBefore;
        }

        return CallAsync(h => _client.ListEventsAsync(request, h), r => r, key, null);
    }

    public Task<Outcome> CreateCustomerAsync(string? key, CustomerInput input, string? idempotencyKey = null)
    {
        var request = new CreateCustomerRequest();
        if (input.Email is not null)
        {
            request.Email = input.Email;
        }

        if (input.Name is not null)
        {
            request.Name = input.Name;
        }

        if (input.Phone is not null)
        {
            request.Phone = input.Phone;
        }

        if (input.Metadata is not null)
        {
            request.Metadata.Add(input.Metadata);
        }

        return CallAsync(h => _client.CreateCustomerAsync(request, h), r => r.Customer, key, idempotencyKey);
    }

    public Task<Outcome> GetCustomerAsync(string? key, string id) =>
        CallAsync(h => _client.GetCustomerAsync(new GetCustomerRequest { Id = id }, h), r => r.Customer, key, null);

    public Task<Outcome> UpdateCustomerAsync(string? key, string id, CustomerInput input)
    {
        var request = new UpdateCustomerRequest { Id = id };
        if (input.Email is not null)
        {
            request.Email = input.Email;
        }

        if (input.Name is not null)
        {
            request.Name = input.Name;
        }

        if (input.Phone is not null)
        {
            request.Phone = input.Phone;
        }

        if (input.Metadata is not null)
        {
            request.Metadata = new MetadataUpdate { Values = { input.Metadata } };
        }

        if (input.DefaultPaymentMethod is not null)
        {
            request.DefaultPaymentMethod = input.DefaultPaymentMethod;
        }

        return CallAsync(h => _client.UpdateCustomerAsync(request, h), r => r.Customer, key, null);
    }

    public Task<Outcome> DeleteCustomerAsync(string? key, string id) =>
        CallAsync(h => _client.DeleteCustomerAsync(new DeleteCustomerRequest { Id = id }, h), r => r.Customer, key, null);

    public Task<Outcome> ListCustomersAsync(string? key, int? limit = null, string? email = null, string? metadataKey = null, string? metadataValue = null)
    {
        var request = new ListCustomersRequest();
        if (limit is { } l)
        {
            request.Limit = l;
        }

        if (email is not null)
        {
            request.Email = email;
        }

        if (metadataKey is not null)
        {
            request.MetadataKey = metadataKey;
        }

        if (metadataValue is not null)
        {
            request.MetadataValue = metadataValue;
        }

        return CallAsync(h => _client.ListCustomersAsync(request, h), r => r, key, null);
    }

    public Task<Outcome> AttachPaymentMethodAsync(string? key, string customer, string? paymentMethod, string? idempotencyKey = null)
    {
        var request = new AttachPaymentMethodRequest { Customer = customer };
        if (paymentMethod is not null)
        {
            request.PaymentMethod = paymentMethod;
        }

        return CallAsync(h => _client.AttachPaymentMethodAsync(request, h), r => r.PaymentMethod, key, idempotencyKey);
    }

    public Task<Outcome> DetachPaymentMethodAsync(string? key, string customer, string paymentMethod) =>
        CallAsync(h => _client.DetachPaymentMethodAsync(new DetachPaymentMethodRequest { Customer = customer, PaymentMethod = paymentMethod }, h), r => r.PaymentMethod, key, null);

    public Task<Outcome> ListCustomerPaymentMethodsAsync(string? key, string customer, int? limit = null)
    {
        var request = new ListCustomerPaymentMethodsRequest { Customer = customer };
        if (limit is { } l)
        {
            request.Limit = l;
        }

        return CallAsync(h => _client.ListCustomerPaymentMethodsAsync(request, h), r => r, key, null);
    }

    /// <summary>REST's wire string as the enum value of the same name; unknown strings become an undefined number, as a wrong client would send.</summary>
    private static TEnum Enum<TEnum>(string? wire)
        where TEnum : struct, System.Enum
    {
        if (wire is null)
        {
            return default;
        }

        var pascal = string.Concat(wire.Split('_').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
        return System.Enum.TryParse<TEnum>(pascal, out var value) && System.Enum.IsDefined(value)
            ? value
            : (TEnum)(object)99;
    }

    private static async Task<Outcome> CallAsync<TResponse>(Func<Metadata, AsyncUnaryCall<TResponse>> start, Func<TResponse, IMessage> pick, string? key, string? idempotencyKey)
    {
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add("authorization", "Bearer " + key);
        }

        if (idempotencyKey is not null)
        {
            headers.Add("idempotency-key", idempotencyKey);
        }

        using var call = start(headers);
        try
        {
            var response = await call.ResponseAsync;
            var responseHeaders = await call.ResponseHeadersAsync;
            var message = pick(response);
            using var document = JsonDocument.Parse(Json.Format(message));
            var root = document.RootElement;
            return new Outcome
            {
                Status = 200,
                Replayed = responseHeaders.GetValue("idempotent-replayed") == "true",
                HasRequestId = !string.IsNullOrEmpty(responseHeaders.GetValue("request-id")),
                Id = root.TryGetProperty("id", out var id) ? id.GetString() : null,
                ListIds = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                    ? data.EnumerateArray().Select(e => e.GetProperty("id").GetString() ?? string.Empty).ToList()
                    : [],
                Fields = Flattener.Flatten(root),
            };
        }
        catch (RpcException e)
        {
            var status = e.GetRpcStatus() ?? throw new Xunit.Sdk.XunitException($"gRPC error without google.rpc.Status details: {e.Status}");
            var info = status.GetDetail<ErrorInfo>() ?? throw new Xunit.Sdk.XunitException($"gRPC error without ErrorInfo: {e.Status}");
            var requestInfo = status.GetDetail<RequestInfo>();
            var payment = status.Details.FirstOrDefault(d => d.Is(Payment.Descriptor))?.Unpack<Payment>();
            Headers? replayHeaders = null;
            try
            {
                replayHeaders = new Headers(await call.ResponseHeadersAsync);
            }
            catch (RpcException)
            {
                // A trailers-only response (the call failed before any header was written).
            }

            Dictionary<string, string> fields = [];
            if (payment is not null)
            {
                using var document = JsonDocument.Parse(Json.Format(payment));
                fields = Flattener.Flatten(document.RootElement, "payment");
            }

            return new Outcome
            {
                Status = int.Parse(info.Metadata["http_status"], CultureInfo.InvariantCulture),
                Code = info.Reason,
                Param = info.Metadata.TryGetValue("param", out var param) ? param : null,
                DeclineCode = info.Metadata.TryGetValue("decline_code", out var decline) ? decline : null,
                Replayed = replayHeaders?.Metadata.GetValue("idempotent-replayed") == "true",
                HasRequestId = info.Domain == "paymentgateway" && !string.IsNullOrEmpty(requestInfo?.RequestId)
                    && info.Metadata.GetValueOrDefault("request_id") == requestInfo.RequestId,
                Fields = fields,
            };
        }
    }

    private sealed record Headers(Metadata Metadata);
}
