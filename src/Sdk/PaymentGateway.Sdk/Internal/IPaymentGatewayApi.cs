using Refit;

namespace PaymentGateway.Sdk.Internal;

/// <summary>
/// The REST routes, implemented by Refit's source generator. Every method returns <see cref="IApiResponse{T}"/> so
/// errors come back as values (mapped to <see cref="PaymentGatewayException"/> in one place) and headers are readable.
/// Bodies are buffered so the resilience handler can send them again on a retry.
/// </summary>
internal interface IPaymentGatewayApi
{
    [Post("/v1/payments")]
    Task<IApiResponse<Payment>> CreatePaymentAsync(
        [Body(buffered: true)] CreatePaymentRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/payments/{id}")]
    Task<IApiResponse<Payment>> GetPaymentAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/payments")]
    Task<IApiResponse<Page<Payment>>> ListPaymentsAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [AliasAs("status")] string? status,
        [AliasAs("created[gte]")] string? createdGte,
        [AliasAs("created[lt]")] string? createdLt,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/payments/{id}/confirm")]
    Task<IApiResponse<Payment>> ConfirmPaymentAsync(
        string id,
        [Body(buffered: true)] ConfirmPaymentRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/payments/{id}/capture")]
    Task<IApiResponse<Payment>> CapturePaymentAsync(
        string id,
        [Body(buffered: true)] CapturePaymentRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/payments/{id}/cancel")]
    Task<IApiResponse<Payment>> CancelPaymentAsync(
        string id,
        [Body(buffered: true)] CancelPaymentRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/checkout/sessions")]
    Task<IApiResponse<CheckoutSession>> CreateCheckoutSessionAsync(
        [Body(buffered: true)] CreateCheckoutSessionRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/checkout/sessions/{id}")]
    Task<IApiResponse<CheckoutSession>> GetCheckoutSessionAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Post("/v1/refunds")]
    Task<IApiResponse<Refund>> CreateRefundAsync(
        [Body(buffered: true)] CreateRefundRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/refunds/{id}")]
    Task<IApiResponse<Refund>> GetRefundAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/refunds")]
    Task<IApiResponse<Page<Refund>>> ListRefundsAsync(
        [AliasAs("payment")] string? payment,
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/payment_methods")]
    Task<IApiResponse<PaymentMethod>> CreatePaymentMethodAsync(
        [Body(buffered: true)] CreatePaymentMethodRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/payment_methods/{id}")]
    Task<IApiResponse<PaymentMethod>> GetPaymentMethodAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/events/{id}")]
    Task<IApiResponse<Event>> GetEventAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/events")]
    Task<IApiResponse<Page<Event>>> ListEventsAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/webhook_endpoints")]
    Task<IApiResponse<WebhookEndpoint>> CreateWebhookEndpointAsync(
        [Body(buffered: true)] CreateWebhookEndpointRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/webhook_endpoints/{id}")]
    Task<IApiResponse<WebhookEndpoint>> GetWebhookEndpointAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/webhook_endpoints")]
    Task<IApiResponse<Page<WebhookEndpoint>>> ListWebhookEndpointsAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/webhook_endpoints/{id}")]
    Task<IApiResponse<WebhookEndpoint>> UpdateWebhookEndpointAsync(
        string id,
        [Body(buffered: true)] UpdateWebhookEndpointRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Delete("/v1/webhook_endpoints/{id}")]
    Task<IApiResponse<DeletedObject>> DeleteWebhookEndpointAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Post("/v1/webhook_endpoints/{id}/rotate_secret")]
    Task<IApiResponse<WebhookEndpoint>> RotateWebhookSecretAsync(
        string id,
        [Body(buffered: true)] RotateWebhookSecretRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/webhook_endpoints/{id}/deliveries")]
    Task<IApiResponse<Page<WebhookDelivery>>> ListWebhookEndpointDeliveriesAsync(
        string id,
        [AliasAs("status")] string? status,
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/events/{id}/deliveries")]
    Task<IApiResponse<Page<WebhookDelivery>>> ListEventDeliveriesAsync(
        string id,
        [AliasAs("status")] string? status,
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/events/{id}/redeliver")]
    Task<IApiResponse<Page<WebhookDelivery>>> RedeliverEventAsync(
        string id,
        [Body(buffered: true)] RedeliverEventRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    /// <summary>The statement is streamed: no Idempotency-Key, so the resilience pipeline never tries to send it twice.</summary>
    [Post("/v1/bank_statements")]
    Task<IApiResponse<BankStatement>> ImportBankStatementAsync(
        [Body] HttpContent body,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/bank_statements/{id}")]
    Task<IApiResponse<BankStatement>> GetBankStatementAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/bank_statement_entries")]
    Task<IApiResponse<Page<BankStatementEntry>>> ListBankStatementEntriesAsync(
        [AliasAs("status")] string? status,
        [AliasAs("bank_statement")] string? bankStatement,
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/bank_statement_entries/{id}/match")]
    Task<IApiResponse<BankStatementEntry>> MatchBankStatementEntryAsync(
        string id,
        [Body(buffered: true)] MatchBankStatementEntryBody body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/mandates")]
    Task<IApiResponse<Mandate>> CreateMandateAsync(
        [Body(buffered: true)] CreateMandateRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/mandates/{id}")]
    Task<IApiResponse<Mandate>> GetMandateAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/mandates")]
    Task<IApiResponse<Page<Mandate>>> ListMandatesAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    /// <summary>Asks for the batch as JSON; the file itself is downloaded from <c>/file</c>. 204 when nothing is waiting.</summary>
    [Post("/v1/direct_debit_batches")]
    [Headers("Accept: application/json")]
    Task<IApiResponse<DirectDebitBatch>> CreateDirectDebitBatchAsync(
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/direct_debit_batches/{id}")]
    Task<IApiResponse<DirectDebitBatch>> GetDirectDebitBatchAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/direct_debit_batches")]
    Task<IApiResponse<Page<DirectDebitBatch>>> ListDirectDebitBatchesAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/direct_debit_batches/{id}/file")]
    [Headers("Accept: application/xml")]
    Task<IApiResponse<Stream>> DownloadDirectDebitBatchFileAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/disputes/{id}")]
    Task<IApiResponse<Dispute>> GetDisputeAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/disputes")]
    Task<IApiResponse<Page<Dispute>>> ListDisputesAsync(
        [AliasAs("status")] string? status,
        [AliasAs("payment")] string? payment,
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/disputes/{id}/evidence")]
    Task<IApiResponse<Dispute>> UpdateDisputeEvidenceAsync(
        string id,
        [Body(buffered: true)] DisputeEvidence body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    /// <summary>The file's bytes, buffered (so a retry can send them again); the upload is idempotent by its bytes.</summary>
    [Post("/v1/disputes/{id}/evidence/files")]
    Task<IApiResponse<DisputeEvidenceFile>> UploadDisputeEvidenceFileAsync(
        string id,
        [Query][AliasAs("filename")] string filename,
        [Body] HttpContent body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/disputes/{id}/evidence/files/{fileId}")]
    Task<IApiResponse<Stream>> DownloadDisputeEvidenceFileAsync(string id, string fileId, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Post("/v1/disputes/{id}/submit")]
    Task<IApiResponse<Dispute>> SubmitDisputeAsync(
        string id,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/disputes/{id}/accept")]
    Task<IApiResponse<Dispute>> AcceptDisputeAsync(
        string id,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/customers")]
    Task<IApiResponse<Customer>> CreateCustomerAsync(
        [Body(buffered: true)] CreateCustomerRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/customers/{id}")]
    Task<IApiResponse<Customer>> GetCustomerAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Patch("/v1/customers/{id}")]
    Task<IApiResponse<Customer>> UpdateCustomerAsync(
        string id,
        [Body(buffered: true)] UpdateCustomerRequest body,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Delete("/v1/customers/{id}")]
    Task<IApiResponse<Customer>> DeleteCustomerAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/customers")]
    Task<IApiResponse<Page<Customer>>> ListCustomersAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [AliasAs("email")] string? email,
        [Query] IDictionary<string, string>? metadata,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/customers/{id}/payment_methods")]
    Task<IApiResponse<PaymentMethod>> AttachPaymentMethodAsync(
        string id,
        [Body(buffered: true)] AttachPaymentMethodBody body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Delete("/v1/customers/{id}/payment_methods/{paymentMethodId}")]
    Task<IApiResponse<PaymentMethod>> DetachPaymentMethodAsync(string id, string paymentMethodId, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/customers/{id}/payment_methods")]
    Task<IApiResponse<Page<PaymentMethod>>> ListCustomerPaymentMethodsAsync(
        string id,
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Patch("/v1/payment_methods/{id}")]
    Task<IApiResponse<PaymentMethod>> UpdatePaymentMethodAsync(
        string id,
        [Body(buffered: true)] UpdatePaymentMethodRequest body,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/reports/payments")]
    Task<IApiResponse<PaymentsReport>> GetPaymentsReportAsync(
        [Query] ReportQueryParameters query,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/reports/decline_reasons")]
    Task<IApiResponse<DeclineReasonsReport>> GetDeclineReasonsReportAsync(
        [Query] ReportQueryParameters query,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/admin/reports/payments")]
    Task<IApiResponse<PaymentsReport>> GetPaymentsReportAcrossMerchantsAsync(
        [Query] ReportQueryParameters query,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/admin/reports/decline_reasons")]
    Task<IApiResponse<DeclineReasonsReport>> GetDeclineReasonsReportAcrossMerchantsAsync(
        [Query] ReportQueryParameters query,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/reports/settings")]
    Task<IApiResponse<ReportSettings>> GetReportSettingsAsync([Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Post("/v1/reports/settings")]
    Task<IApiResponse<ReportSettings>> UpdateReportSettingsAsync(
        [Body(buffered: true)] ReportSettingsBody body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/exports")]
    Task<IApiResponse<Export>> CreateExportAsync(
        [Body(buffered: true)] CreateExportRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/exports/{id}")]
    Task<IApiResponse<Export>> GetExportAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/exports")]
    Task<IApiResponse<Page<Export>>> ListExportsAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/exports/{id}/cancel")]
    Task<IApiResponse<Export>> CancelExportAsync(
        string id,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/exports/{id}/download")]
    [Headers("Accept: text/csv")]
    Task<IApiResponse<Stream>> DownloadExportAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    /// <summary>The file's bytes, buffered; importing the same lines again adds nothing, so a retry is safe.</summary>
    [Post("/v1/settlements")]
    Task<IApiResponse<SettlementImport>> ImportSettlementsAsync(
        [Query][AliasAs("provider_account")] string providerAccount,
        [Query][AliasAs("payout")] string? payout,
        [Query][AliasAs("payout_date")] string? payoutDate,
        [Body] HttpContent body,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/settlements")]
    Task<IApiResponse<Page<SettlementLine>>> ListSettlementLinesAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [AliasAs("status")] string? status,
        [AliasAs("payment")] string? payment,
        [AliasAs("payout")] string? payout,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/settlements/payouts")]
    Task<IApiResponse<Page<SettlementPayout>>> ListSettlementPayoutsAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Get("/v1/settlements/unsettled")]
    Task<IApiResponse<Page<Payment>>> ListUnsettledPaymentsAsync(
        [AliasAs("days")] int? days,
        [AliasAs("limit")] int? limit,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);
}

/// <summary>The body of <c>POST /v1/customers/{id}/payment_methods</c>.</summary>
internal sealed record AttachPaymentMethodBody(string PaymentMethod);

/// <summary>The body of <c>POST /v1/bank_statement_entries/{id}/match</c>.</summary>
internal sealed record MatchBankStatementEntryBody(string Payment);
