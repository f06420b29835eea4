using System.Globalization;
using System.Text;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using V1 = Payments.V1;

namespace PaymentGateway.Sdk.Internal;

/// <summary>
/// The gRPC transport (payments.v1): the client generated from the gateway's published protos, the API key in
/// <c>authorization</c> metadata and the idempotency key in <c>idempotency-key</c> metadata (chosen once per logical
/// call, so every retry sends the same one), a resilience pipeline with the REST transport's rules, and
/// <c>google.rpc.Status</c> errors mapped to the same <see cref="PaymentGatewayException"/> REST produces.
/// </summary>
/// <remarks>
/// Retried (every call is safe to repeat: reads, or writes with an idempotency key): <c>Unavailable</c>,
/// <c>DeadlineExceeded</c>, <c>ResourceExhausted</c>, <c>Internal</c> (REST retries every 5xx: on a server-side failure
/// the gateway releases the idempotency key, so the retry runs again), attempt timeouts, and <c>Aborted</c> only for the transient codes
/// <c>idempotency_key_in_use</c> and <c>concurrent_update</c> (never <c>payment_state_conflict</c>). Never retried:
/// <c>InvalidArgument</c>, <c>Unauthenticated</c>, <c>PermissionDenied</c>, <c>NotFound</c>, <c>FailedPrecondition</c>
/// (declines and unprocessable requests) and every other status.
/// </remarks>
internal sealed class GrpcTransport : IGatewayTransport, IDisposable
{
    public const string ErrorDomain = "paymentgateway";

    private readonly GrpcChannel _channel;
    private readonly V1.PaymentGatewayService.PaymentGatewayServiceClient _client;
    private readonly V1.DisputeService.DisputeServiceClient _disputes;
    private readonly ResiliencePipeline _pipeline;
    private readonly string _apiKey;

