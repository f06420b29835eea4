using System.Text.Json.Serialization;

namespace PaymentGateway.Sdk.Internal;

/// <summary>An RFC 9457 problem document as the gateway sends it.</summary>
internal sealed record ProblemDocument
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? Code { get; init; }

    public string? Param { get; init; }

    public string? DeclineCode { get; init; }

    public string? RequestId { get; init; }

    public Payment? Payment { get; init; }
}

/// <summary>
/// Source-generated JSON metadata for every type on the wire. snake_case names; nulls are not written, so an optional
/// request field the caller left unset is absent from the body; unknown response fields are ignored (a newer server
/// may add fields).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Payment))]
[JsonSerializable(typeof(Page<Payment>))]
[JsonSerializable(typeof(Refund))]
[JsonSerializable(typeof(CheckoutSession))]
[JsonSerializable(typeof(CreateCheckoutSessionRequest))]
[JsonSerializable(typeof(Page<Refund>))]
[JsonSerializable(typeof(PaymentMethod))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Page<Event>))]
[JsonSerializable(typeof(CreatePaymentRequest))]
[JsonSerializable(typeof(ConfirmPaymentRequest))]
[JsonSerializable(typeof(CapturePaymentRequest))]
[JsonSerializable(typeof(CancelPaymentRequest))]
[JsonSerializable(typeof(CreateRefundRequest))]
[JsonSerializable(typeof(CreatePaymentMethodRequest))]
[JsonSerializable(typeof(WebhookEndpoint))]
[JsonSerializable(typeof(Page<WebhookEndpoint>))]
[JsonSerializable(typeof(WebhookDelivery))]
[JsonSerializable(typeof(Page<WebhookDelivery>))]
[JsonSerializable(typeof(DeletedObject))]
[JsonSerializable(typeof(CreateWebhookEndpointRequest))]
[JsonSerializable(typeof(UpdateWebhookEndpointRequest))]
[JsonSerializable(typeof(RotateWebhookSecretRequest))]
[JsonSerializable(typeof(RedeliverEventRequest))]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(BankStatement))]
[JsonSerializable(typeof(Page<BankStatementEntry>))]
[JsonSerializable(typeof(BankStatementEntry))]
[JsonSerializable(typeof(MatchBankStatementEntryBody))]
[JsonSerializable(typeof(Mandate))]
[JsonSerializable(typeof(Page<Mandate>))]
[JsonSerializable(typeof(CreateMandateRequest))]
[JsonSerializable(typeof(DirectDebitBatch))]
[JsonSerializable(typeof(Page<DirectDebitBatch>))]
[JsonSerializable(typeof(Dispute))]
[JsonSerializable(typeof(Page<Dispute>))]
[JsonSerializable(typeof(DisputeEvidence))]
[JsonSerializable(typeof(DisputeEvidenceFile))]
[JsonSerializable(typeof(PaymentsReport))]
[JsonSerializable(typeof(DeclineReasonsReport))]
[JsonSerializable(typeof(ReportSettings))]
[JsonSerializable(typeof(ReportSettingsBody))]
[JsonSerializable(typeof(Export))]
[JsonSerializable(typeof(Page<Export>))]
[JsonSerializable(typeof(CreateExportRequest))]
[JsonSerializable(typeof(SettlementImport))]
[JsonSerializable(typeof(Page<SettlementLine>))]
[JsonSerializable(typeof(Page<SettlementPayout>))]
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(Page<Customer>))]
[JsonSerializable(typeof(Page<PaymentMethod>))]
[JsonSerializable(typeof(CreateCustomerRequest))]
[JsonSerializable(typeof(UpdateCustomerRequest))]
[JsonSerializable(typeof(AttachPaymentMethodBody))]
[JsonSerializable(typeof(UpdatePaymentMethodRequest))]
internal sealed partial class SdkJsonContext : JsonSerializerContext;
