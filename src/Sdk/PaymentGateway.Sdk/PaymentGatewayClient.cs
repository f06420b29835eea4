using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using PaymentGateway.Sdk.Internal;
using Refit;

namespace PaymentGateway.Sdk;

/// <summary>
/// The entry point of the PaymentGateway API, over REST or gRPC (<see cref="PaymentGatewayClientOptions.Transport"/>). Thread-safe and meant to be long-lived: create one per
/// configuration (or register it with <c>services.AddPaymentGatewayClient(...)</c>) and share it.
/// </summary>
/// <example>
/// <code>
/// using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions
/// {
///     BaseAddress = new Uri("http://127.0.0.1:5080"),
///     ApiKey = "sk_test_...",
/// });
/// var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 1999, Currency = "EUR" });
/// </code>
/// </example>
public class PaymentGatewayClient : IDisposable
{
    internal const string HttpClientName = "PaymentGateway.Sdk";

    private readonly HttpClient? _ownedHttpClient;
    private readonly GrpcTransport? _grpcTransport;
    private readonly PaymentsOperations? _payments;
    private readonly RefundsOperations? _refunds;
    private readonly PaymentMethodsOperations? _paymentMethods;
    private readonly EventsOperations? _events;
    private readonly WebhookEndpointsOperations? _webhookEndpoints;
    private CheckoutSessionsOperations? _checkoutSessions;
    private BankStatementsOperations? _bankStatements;
    private BankStatementEntriesOperations? _bankStatementEntries;
    private MandatesOperations? _mandates;
    private DirectDebitBatchesOperations? _directDebitBatches;
    private DisputesOperations? _disputes;
    private CustomersOperations? _customers;
    private ReportsOperations? _reports;
    private ExportsOperations? _exports;
    private SettlementsOperations? _settlements;

    /// <summary>For mocking only: a derived mock overrides the virtual properties.</summary>
    protected PaymentGatewayClient()
    {
    }

    /// <summary>
    /// Creates a client without dependency injection. It owns its connection pool and resilience pipeline (the same
    /// retries and timeouts as the dependency-injection client); dispose it when the application stops.
    /// </summary>
    /// <param name="options">The configuration; copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PaymentGatewayClient(PaymentGatewayClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = ValidatedSnapshot(options);
        if (snapshot.Transport == PaymentGatewayTransport.Grpc)
        {
            _grpcTransport = new GrpcTransport(snapshot, TimeProvider.System);
            (_payments, _refunds, _paymentMethods, _events, _webhookEndpoints) = CreateOperations(_grpcTransport);
            return;
        }

        var handler = new ResilienceHandler(PaymentGatewayResilience.Build(snapshot, TimeProvider.System))
        {
            InnerHandler = CreatePrimaryHandler(),
        };
        _ownedHttpClient = new HttpClient(handler, disposeHandler: true);
        ConfigureHttpClient(_ownedHttpClient, snapshot);