    public GrpcTransport(PaymentGatewayClientOptions options, TimeProvider timeProvider)
    {
        var address = options.BaseAddress ?? throw new ArgumentException("BaseAddress is required.", nameof(options));
        var handler = PaymentGatewayClient.CreatePrimaryHandler();
        handler.EnableMultipleHttp2Connections = true;
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            ThrowOperationCanceledOnCancellation = true,
            MaxReceiveMessageSize = DisputesOperations.MaxEvidenceFileBytes + (1024 * 1024), // an evidence file download is one message
        });
        _client = new V1.PaymentGatewayService.PaymentGatewayServiceClient(_channel);
        _disputes = new V1.DisputeService.DisputeServiceClient(_channel);
        _pipeline = BuildPipeline(options, timeProvider);
        _apiKey = options.ApiKey ?? string.Empty;
    }

    public Task<Payment> CreatePaymentAsync(CreatePaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.CreatePaymentAsync(GrpcMapper.ToProto(request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Payment),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<Payment> GetPaymentAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.GetPaymentAsync(new V1.GetPaymentRequest { Id = id }, h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Payment),
            requestOptions, null, cancellationToken);

    public Task<Page<Payment>> ListPaymentsAsync(ListPaymentsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.ListPaymentsAsync(GrpcMapper.ToProto(request), h, cancellationToken: ct),
            r => GrpcMapper.ToPage(r.Data.Select(GrpcMapper.FromProto), r.HasMore), requestOptions, null, cancellationToken);

    public Task<Payment> ConfirmPaymentAsync(string id, ConfirmPaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.ConfirmPaymentAsync(GrpcMapper.ToProto(id, request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Payment),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<Payment> CapturePaymentAsync(string id, CapturePaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.CapturePaymentAsync(GrpcMapper.ToProto(id, request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Payment),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<Payment> CancelPaymentAsync(string id, CancelPaymentRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.CancelPaymentAsync(GrpcMapper.ToProto(id, request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Payment),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    // Hosted checkout is REST only (not in payments.v1's proto).
    public Task<CheckoutSession> CreateCheckoutSessionAsync(CreateCheckoutSessionRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<CheckoutSession>("CheckoutSessions.CreateAsync");

    public Task<CheckoutSession> GetCheckoutSessionAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<CheckoutSession>("CheckoutSessions.GetAsync");

    public Task<Refund> CreateRefundAsync(CreateRefundRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.CreateRefundAsync(GrpcMapper.ToProto(request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Refund),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<Refund> GetRefundAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.GetRefundAsync(new V1.GetRefundRequest { Id = id }, h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Refund),
            requestOptions, null, cancellationToken);

    public Task<Page<Refund>> ListRefundsAsync(ListRefundsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.ListRefundsAsync(GrpcMapper.ToProto(request), h, cancellationToken: ct),
            r => GrpcMapper.ToPage(r.Data.Select(GrpcMapper.FromProto), r.HasMore), requestOptions, null, cancellationToken);

    public Task<PaymentMethod> CreatePaymentMethodAsync(CreatePaymentMethodRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.CreatePaymentMethodAsync(GrpcMapper.ToProto(request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.PaymentMethod),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<PaymentMethod> GetPaymentMethodAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.GetPaymentMethodAsync(new V1.GetPaymentMethodRequest { Id = id }, h, cancellationToken: ct), r => GrpcMapper.FromProto(r.PaymentMethod),
            requestOptions, null, cancellationToken);

    public Task<Event> GetEventAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.GetEventAsync(new V1.GetEventRequest { Id = id }, h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Event),
            requestOptions, null, cancellationToken);

    public Task<Page<Event>> ListEventsAsync(ListEventsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.ListEventsAsync(GrpcMapper.ToProto(request), h, cancellationToken: ct),
            r => GrpcMapper.ToPage(r.Data.Select(GrpcMapper.FromProto), r.HasMore), requestOptions, null, cancellationToken);

    // The gRPC API (payments.v1) has no webhook operations: webhook endpoints, delivery logs and redelivery are REST only.
    public Task<WebhookEndpoint> CreateWebhookEndpointAsync(CreateWebhookEndpointRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<WebhookEndpoint>("WebhookEndpoints.CreateAsync");

    public Task<WebhookEndpoint> GetWebhookEndpointAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<WebhookEndpoint>("WebhookEndpoints.GetAsync");

    public Task<Page<WebhookEndpoint>> ListWebhookEndpointsAsync(ListWebhookEndpointsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<Page<WebhookEndpoint>>("WebhookEndpoints.ListAsync");

    public Task<WebhookEndpoint> UpdateWebhookEndpointAsync(string id, UpdateWebhookEndpointRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<WebhookEndpoint>("WebhookEndpoints.UpdateAsync");

    public Task<DeletedObject> DeleteWebhookEndpointAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<DeletedObject>("WebhookEndpoints.DeleteAsync");

    public Task<WebhookEndpoint> RotateWebhookSecretAsync(string id, RotateWebhookSecretRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<WebhookEndpoint>("WebhookEndpoints.RotateSecretAsync");

    public Task<Page<WebhookDelivery>> ListWebhookEndpointDeliveriesAsync(
        string id, ListWebhookDeliveriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<Page<WebhookDelivery>>("WebhookEndpoints.ListDeliveriesAsync");

    public Task<Page<WebhookDelivery>> ListEventDeliveriesAsync(
        string id, ListWebhookDeliveriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<Page<WebhookDelivery>>("Events.ListDeliveriesAsync");

    public Task<Page<WebhookDelivery>> RedeliverEventAsync(string id, RedeliverEventRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        RestOnly<Page<WebhookDelivery>>("Events.RedeliverAsync");

    public Task<BankStatement> ImportBankStatementAsync(HttpContent statement, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        statement.Dispose();
        return BankStatementsRestOnly<BankStatement>("BankStatements.ImportAsync");
    }

    public Task<BankStatement> GetBankStatementAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        BankStatementsRestOnly<BankStatement>("BankStatements.GetAsync");

    public Task<Page<BankStatementEntry>> ListBankStatementEntriesAsync(ListBankStatementEntriesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        BankStatementsRestOnly<Page<BankStatementEntry>>("BankStatementEntries.ListAsync");

    public Task<BankStatementEntry> MatchBankStatementEntryAsync(string entryId, string paymentId, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        BankStatementsRestOnly<BankStatementEntry>("BankStatementEntries.MatchAsync");

    public Task<Mandate> CreateMandateAsync(CreateMandateRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        DirectDebitsRestOnly<Mandate>("Mandates.CreateAsync");

    public Task<Mandate> GetMandateAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        DirectDebitsRestOnly<Mandate>("Mandates.GetAsync");

    public Task<Page<Mandate>> ListMandatesAsync(ListDirectDebitObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        DirectDebitsRestOnly<Page<Mandate>>("Mandates.ListAsync");

    public Task<DirectDebitBatch?> CreateDirectDebitBatchAsync(RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        DirectDebitsRestOnly<DirectDebitBatch?>("DirectDebitBatches.CreateAsync");

    public Task<DirectDebitBatch> GetDirectDebitBatchAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        DirectDebitsRestOnly<DirectDebitBatch>("DirectDebitBatches.GetAsync");

    public Task<Page<DirectDebitBatch>> ListDirectDebitBatchesAsync(ListDirectDebitObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        DirectDebitsRestOnly<Page<DirectDebitBatch>>("DirectDebitBatches.ListAsync");

    public Task<Stream> DownloadDirectDebitBatchFileAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        DirectDebitsRestOnly<Stream>("DirectDebitBatches.DownloadFileAsync");

    public Task<Customer> CreateCustomerAsync(CreateCustomerRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.CreateCustomerAsync(GrpcMapper.ToProto(request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Customer),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<Customer> GetCustomerAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.GetCustomerAsync(new V1.GetCustomerRequest { Id = id }, h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Customer),
            requestOptions, null, cancellationToken);

    public Task<Customer> UpdateCustomerAsync(string id, UpdateCustomerRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.UpdateCustomerAsync(GrpcMapper.ToProto(id, request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Customer),
            requestOptions, null, cancellationToken);

    public Task<Customer> DeleteCustomerAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.DeleteCustomerAsync(new V1.DeleteCustomerRequest { Id = id }, h, cancellationToken: ct), r => GrpcMapper.FromProto(r.Customer),
            requestOptions, null, cancellationToken);

    public Task<Page<Customer>> ListCustomersAsync(ListCustomersRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.ListCustomersAsync(GrpcMapper.ToProto(request), h, cancellationToken: ct),
            r => GrpcMapper.ToPage(r.Data.Select(GrpcMapper.FromProto), r.HasMore), requestOptions, null, cancellationToken);

    public Task<PaymentMethod> AttachPaymentMethodAsync(string customerId, string paymentMethodId, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.AttachPaymentMethodAsync(new V1.AttachPaymentMethodRequest { Customer = customerId, PaymentMethod = paymentMethodId }, h, cancellationToken: ct),
            r => GrpcMapper.FromProto(r.PaymentMethod), requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<PaymentMethod> DetachPaymentMethodAsync(string customerId, string paymentMethodId, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.DetachPaymentMethodAsync(new V1.DetachPaymentMethodRequest { Customer = customerId, PaymentMethod = paymentMethodId }, h, cancellationToken: ct),
            r => GrpcMapper.FromProto(r.PaymentMethod), requestOptions, null, cancellationToken);

    public Task<Page<PaymentMethod>> ListCustomerPaymentMethodsAsync(
        string customerId, ListCustomerPaymentMethodsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.ListCustomerPaymentMethodsAsync(GrpcMapper.ToProto(customerId, request), h, cancellationToken: ct),
            r => GrpcMapper.ToPage(r.Data.Select(GrpcMapper.FromProto), r.HasMore), requestOptions, null, cancellationToken);

    public Task<PaymentMethod> UpdatePaymentMethodAsync(string id, UpdatePaymentMethodRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _client.UpdatePaymentMethodAsync(GrpcMapper.ToProto(id, request), h, cancellationToken: ct), r => GrpcMapper.FromProto(r.PaymentMethod),
            requestOptions, null, cancellationToken);

    /// <summary>The failure of a direct-debit operation, which the gRPC API does not have; nothing is sent.</summary>
    public Task<PaymentsReport> GetPaymentsReportAsync(ReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<PaymentsReport>("Reports.GetPaymentsAsync");

    public Task<DeclineReasonsReport> GetDeclineReasonsReportAsync(ReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<DeclineReasonsReport>("Reports.GetDeclineReasonsAsync");

    public Task<PaymentsReport> GetPaymentsReportAcrossMerchantsAsync(AcrossMerchantsReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<PaymentsReport>("Reports.GetPaymentsAcrossMerchantsAsync");

    public Task<DeclineReasonsReport> GetDeclineReasonsReportAcrossMerchantsAsync(AcrossMerchantsReportQuery query, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<DeclineReasonsReport>("Reports.GetDeclineReasonsAcrossMerchantsAsync");

    public Task<ReportSettings> GetReportSettingsAsync(RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<ReportSettings>("Reports.GetSettingsAsync");

    public Task<ReportSettings> UpdateReportSettingsAsync(ReportSettingsBody body, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<ReportSettings>("Reports.UpdateSettingsAsync");

    public Task<Export> CreateExportAsync(CreateExportRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<Export>("Exports.CreateAsync");

    public Task<Export> GetExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<Export>("Exports.GetAsync");

    public Task<Page<Export>> ListExportsAsync(ListReportObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<Page<Export>>("Exports.ListAsync");

    public Task<Export> CancelExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<Export>("Exports.CancelAsync");

    public Task<Stream> DownloadExportAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<Stream>("Exports.DownloadAsync");

    public Task<SettlementImport> ImportSettlementsAsync(string providerAccount, byte[] content, string? payout, DateOnly? payoutDate, RequestOptions? requestOptions,
        CancellationToken cancellationToken) =>
        ReportsRestOnly<SettlementImport>("Settlements.ImportAsync");

    public Task<Page<SettlementLine>> ListSettlementLinesAsync(ListSettlementLinesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<Page<SettlementLine>>("Settlements.ListLinesAsync");

    public Task<Page<SettlementPayout>> ListSettlementPayoutsAsync(ListReportObjectsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<Page<SettlementPayout>>("Settlements.ListPayoutsAsync");

    public Task<Page<Payment>> ListUnsettledPaymentsAsync(int? days, int? limit, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        ReportsRestOnly<Page<Payment>>("Settlements.ListUnsettledAsync");

    internal static Task<T> ReportsRestOnly<T>(string operation) => Task.FromException<T>(new NotSupportedException(
        $"{operation} needs the REST transport: the gateway's gRPC API (payments.v1) has no reports, exports or settlements (a report is a read "
        + "of many rows and an export a file download, which REST serves). Use a client with Transport = PaymentGatewayTransport.Rest (the default)."));

    internal static Task<T> DirectDebitsRestOnly<T>(string operation) => Task.FromException<T>(new NotSupportedException(
        $"{operation} needs the REST transport: the gateway's gRPC API (payments.v1) has no SEPA Direct Debit operations (mandates, collection files). "
        + "Use a client with Transport = PaymentGatewayTransport.Rest (the default) and the gateway's REST address for direct debits."));

    public Task<Dispute> GetDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _disputes.GetDisputeAsync(new V1.GetDisputeRequest { Id = id }, h, cancellationToken: ct), r => DisputeGrpcMapper.FromProto(r.Dispute),
            requestOptions, null, cancellationToken);

    public Task<Page<Dispute>> ListDisputesAsync(ListDisputesRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _disputes.ListDisputesAsync(DisputeGrpcMapper.ToProto(request), h, cancellationToken: ct),
            r => GrpcMapper.ToPage(r.Data.Select(DisputeGrpcMapper.FromProto), r.HasMore), requestOptions, null, cancellationToken);

    public Task<Dispute> UpdateDisputeEvidenceAsync(string id, DisputeEvidence evidence, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _disputes.UpdateDisputeEvidenceAsync(new V1.UpdateDisputeEvidenceRequest { Id = id, Evidence = DisputeGrpcMapper.ToProto(evidence) }, h, cancellationToken: ct),
            r => DisputeGrpcMapper.FromProto(r.Dispute), requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<DisputeEvidenceFile> UploadDisputeEvidenceFileAsync(string id, byte[] content, string fileName, string contentType, RequestOptions? requestOptions,
        CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _disputes.UploadDisputeEvidenceFileAsync(DisputeGrpcMapper.ToProto(id, content, fileName, contentType), h, cancellationToken: ct),
            r => DisputeGrpcMapper.FromProto(r.File), requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public async Task<Stream> DownloadDisputeEvidenceFileAsync(string id, string fileId, RequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var file = await CallAsync((h, ct) => _disputes.DownloadDisputeEvidenceFileAsync(new V1.DownloadDisputeEvidenceFileRequest { Dispute = id, File = fileId }, h, cancellationToken: ct),
            r => new DownloadedFile(r.Content.ToByteArray()), requestOptions, null, cancellationToken).ConfigureAwait(false);
        return new MemoryStream(file.Content, writable: false);
    }

    public Task<Dispute> SubmitDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _disputes.SubmitDisputeAsync(new V1.SubmitDisputeRequest { Id = id }, h, cancellationToken: ct), r => DisputeGrpcMapper.FromProto(r.Dispute),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public Task<Dispute> AcceptDisputeAsync(string id, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
        CallAsync((h, ct) => _disputes.AcceptDisputeAsync(new V1.AcceptDisputeRequest { Id = id }, h, cancellationToken: ct), r => DisputeGrpcMapper.FromProto(r.Dispute),
            requestOptions, ApiTransport.IdempotencyKeyFor(requestOptions), cancellationToken);

    public void Dispose() => _channel.Dispose();

    /// <summary>A downloaded file's bytes, carried through the call pipeline like a returned object.</summary>
    private sealed record DownloadedFile(byte[] Content) : PaymentGatewayObject;

    /// <summary>The failure of a bank-statement operation, which the gRPC API does not have; nothing is sent.</summary>
    internal static Task<T> BankStatementsRestOnly<T>(string operation) => Task.FromException<T>(new NotSupportedException(
        $"{operation} needs the REST transport: the gateway's gRPC API (payments.v1) has no bank statement operations (camt.053 import, entries, manual matching). "
        + "Use a client with Transport = PaymentGatewayTransport.Rest (the default) and the gateway's REST address for bank-transfer reconciliation."));

    /// <summary>The failure of an operation the gRPC API does not have; nothing is sent.</summary>
    internal static Task<T> RestOnly<T>(string operation) => Task.FromException<T>(new NotSupportedException(
        $"{operation} needs the REST transport: the gateway's gRPC API (payments.v1) has no webhook operations. "
        + "Use a client with Transport = PaymentGatewayTransport.Rest (the default) and the gateway's REST address for webhook endpoints, delivery logs and redelivery."));

    /// <summary>Decides whether a failed attempt is retried; see the class remarks.</summary>
    public static bool ShouldRetry(Exception? exception) => exception switch
    {
        TimeoutRejectedException or HttpRequestException => true,
        RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Internal } => true,
        RpcException { StatusCode: StatusCode.Aborted } e => ErrorInfoOf(e)?.Reason is { } reason
            && (reason == ErrorCode.IdempotencyKeyInUse.Value || reason == ErrorCode.ConcurrentUpdate.Value),
        _ => false,
    };

    /// <summary>The exception for a failed call: the gateway's error with REST's status and code, or a transport failure.</summary>
    public static PaymentGatewayException ToException(Exception failure, string? idempotencyKey)
    {
        if (failure is not RpcException rpc || ErrorInfoOf(rpc) is not { } info)
        {
            return TransportFailure.Create(failure, idempotencyKey, PaymentGatewayTransport.Grpc);
        }

        var status = rpc.GetRpcStatus();
        var httpStatus = info.Metadata.TryGetValue("http_status", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var requestId = info.Metadata.TryGetValue("request_id", out var id) ? id : status?.GetDetail<RequestInfo>()?.RequestId;
        var param = info.Metadata.TryGetValue("param", out var p) ? p : null;
        var declineCode = info.Metadata.TryGetValue("decline_code", out var d) ? d : null;
        var payment = status?.Details.FirstOrDefault(detail => detail.Is(V1.Payment.Descriptor))?.Unpack<V1.Payment>();
        var detail = status?.Message ?? rpc.Status.Detail;

        var builder = new StringBuilder().Append(detail).Append(" (status ").Append(httpStatus).Append(", code ").Append(info.Reason);
        if (declineCode is not null)
        {
            builder.Append(", decline_code ").Append(declineCode);
        }

        if (param is not null)
        {
            builder.Append(", param ").Append(param);
        }

        if (requestId is not null)
        {
            builder.Append(", request ").Append(requestId);
        }

        builder.Append(')').Append(TransportFailure.HintFor(httpStatus));
        return new PaymentGatewayException(builder.ToString(), rpc)
        {
            Status = httpStatus,
            Code = new ErrorCode(info.Reason),
            DeclineCode = declineCode,
            Param = param,
            RequestId = requestId,
            IdempotencyKey = idempotencyKey,
            Type = $"urn:paymentgateway:error:{info.Reason}",
            Title = rpc.StatusCode.ToString(),
            Detail = detail,
            Payment = payment is null ? null : GrpcMapper.FromProto(payment),
        };
    }

    private static ErrorInfo? ErrorInfoOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<ErrorInfo>() is { Domain: ErrorDomain } info ? info : null;

    private static ResiliencePipeline BuildPipeline(PaymentGatewayClientOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { Name = PaymentGatewayResilience.PipelineName + "-grpc", TimeProvider = timeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total-timeout", Timeout = options.Timeout });
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception)),
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.PerTryTimeout });
        return builder.Build();
    }

    private async Task<T> CallAsync<TResponse, T>(
        Func<Metadata, CancellationToken, AsyncUnaryCall<TResponse>> start,
        Func<TResponse, T> map,
        RequestOptions? requestOptions,
        string? idempotencyKey,
        CancellationToken cancellationToken)
        where T : PaymentGatewayObject
    {
        var headers = new Metadata { { "authorization", "Bearer " + (string.IsNullOrEmpty(requestOptions?.ApiKey) ? _apiKey : requestOptions.ApiKey) } };
        if (idempotencyKey is not null)
        {
            headers.Add("idempotency-key", idempotencyKey);
        }

        try
        {
            return await _pipeline.ExecuteAsync(
                async ct =>
                {
                    using var call = start(headers, ct);
                    var response = await call.ResponseAsync.ConfigureAwait(false);
                    var responseHeaders = await call.ResponseHeadersAsync.ConfigureAwait(false);
                    return map(response) with
                    {
                        RequestId = responseHeaders.GetValue("request-id"),
                        IdempotentReplayed = string.Equals(responseHeaders.GetValue("idempotent-replayed"), "true", StringComparison.OrdinalIgnoreCase),
                    };
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or TimeoutRejectedException or HttpRequestException)
        {
            throw ToException(e, idempotencyKey);
        }
    }
}
