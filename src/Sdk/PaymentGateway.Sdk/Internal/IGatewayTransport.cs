namespace PaymentGateway.Sdk.Internal;

/// <summary>
/// One way of reaching the gateway (REST or gRPC) behind the same operations. An implementation owns the wire format,
/// the idempotency key of each mutating call (chosen once, before any retry), its resilience pipeline, and the
/// mapping of every failure to <see cref="PaymentGatewayException"/>.
/// </summary>
internal interface IGatewayTransport
{
    Task<Payment> CreatePaymentAsync(CreatePaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Payment> GetPaymentAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<Payment>> ListPaymentsAsync(ListPaymentsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Payment> ConfirmPaymentAsync(string id, ConfirmPaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Payment> CapturePaymentAsync(string id, CapturePaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Payment> CancelPaymentAsync(string id, CancelPaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<CheckoutSession> CreateCheckoutSessionAsync(CreateCheckoutSessionRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<CheckoutSession> GetCheckoutSessionAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Refund> CreateRefundAsync(CreateRefundRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Refund> GetRefundAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<Refund>> ListRefundsAsync(ListRefundsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<PaymentMethod> CreatePaymentMethodAsync(CreatePaymentMethodRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<PaymentMethod> GetPaymentMethodAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Event> GetEventAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<Event>> ListEventsAsync(ListEventsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<WebhookEndpoint> CreateWebhookEndpointAsync(CreateWebhookEndpointRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<WebhookEndpoint> GetWebhookEndpointAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<WebhookEndpoint>> ListWebhookEndpointsAsync(ListWebhookEndpointsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<WebhookEndpoint> UpdateWebhookEndpointAsync(string id, UpdateWebhookEndpointRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<DeletedObject> DeleteWebhookEndpointAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<WebhookEndpoint> RotateWebhookSecretAsync(string id, RotateWebhookSecretRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<WebhookDelivery>> ListWebhookEndpointDeliveriesAsync(string id, ListWebhookDeliveriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<WebhookDelivery>> ListEventDeliveriesAsync(string id, ListWebhookDeliveriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<WebhookDelivery>> RedeliverEventAsync(string id, RedeliverEventRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="statement"/> (which carries its content type) as the body; takes ownership of it.</summary>
    Task<BankStatement> ImportBankStatementAsync(HttpContent statement, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<BankStatement> GetBankStatementAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<BankStatementEntry>> ListBankStatementEntriesAsync(ListBankStatementEntriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<BankStatementEntry> MatchBankStatementEntryAsync(string entryId, string paymentId, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Mandate> CreateMandateAsync(CreateMandateRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Mandate> GetMandateAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<Mandate>> ListMandatesAsync(ListDirectDebitObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    /// <summary>The new batch, or null when nothing was waiting (HTTP 204).</summary>
    Task<DirectDebitBatch?> CreateDirectDebitBatchAsync(RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<DirectDebitBatch> GetDirectDebitBatchAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<DirectDebitBatch>> ListDirectDebitBatchesAsync(ListDirectDebitObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Stream> DownloadDirectDebitBatchFileAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Dispute> GetDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<Dispute>> ListDisputesAsync(ListDisputesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Dispute> UpdateDisputeEvidenceAsync(string id, DisputeEvidence evidence, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<DisputeEvidenceFile> UploadDisputeEvidenceFileAsync(string id, byte[] content, string fileName, string contentType, RequestOptions? requestOptions,
        CancellationToken cancellationToken);

    Task<Stream> DownloadDisputeEvidenceFileAsync(string id, string fileId, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Dispute> SubmitDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Dispute> AcceptDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Customer> CreateCustomerAsync(CreateCustomerRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Customer> GetCustomerAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Customer> UpdateCustomerAsync(string id, UpdateCustomerRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Customer> DeleteCustomerAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<Customer>> ListCustomersAsync(ListCustomersRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<PaymentMethod> AttachPaymentMethodAsync(string customerId, string paymentMethodId, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<PaymentMethod> DetachPaymentMethodAsync(string customerId, string paymentMethodId, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<PaymentMethod>> ListCustomerPaymentMethodsAsync(string customerId, ListCustomerPaymentMethodsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<PaymentMethod> UpdatePaymentMethodAsync(string id, UpdatePaymentMethodRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<PaymentsReport> GetPaymentsReportAsync(ReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<DeclineReasonsReport> GetDeclineReasonsReportAsync(ReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<PaymentsReport> GetPaymentsReportAcrossMerchantsAsync(AcrossMerchantsReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<DeclineReasonsReport> GetDeclineReasonsReportAcrossMerchantsAsync(AcrossMerchantsReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<ReportSettings> GetReportSettingsAsync(RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<ReportSettings> UpdateReportSettingsAsync(ReportSettingsBody body, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Export> CreateExportAsync(CreateExportRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Export> GetExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<Export>> ListExportsAsync(ListReportObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Export> CancelExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Stream> DownloadExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<SettlementImport> ImportSettlementsAsync(string providerAccount, byte[] content, string? payout, DateOnly? payoutDate, RequestOptions? requestOptions,
        CancellationToken cancellationToken);

    Task<Page<SettlementLine>> ListSettlementLinesAsync(ListSettlementLinesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<SettlementPayout>> ListSettlementPayoutsAsync(ListReportObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken);

    Task<Page<Payment>> ListUnsettledPaymentsAsync(int? days, int? limit, RequestOptions? requestOptions, CancellationToken cancellationToken);
}

/// <summary>The body of <c>POST /v1/reports/settings</c>.</summary>
internal sealed record ReportSettingsBody
{
    public required string TimeZone { get; init; }
}

/// <summary>The query string of <c>GET /v1/reports/payments</c>, <c>/v1/reports/decline_reasons</c> and their <c>/v1/admin/reports</c> forms (a null property is left out).</summary>
internal sealed record ReportQueryParameters
{
    [Refit.AliasAs("from")] public required string From { get; init; }
    [Refit.AliasAs("to")] public required string To { get; init; }
    [Refit.AliasAs("interval")] public string? Interval { get; init; }
    [Refit.AliasAs("time_zone")] public string? TimeZone { get; init; }
    [Refit.AliasAs("group_by")] public string? GroupBy { get; init; }
    [Refit.AliasAs("currency")] public string? Currency { get; init; }
    [Refit.AliasAs("provider")] public string? Provider { get; init; }
    [Refit.AliasAs("provider_account")] public string? ProviderAccount { get; init; }
    [Refit.AliasAs("payment_method_type")] public string? PaymentMethodType { get; init; }
    [Refit.AliasAs("card_brand")] public string? CardBrand { get; init; }
    [Refit.AliasAs("country")] public string? Country { get; init; }
    [Refit.AliasAs("merchant")] public string? Merchant { get; init; }
    [Refit.AliasAs("livemode")] public string? Livemode { get; init; }

    public static ReportQueryParameters Of(ReportQuery query) => new()
    {
        From = Date(query.From),
        To = Date(query.To),
        Interval = query.Interval,
        TimeZone = query.TimeZone,
        GroupBy = query.GroupBy is { Count: > 0 } groups ? string.Join(',', groups) : null,
        Currency = query.Currency,
        Provider = query.Provider,
        ProviderAccount = query.ProviderAccount,
        PaymentMethodType = query.PaymentMethodType,
        CardBrand = query.CardBrand,
        Country = query.Country,
    };

    public static ReportQueryParameters Of(AcrossMerchantsReportQuery query) => Of(query.Report) with
    {
        Merchant = query.Merchants is { Count: > 0 } merchants ? string.Join(',', merchants) : null,
        Livemode = query.Livemode is { } live ? (live ? "true" : "false") : null,
    };

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
