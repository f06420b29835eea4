using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using PaymentGateway.Grpc;
using PaymentGateway.Host.Apis;
using PaymentGateway.Host.Background;
using PaymentGateway.Host.BackOffice;
using PaymentGateway.Host.Checkout;
using PaymentGateway.Host.Docs;
using PaymentGateway.Host.Infrastructure;
using PaymentGateway.Host.Observability;
using PaymentGateway.Host.Startup;
using PaymentGateway.Host.Webhooks;
using PaymentGateway.Providers;
using PaymentGateway.Providers.Simulator;

namespace PaymentGateway.Host;

/// <summary>Composition of the gateway: services, middleware and endpoints.</summary>
public static class GatewayHostExtensions
{
    public static WebApplicationBuilder AddPaymentGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SimulatorProviderOptions>()
            .Bind(builder.Configuration.GetSection("PaymentGateway:Simulator"))
            .PostConfigure<IOptions<GatewayOptions>>((sim, gateway) =>
            {
                if (gateway.Value.PublicBaseUrl is { Length: > 0 } baseUrl && builder.Configuration["PaymentGateway:Simulator:ChallengeBaseUrl"] is null)
                {
                    sim.ChallengeBaseUrl = baseUrl.TrimEnd('/') + "/simulator/challenge";
                }
            });

