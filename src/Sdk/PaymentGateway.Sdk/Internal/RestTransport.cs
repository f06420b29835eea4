namespace PaymentGateway.Sdk.Internal;

/// <summary>The REST transport: the Refit-generated client over an <see cref="HttpClient"/> whose handler applies the resilience pipeline.</summary>
internal sealed class RestTransport(ApiTransport transport) : IGatewayTransport
{
    private IPaymentGatewayApi Api => transport.Api;

    public Task<Payment> CreatePaymentAsync(CreatePaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CreatePaymentAsync(request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Payment> GetPaymentAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetPaymentAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<Payment>> ListPaymentsAsync(ListPaymentsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListPaymentsAsync(
                request.Limit,
                request.StartingAfter,
                request.EndingBefore,
                request.Status?.Value,
                request.CreatedGte is { } gte ? ApiTransport.FormatTimestamp(gte) : null,
                request.CreatedLt is { } lt ? ApiTransport.FormatTimestamp(lt) : null,
                transport.ApiKeyFor(requestOptions),
                cancellationToken),
            null,
            cancellationToken);

    public Task<Payment> ConfirmPaymentAsync(string id, ConfirmPaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.ConfirmPaymentAsync(id, request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Payment> CapturePaymentAsync(string id, CapturePaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CapturePaymentAsync(id, request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Payment> CancelPaymentAsync(string id, CancelPaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CancelPaymentAsync(id, request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<CheckoutSession> CreateCheckoutSessionAsync(CreateCheckoutSessionRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CreateCheckoutSessionAsync(request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<CheckoutSession> GetCheckoutSessionAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetCheckoutSessionAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Refund> CreateRefundAsync(CreateRefundRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CreateRefundAsync(request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Refund> GetRefundAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetRefundAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<Refund>> ListRefundsAsync(ListRefundsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListRefundsAsync(request.Payment, request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null,
            cancellationToken);

    public Task<PaymentMethod> CreatePaymentMethodAsync(CreatePaymentMethodRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CreatePaymentMethodAsync(request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<PaymentMethod> GetPaymentMethodAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetPaymentMethodAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Event> GetEventAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetEventAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<Event>> ListEventsAsync(ListEventsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListEventsAsync(request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null,
            cancellationToken);

    public Task<WebhookEndpoint> CreateWebhookEndpointAsync(CreateWebhookEndpointRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CreateWebhookEndpointAsync(request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<WebhookEndpoint> GetWebhookEndpointAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetWebhookEndpointAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<WebhookEndpoint>> ListWebhookEndpointsAsync(ListWebhookEndpointsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListWebhookEndpointsAsync(request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null,
            cancellationToken);

    public Task<WebhookEndpoint> UpdateWebhookEndpointAsync(string id, UpdateWebhookEndpointRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.UpdateWebhookEndpointAsync(id, request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<DeletedObject> DeleteWebhookEndpointAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.DeleteWebhookEndpointAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<WebhookEndpoint> RotateWebhookSecretAsync(string id, RotateWebhookSecretRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.RotateWebhookSecretAsync(id, request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Page<WebhookDelivery>> ListWebhookEndpointDeliveriesAsync(
        string id, ListWebhookDeliveriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListWebhookEndpointDeliveriesAsync(
                id, request.Status?.Value, request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null,
            cancellationToken);

    public Task<Page<WebhookDelivery>> ListEventDeliveriesAsync(
        string id, ListWebhookDeliveriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListEventDeliveriesAsync(
                id, request.Status?.Value, request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null,
            cancellationToken);

    public Task<Page<WebhookDelivery>> RedeliverEventAsync(string id, RedeliverEventRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.RedeliverEventAsync(id, request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public async Task<BankStatement> ImportBankStatementAsync(HttpContent statement, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        using (statement)
        {
            return await ApiTransport.SendAsync(Api.ImportBankStatementAsync(statement, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<BankStatement> GetBankStatementAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetBankStatementAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<BankStatementEntry>> ListBankStatementEntriesAsync(ListBankStatementEntriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListBankStatementEntriesAsync(
                request.Status?.Value, request.BankStatement, request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null,
            cancellationToken);

    public Task<BankStatementEntry> MatchBankStatementEntryAsync(string entryId, string paymentId, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(
            Api.MatchBankStatementEntryAsync(entryId, new MatchBankStatementEntryBody(paymentId), transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Mandate> CreateMandateAsync(CreateMandateRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CreateMandateAsync(request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Mandate> GetMandateAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetMandateAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<Mandate>> ListMandatesAsync(ListDirectDebitObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListMandatesAsync(request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<DirectDebitBatch?> CreateDirectDebitBatchAsync(RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendOrNoContentAsync(Api.CreateDirectDebitBatchAsync(transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<DirectDebitBatch> GetDirectDebitBatchAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetDirectDebitBatchAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<DirectDebitBatch>> ListDirectDebitBatchesAsync(ListDirectDebitObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListDirectDebitBatchesAsync(request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Stream> DownloadDirectDebitBatchFileAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendFileAsync(Api.DownloadDirectDebitBatchFileAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), cancellationToken);

    public Task<Dispute> GetDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetDisputeAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<Dispute>> ListDisputesAsync(ListDisputesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListDisputesAsync(request.Status?.Value, request.Payment, request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions),
                cancellationToken),
            null,
            cancellationToken);

    public Task<Dispute> UpdateDisputeEvidenceAsync(string id, DisputeEvidence evidence, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.UpdateDisputeEvidenceAsync(id, evidence, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public async Task<DisputeEvidenceFile> UploadDisputeEvidenceFileAsync(string id, byte[] content, string fileName, string contentType, RequestOptions? requestOptions,
        CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await ApiTransport.SendAsync(Api.UploadDisputeEvidenceFileAsync(id, fileName, body, transport.ApiKeyFor(requestOptions), key, cancellationToken), key,
            cancellationToken).ConfigureAwait(false);
    }

    public Task<Stream> DownloadDisputeEvidenceFileAsync(string id, string fileId, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendFileAsync(Api.DownloadDisputeEvidenceFileAsync(id, fileId, transport.ApiKeyFor(requestOptions), cancellationToken), cancellationToken);

    public Task<Dispute> SubmitDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.SubmitDisputeAsync(id, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Dispute> AcceptDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.AcceptDisputeAsync(id, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Customer> CreateCustomerAsync(CreateCustomerRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CreateCustomerAsync(request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Customer> GetCustomerAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetCustomerAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Customer> UpdateCustomerAsync(string id, UpdateCustomerRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.UpdateCustomerAsync(id, request, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Customer> DeleteCustomerAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.DeleteCustomerAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<Customer>> ListCustomersAsync(ListCustomersRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListCustomersAsync(
                request.Limit,
                request.StartingAfter,
                request.EndingBefore,
                request.Email,
                request.MetadataKey is { } metadataKey ? new Dictionary<string, string> { [$"metadata[{metadataKey}]"] = request.MetadataValue ?? string.Empty } : null,
                transport.ApiKeyFor(requestOptions),
                cancellationToken),
            null,
            cancellationToken);

    public Task<PaymentMethod> AttachPaymentMethodAsync(string customerId, string paymentMethodId, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(
            Api.AttachPaymentMethodAsync(customerId, new AttachPaymentMethodBody(paymentMethodId), transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<PaymentMethod> DetachPaymentMethodAsync(string customerId, string paymentMethodId, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.DetachPaymentMethodAsync(customerId, paymentMethodId, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<PaymentMethod>> ListCustomerPaymentMethodsAsync(
        string customerId, ListCustomerPaymentMethodsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListCustomerPaymentMethodsAsync(customerId, request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null,
            cancellationToken);

    public Task<PaymentMethod> UpdatePaymentMethodAsync(string id, UpdatePaymentMethodRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.UpdatePaymentMethodAsync(id, request, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<PaymentsReport> GetPaymentsReportAsync(ReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.GetPaymentsReportAsync(
                ReportQueryParameters.Of(query),
                transport.ApiKeyFor(requestOptions),
                cancellationToken),
            null,
            cancellationToken);

    public Task<DeclineReasonsReport> GetDeclineReasonsReportAsync(ReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.GetDeclineReasonsReportAsync(
                ReportQueryParameters.Of(query),
                transport.ApiKeyFor(requestOptions),
                cancellationToken),
            null,
            cancellationToken);

    public Task<PaymentsReport> GetPaymentsReportAcrossMerchantsAsync(AcrossMerchantsReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetPaymentsReportAcrossMerchantsAsync(ReportQueryParameters.Of(query), transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<DeclineReasonsReport> GetDeclineReasonsReportAcrossMerchantsAsync(AcrossMerchantsReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetDeclineReasonsReportAcrossMerchantsAsync(ReportQueryParameters.Of(query), transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<ReportSettings> GetReportSettingsAsync(RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetReportSettingsAsync(transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<ReportSettings> UpdateReportSettingsAsync(ReportSettingsBody body, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.UpdateReportSettingsAsync(body, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Export> CreateExportAsync(CreateExportRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CreateExportAsync(request, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Export> GetExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.GetExportAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);

    public Task<Page<Export>> ListExportsAsync(ListReportObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.ListExportsAsync(request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null, cancellationToken);

    public Task<Export> CancelExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var key = ApiTransport.IdempotencyKeyFor(requestOptions);
        return ApiTransport.SendAsync(Api.CancelExportAsync(id, transport.ApiKeyFor(requestOptions), key, cancellationToken), key, cancellationToken);
    }

    public Task<Stream> DownloadExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendFileAsync(Api.DownloadExportAsync(id, transport.ApiKeyFor(requestOptions), cancellationToken), cancellationToken);

    public async Task<SettlementImport> ImportSettlementsAsync(string providerAccount, byte[] content, string? payout, DateOnly? payoutDate, RequestOptions? requestOptions,
        CancellationToken cancellationToken)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return await ApiTransport.SendAsync(
            Api.ImportSettlementsAsync(providerAccount, payout, payoutDate is { } d ? ReportQueryParameters.Date(d) : null, body, transport.ApiKeyFor(requestOptions), cancellationToken),
            null, cancellationToken).ConfigureAwait(false);
    }

    public Task<Page<SettlementLine>> ListSettlementLinesAsync(ListSettlementLinesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(
            Api.ListSettlementLinesAsync(request.Limit, request.StartingAfter, request.EndingBefore, request.Status, request.Payment, request.Payout,
                transport.ApiKeyFor(requestOptions), cancellationToken),
            null,
            cancellationToken);

    public Task<Page<SettlementPayout>> ListSettlementPayoutsAsync(ListReportObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.ListSettlementPayoutsAsync(request.Limit, request.StartingAfter, request.EndingBefore, transport.ApiKeyFor(requestOptions), cancellationToken),
            null, cancellationToken);

    public Task<Page<Payment>> ListUnsettledPaymentsAsync(int? days, int? limit, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ApiTransport.SendAsync(Api.ListUnsettledPaymentsAsync(days, limit, transport.ApiKeyFor(requestOptions), cancellationToken), null, cancellationToken);
}