        (_payments, _refunds, _paymentMethods, _events, _webhookEndpoints) = CreateOperations(_ownedHttpClient, snapshot);
    }

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose handlers already apply the resilience pipeline (dependency injection).</summary>
    internal PaymentGatewayClient(HttpClient httpClient, PaymentGatewayClientOptions options)
    {
        var snapshot = ValidatedSnapshot(options);
        if (snapshot.Transport == PaymentGatewayTransport.Grpc)
        {
            // The gRPC transport has its own HTTP/2 channel and resilience pipeline; the factory's client is not used.
            _grpcTransport = new GrpcTransport(snapshot, TimeProvider.System);
            (_payments, _refunds, _paymentMethods, _events, _webhookEndpoints) = CreateOperations(_grpcTransport);
            return;
        }

        ConfigureHttpClient(httpClient, snapshot);
        (_payments, _refunds, _paymentMethods, _events, _webhookEndpoints) = CreateOperations(httpClient, snapshot);
    }

    /// <summary>Payments: create, retrieve, list, confirm, capture, cancel.</summary>
    public virtual PaymentsOperations Payments => _payments ?? throw NotForMocks();

    /// <summary>Refunds: create, retrieve, list.</summary>
    public virtual RefundsOperations Refunds => _refunds ?? throw NotForMocks();

    /// <summary>Payment methods: tokenize a card (publishable key), retrieve.</summary>
    public virtual PaymentMethodsOperations PaymentMethods => _paymentMethods ?? throw NotForMocks();

    /// <summary>The event log: retrieve, list; and (REST only) an event's deliveries and redelivery.</summary>
    public virtual EventsOperations Events => _events ?? throw NotForMocks();

    /// <summary>
    /// Webhook endpoints: create (the secret is returned once), retrieve, list, update, delete, rotate the secret, and
    /// the delivery log. REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual WebhookEndpointsOperations WebhookEndpoints => _webhookEndpoints ?? throw NotForMocks();

    /// <summary>
    /// Hosted checkout sessions: create (the client secret is returned once), retrieve. REST only: over
    /// <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual CheckoutSessionsOperations CheckoutSessions => _checkoutSessions ??= new CheckoutSessionsOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// Bank statements: import a camt.053 file (streamed) to reconcile bank-transfer payments, retrieve one. REST only:
    /// over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual BankStatementsOperations BankStatements => _bankStatements ??= new BankStatementsOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// Statement entries: list (for example the unmatched ones), match one to a bank-transfer payment by hand. REST
    /// only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual BankStatementEntriesOperations BankStatementEntries => _bankStatementEntries ??= new BankStatementEntriesOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// SEPA Direct Debit mandates: create, retrieve, list. REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its
    /// methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual MandatesOperations Mandates => _mandates ??= new MandatesOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// SEPA Direct Debit collection files: export (create), list, retrieve, download the pain.008 file again. REST only:
    /// over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual DirectDebitBatchesOperations DirectDebitBatches => _directDebitBatches ??= new DirectDebitBatchesOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// Customers and their saved payment methods: create, retrieve, update, delete, list and search, attach, detach and
    /// list saved methods (docs/saved-cards.md). Over REST and gRPC.
    /// </summary>
    public virtual CustomersOperations Customers => _customers ??= new CustomersOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// Disputes: retrieve, list, give evidence (fields and files), submit, accept (docs/disputes.md). Over REST and gRPC.
    /// </summary>
    public virtual DisputesOperations Disputes => _disputes ??= new DisputesOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// Analytics: the payments report (volume, counts, approval, refund and dispute rates and outcomes, 3-D Secure,
    /// latency per local period), decline reasons ranked, the report time zone (docs/reporting.md). REST only: over
    /// <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual ReportsOperations Reports => _reports ??= new ReportsOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// CSV exports of payments, refunds, events and settlements: create, follow, download, cancel; scheduled reports. REST
    /// only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual ExportsOperations Exports => _exports ??= new ExportsOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>
    /// Settlement reconciliation: import a provider's settlement file, list lines, payouts and unsettled payments. REST
    /// only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual SettlementsOperations Settlements => _settlements ??= new SettlementsOperations((_payments ?? throw NotForMocks()).Transport);

    /// <summary>Releases the connection pool when this client created it; a client from dependency injection shares the factory's.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedHttpClient?.Dispose();
            _grpcTransport?.Dispose();
        }
    }

    private static InvalidOperationException NotForMocks() =>
        new("This instance was created with the protected constructor for mocking; override this member.");

    internal static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        // A long-lived client must still notice DNS changes.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    internal static void ConfigureHttpClient(HttpClient httpClient, PaymentGatewayClientOptions options)
    {
        httpClient.BaseAddress = options.BaseAddress;

        // The resilience pipeline owns the timeouts (total and per attempt).
        httpClient.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        if (httpClient.DefaultRequestHeaders.UserAgent.Count == 0)
        {
            httpClient.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("PaymentGateway.Sdk", SdkVersion));
        }
    }

    private static string SdkVersion =>
        typeof(PaymentGatewayClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static PaymentGatewayClientOptions ValidatedSnapshot(PaymentGatewayClientOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid PaymentGatewayClientOptions: " + string.Join(" ", errors), nameof(options));
        }

        return options.Snapshot();
    }

    private static (PaymentsOperations, RefundsOperations, PaymentMethodsOperations, EventsOperations, WebhookEndpointsOperations) CreateOperations(
        HttpClient httpClient, PaymentGatewayClientOptions options)
    {
        var api = RestService.ForGenerated<IPaymentGatewayApi>(httpClient, RefitSettings.ForJsonContext(SdkJsonContext.Default));
        return CreateOperations(new RestTransport(new ApiTransport(api, options.ApiKey ?? string.Empty)));
    }

    private static (PaymentsOperations, RefundsOperations, PaymentMethodsOperations, EventsOperations, WebhookEndpointsOperations) CreateOperations(
        IGatewayTransport transport)
    {
        return (new PaymentsOperations(transport), new RefundsOperations(transport), new PaymentMethodsOperations(transport), new EventsOperations(transport),
            new WebhookEndpointsOperations(transport));
    }
}
