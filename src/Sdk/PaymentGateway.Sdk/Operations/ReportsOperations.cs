using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// Analytics: <c>/v1/reports</c> (secret key) and <c>/v1/admin/reports</c> across merchants (admin key), answered from
/// the gateway's rollups (docs/reporting.md). Reach it through
/// <see cref="PaymentGatewayClient.Reports"/>. REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods
/// throw <see cref="NotSupportedException"/>.
/// </summary>
public class ReportsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected ReportsOperations()
    {
    }

    internal ReportsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>The payments report (<c>GET /v1/reports/payments</c>): volume, counts and rates per local period and group.</summary>
    /// <param name="query">The range, interval, time zone, grouping and filters.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/> naming the parameter.</exception>
    public virtual Task<PaymentsReport> GetPaymentsAsync(ReportQuery query, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Transport.GetPaymentsReportAsync(query, requestOptions, cancellationToken);
    }

    /// <summary>Decline codes ranked, most frequent first (<c>GET /v1/reports/decline_reasons</c>).</summary>
    /// <param name="query">The range, time zone, grouping and filters (the interval is ignored).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ranked codes.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/>.</exception>
    public virtual Task<DeclineReasonsReport> GetDeclineReasonsAsync(ReportQuery query, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Transport.GetDeclineReasonsReportAsync(query, requestOptions, cancellationToken);
    }

    /// <summary>
    /// The payments report across merchants (<c>GET /v1/admin/reports/payments</c>, admin key: pass it as the client's
    /// key or in <see cref="RequestOptions.ApiKey"/>): every merchant's figures, or those of
    /// <see cref="AcrossMerchantsReportQuery.Merchants"/>, in one time zone (UTC unless the query names one); group by
    /// <c>merchant</c> for a row per merchant, equal to that merchant's own report in the same time zone.
    /// </summary>
    /// <param name="query">The report query, the merchants and the mode.</param>
    /// <param name="requestOptions">Per-call API key (the admin key).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="PaymentGatewayException">403 <see cref="ErrorCode.AdminKeyRequired"/> with a merchant's key; 400 <see cref="ErrorCode.ParameterInvalid"/> naming the parameter.</exception>
    public virtual Task<PaymentsReport> GetPaymentsAcrossMerchantsAsync(AcrossMerchantsReportQuery query, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Transport.GetPaymentsReportAcrossMerchantsAsync(query, requestOptions, cancellationToken);
    }

    /// <summary>Decline codes ranked across merchants (<c>GET /v1/admin/reports/decline_reasons</c>, admin key).</summary>
    /// <param name="query">The report query (the interval is ignored), the merchants and the mode.</param>
    /// <param name="requestOptions">Per-call API key (the admin key).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ranked codes.</returns>
    /// <exception cref="PaymentGatewayException">403 <see cref="ErrorCode.AdminKeyRequired"/> with a merchant's key; 400 <see cref="ErrorCode.ParameterInvalid"/>.</exception>
    public virtual Task<DeclineReasonsReport> GetDeclineReasonsAcrossMerchantsAsync(AcrossMerchantsReportQuery query, RequestOptions? requestOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Transport.GetDeclineReasonsReportAcrossMerchantsAsync(query, requestOptions, cancellationToken);
    }

    /// <summary>The merchant's report settings (<c>GET /v1/reports/settings</c>).</summary>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call or could not be reached.</exception>
    public virtual Task<ReportSettings> GetSettingsAsync(RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.GetReportSettingsAsync(requestOptions, cancellationToken);

    /// <summary>Sets the time zone reports follow by default (<c>POST /v1/reports/settings</c>).</summary>
    /// <param name="timeZone">An IANA time zone, for example <c>Europe/Amsterdam</c>.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/> on <c>time_zone</c>.</exception>
    public virtual Task<ReportSettings> UpdateSettingsAsync(string timeZone, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(timeZone);
        return Transport.UpdateReportSettingsAsync(new ReportSettingsBody { TimeZone = timeZone }, requestOptions, cancellationToken);
    }
}