        services.AddSingleton(TimeProvider.System);
        services.AddGatewayStorage(builder.Configuration); // PaymentGateway:Storage:Engine = sqlite (default) | postgres
        services.AddSingleton(sp =>
        {
            var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var environment = sp.GetRequiredService<IHostEnvironment>();
            var allowGenerate = environment.IsDevelopment() || builder.Configuration.GetValue<bool>("PaymentGateway:Vault:AllowGeneratedKeyFile");
            var ring = VaultKeyLoader.Load(gateway.Vault, gateway.DataDirectory, allowGenerate, sp.GetRequiredService<ILoggerFactory>().CreateLogger("PaymentGateway.Vault"));
            return new CardVault(ring);
        });
        services.AddSingleton<VaultRewrapService>(); // host vault rewrap and the leased job vault_rewrap (docs/operations.md, Vault key rotation)
        services.AddSingleton<VaultRewrapJob>();
        services.AddHostedService(sp => sp.GetRequiredService<VaultRewrapJob>());
        services.AddSingleton(sp => new CvcStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Vault.CvcLifetime));
        services.AddSingleton<ISimulatorLedger, StoreSimulatorLedger>(); // shared by every node on the same database
        services.AddSingleton<SimulatorProvider>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<SimulatorProvider>());
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton<PaymentWriter>();
        services.AddSingleton<PaymentRouter>();
        services.AddSingleton<PaymentCreation>();
        services.AddSingleton<PaymentQueries>();
        services.AddSingleton<PaymentCancellation>();
        services.AddSingleton<CardPayments>();
        services.AddSingleton<CardAuthorization>();
        services.AddSingleton<BankTransferPayments>();
        services.AddSingleton<ProviderBankTransferPayments>();
        services.AddSingleton<DirectDebitPayments>();
        services.AddSingleton<ProviderNotifications>();
        services.AddSingleton<PaymentReconciliation>();
        services.AddSingleton<RefundService>();
        services.AddSingleton<PaymentMethodService>();
        services.AddSingleton<ITestPaymentMethods, SimulatorTestPaymentMethods>();
        services.AddSingleton<TestPaymentMethodShortcuts>();
        services.AddSingleton<MerchantService>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<AdminKeyService>(); // named admin keys, /v1/admin_keys (Apis/AdminKeysApi.cs)
        services.AddSingleton<PaymentGateway.Core.Idempotency.IdempotencyService>();
        services.AddSingleton<ReconcilerService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconcilerService>());
        services.AddPaymentGatewayWebhooks(builder.Configuration);
        services.AddPaymentGatewayCheckout(builder.Configuration); // hosted checkout (Checkout/)
        services.AddProviderRouting(builder.Configuration); // provider adapters by id, provider accounts, routing rules (docs/providers.md)
        services.AddPaymentGatewayBankTransfers();
        services.AddPaymentGatewayDisputes(builder.Configuration); // disputes: services, evidence, jobs (Infrastructure/DisputeServiceCollectionExtensions.cs)
        services.AddPaymentGatewayCustomers(builder.Configuration); // customers, saved cards, payment_method.expiring (docs/saved-cards.md)
        services.AddPaymentGatewayReports(builder.Configuration); // analytics rollups, exports, settlements (Apis/ReportsApi.cs)
        services.AddSingleton<EventService>(); // the event log, read by REST and gRPC alike
        services.AddSingleton<EventStream>(); // GET /v1/events/stream (pgw listen)
        services.AddSingleton<Core.Diagnostics.RequestLogFeed>(); // GET /v1/request_logs/stream (pgw logs tail): this node's requests, never stored
        services.AddPaymentGatewayConsole(builder.Configuration, builder.Environment); // the console at /console (BackOffice/, docs/console.md)

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Context);
        });
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer<ApiDocumentTransformer>(); // info, security schemes, shared headers (Infrastructure/OpenApiReference.cs)
            o.AddOperationTransformer<JsonRequestBodyTransformer>();
            o.AddOperationTransformer<QueryParameterTransformer>();
            o.AddOperationTransformer<ApiOperationTransformer>(); // security per operation, Idempotency-Key, response headers
            o.AddSchemaTransformer<ApiSchemaTransformer>(); // descriptions, non-nullable required, enums, bounds
        });
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
            .AddCheck<VaultHealthCheck>("vault", tags: ["ready"])
            .AddCheck<ReconcilerHealthCheck>("reconciler", tags: ["ready"]);
        services.AddKestrelRejectionRequestIds();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;

            // Kestrel keeps one endpoint-defaults action, so they are composed here: the gRPC port is HTTP/2 only, and
            // every listener can stamp a Request-Id on the 400s Kestrel answers by itself.
            k.ConfigureEndpointDefaults(listen => listen.UseGrpcPortProtocols(builder.Configuration).UseKestrelRejectionRequestIds());
        });
        builder.AddGatewayObservability();
        builder.AddPaymentGatewayGrpc();
        builder.AddReverseProxySupport(); // trusted X-Forwarded-* and the public base URL (Infrastructure/ReverseProxyExtensions.cs)
        GatewayRoles.ApplyRole(services, GatewayRoles.Read(builder.Configuration)); // last: --role api | worker | all (Infrastructure/GatewayRoles.cs)
        return builder;
    }

    /// <summary>
    /// Migrates the database (or, with <c>PaymentGateway:Storage:MigrateAtStart=false</c>, requires it to be current) and,
    /// on first start, creates the admin key and demo merchant and prints them once. A database newer than this build
    /// stops start-up either way (<see cref="SchemaTooNewException"/>).
    /// </summary>
    public static async Task InitializePaymentGatewayAsync(this WebApplication app, TextWriter? console = null)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        _ = app.Services.GetRequiredService<CardVault>();
        await SchemaAtStart.EnsureAsync(app.Services.GetRequiredService<IStoreMaintenance>(), app.Configuration, CancellationToken.None);
        if (await app.Services.GetRequiredService<VaultRewrapService>().FindMissingKeyIdsAsync(CancellationToken.None) is { Count: > 0 } missing)
        {
            throw new VaultKeysMissingException(missing); // every key id in use must be configured
        }

        if (!app.Environment.IsDevelopment() && !await app.Services.GetRequiredService<AdminKeyService>().HasUsableCredentialAsync(CancellationToken.None))
        {
            throw new StartupException($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.NamedAdminKeysOnly)} is true and the database holds no active named admin key: set it to false and {GatewayOptions.SectionName}:{nameof(GatewayOptions.AdminKey)} to a strong key, start, create a named key (POST /v1/admin_keys), then turn it back on (docs/operations.md, Keys).");
        }

        await FirstRun.BootstrapAsync(app.Services.GetRequiredService<IPaymentStore>(), app.Services.GetRequiredService<IMerchantStore>(), app.Services.GetRequiredService<MerchantService>(), options, console ?? Console.Out, CancellationToken.None,
            app.Services.GetRequiredService<PaymentGateway.Core.BackOffice.ConsoleTeamService>(), development: app.Environment.IsDevelopment());
    }

    public static WebApplication MapPaymentGateway(this WebApplication app)
    {
        var role = app.Services.GetRequiredService<NodeRole>();
        app.UseMetricsPort(); // PaymentGateway:Observability:MetricsUrl: /metrics only, on its own port
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/health"), health => health.Use((http, next) =>
        {
            http.Response.Headers[GatewayRoles.HeaderName] = role.Name;
            return next(http);
        }));
        if (!role.ServesApi)
        {
            return app.MapWorkerEndpoints();
        }

        app.UseReverseProxySupport(); // first: X-Forwarded-* from configured proxies only, for gRPC and REST alike
        app.MapPaymentGatewayGrpc(); // gRPC (payments.v1) on its own branch, ahead of the REST middleware
        app.UseMiddleware<SecurityHeadersMiddleware>(); // nosniff, referrer policy, clickjacking protection on every response
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            {
                await Problems.WriteAsync(http, GatewayException.Invalid(ErrorCodes.MethodNotAllowed, $"{http.Request.Method} is not allowed on this path."));
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            }
            else if (http.Response.StatusCode == StatusCodes.Status404NotFound)
            {
                await Problems.WriteAsync(http, new GatewayException(ErrorKind.NotFound, ErrorCodes.RouteNotFound, $"No route {http.Request.Method} {http.Request.Path}."));
            }
        });
        app.UseRouting();
        app.UsePaymentGatewayConsole(); // cookie sessions, rate limit and page authorization, under /console only
        app.UseMiddleware<AuthenticationMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapPaymentsApi();
        app.MapRefundsApi();
        app.MapPaymentMethodsApi();
        app.MapEventsApi();
        app.MapRequestLogsApi();
        app.MapMerchantsApi();
        app.MapWebhookEndpointsApi();
        app.MapProviderRoutingApi();
        app.MapBankTransfersApi();
        app.MapMandatesApi();
        app.MapDisputesApi();
        app.MapCustomersApi();
        app.MapReportsApi();
        app.MapExportsApi();
        app.MapSettlementsApi();
        app.MapSimulatorChallenge();
        app.MapProviderReturns();
        app.MapCheckout(); // /v1/checkout/sessions, the hosted page, gateway.js
        app.MapAuditApi(); // GET /v1/audit_entries (admin key)
        app.MapAdminKeysApi(); // /v1/admin_keys: named admin keys (admin key)
        app.MapPaymentGatewayConsole(); // /console
        app.MapBenchCeiling(); // GET /bench/ceiling, only with PaymentGateway:Bench:CeilingEndpoint=true (bench/)

        app.MapGatewayObservability();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapDocsSite(); // /docs: index, guides, state diagrams, the API reference (Docs/DocsSite.cs, docs/api-reference.md)
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapGet("/docs/state-diagram.mmd", () => Results.Text(PaymentStateMachine.ToMermaid(), "text/plain")).ExcludeFromDescription();
        app.MapGet("/docs/dispute-state-diagram.mmd", () => Results.Text(Core.Disputes.DisputeStateMachine.ToMermaid(), "text/plain")).ExcludeFromDescription();
        app.MapFallback((HttpContext http) => throw new GatewayException(ErrorKind.NotFound, ErrorCodes.RouteNotFound, $"No route {http.Request.Method} {http.Request.Path}."))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>A worker node (<c>--role worker</c>): health and metrics only; every other path is <c>route_not_found</c>.</summary>
    private static WebApplication MapWorkerEndpoints(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseRouting();
        app.MapGatewayObservability();
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapFallback((HttpContext http) => throw new GatewayException(ErrorKind.NotFound, ErrorCodes.RouteNotFound, $"No route {http.Request.Method} {http.Request.Path} on a worker node."))
            .ExcludeFromDescription();
        return app;
    }
}