/// <summary>
/// CSV exports: <c>/v1/exports</c> (secret key): start one, follow its progress, download it, cancel it (docs/reporting.md).
/// Reach it through <see cref="PaymentGatewayClient.Exports"/>. REST only: over <see cref="PaymentGatewayTransport.Grpc"/>
/// its methods throw <see cref="NotSupportedException"/>.
/// </summary>
public class ExportsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected ExportsOperations()
    {
    }

    internal ExportsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Starts an export (<c>POST /v1/exports</c>; the gateway answers 202 with it pending).</summary>
    /// <param name="request">Type, range, filters, or a schedule.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The export.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/>.</exception>
    public virtual Task<Export> CreateAsync(CreateExportRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Transport.CreateExportAsync(request, requestOptions, cancellationToken);
    }

    /// <summary>Retrieves an export with its status and progress (<c>GET /v1/exports/{id}</c>).</summary>
    /// <param name="id">The export id (<c>rpt_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The export.</returns>
    /// <exception cref="PaymentGatewayException">For example 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Export> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetExportAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of exports, newest first (<c>GET /v1/exports</c>).</summary>
    /// <param name="request">Cursors; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call or could not be reached.</exception>
    public virtual Task<Page<Export>> ListAsync(ListReportObjectsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.ListExportsAsync(request ?? new ListReportObjectsRequest(), requestOptions, cancellationToken);

    /// <summary>Cancels a pending export no worker has started (<c>POST /v1/exports/{id}/cancel</c>).</summary>
    /// <param name="id">The export id (<c>rpt_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The canceled export.</returns>
    /// <exception cref="PaymentGatewayException">409 <c>export_not_cancelable</c> once a worker claimed it.</exception>
    public virtual Task<Export> CancelAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.CancelExportAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Downloads a finished export's CSV (<c>GET /v1/exports/{id}/download</c>), streamed; dispose the stream.</summary>
    /// <param name="id">The export id (<c>rpt_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The CSV bytes (RFC 4180, UTF-8).</returns>
    /// <exception cref="PaymentGatewayException">409 <c>export_not_ready</c> before it succeeded, 410 <c>export_expired</c> after its time.</exception>
    public virtual Task<Stream> DownloadAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.DownloadExportAsync(id, requestOptions, cancellationToken);
    }
}

/// <summary>
/// Settlement reconciliation: <c>/v1/settlements</c> (secret key): import a provider's settlement file, list its lines,
/// payouts and the payments not settled yet (docs/reporting.md). Reach it through <see cref="PaymentGatewayClient.Settlements"/>.
/// REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
/// </summary>
public class SettlementsOperations
{
    /// <summary>The largest settlement file this client reads from a stream (the gateway's limit is 64 MiB).</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected SettlementsOperations()
    {
    }

    internal SettlementsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>
    /// Imports a provider's settlement file (<c>POST /v1/settlements?provider_account=…</c>): the stream is read from its
    /// position to its end (at most <see cref="MaxFileBytes"/>), not disposed, and sent; importing it again adds nothing.
    /// </summary>
    /// <param name="providerAccount">The provider account (<c>pa_…</c>) the file belongs to.</param>
    /// <param name="content">The file (Adyen CSV, Checkout.com / Mollie / Stripe JSON).</param>
    /// <param name="payout">The payout id, when the file does not carry it.</param>
    /// <param name="payoutDate">The payout date, when the file does not carry it.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the import added and matched.</returns>
    /// <exception cref="PaymentGatewayException">400 <c>settlement_file_invalid</c> for a malformed file (nothing is imported).</exception>
    public virtual async Task<SettlementImport> ImportAsync(string providerAccount, Stream content, string? payout = null, DateOnly? payoutDate = null,
        RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerAccount);
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw new ArgumentException($"The settlement file is larger than {MaxFileBytes} bytes.", nameof(content));
            }

            buffer.Write(chunk, 0, read);
        }

        return await Transport.ImportSettlementsAsync(providerAccount, buffer.ToArray(), payout, payoutDate, requestOptions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists one page of settlement lines, newest first (<c>GET /v1/settlements</c>).</summary>
    /// <param name="request">Filters (status, payment, payout) and cursors; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/> on <c>status</c>.</exception>
    public virtual Task<Page<SettlementLine>> ListLinesAsync(ListSettlementLinesRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.ListSettlementLinesAsync(request ?? new ListSettlementLinesRequest(), requestOptions, cancellationToken);

    /// <summary>Lists one page of payouts with their totals and status, newest first (<c>GET /v1/settlements/payouts</c>).</summary>
    /// <param name="request">Cursors; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call or could not be reached.</exception>
    public virtual Task<Page<SettlementPayout>> ListPayoutsAsync(ListReportObjectsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.ListSettlementPayoutsAsync(request ?? new ListReportObjectsRequest(), requestOptions, cancellationToken);

    /// <summary>Payments captured at least <paramref name="days"/> days ago that no settlement line covers, oldest first (<c>GET /v1/settlements/unsettled</c>).</summary>
    /// <param name="days">0–365 (the gateway's default is 7).</param>
    /// <param name="limit">1–100.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payments.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/> on <c>days</c>.</exception>
    public virtual Task<Page<Payment>> ListUnsettledAsync(int? days = null, int? limit = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.ListUnsettledPaymentsAsync(days, limit, requestOptions, cancellationToken);
}
