using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Host.Startup;

namespace PaymentGateway.Host.Observability;

/// <summary>
/// Traces, metrics and logs. OpenTelemetry tracing covers HTTP server spans, outgoing HTTP (providers, webhooks, with
/// W3C trace context propagated) and the gateway's own spans (provider attempts); metrics are scraped at
/// <c>/metrics</c> (Prometheus) and exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Logs are JSON
/// lines through the redacting formatter unless <c>PaymentGateway:Observability:JsonLogs</c> is false. Sentry is on only
/// when <c>Sentry:Dsn</c> is configured, and every event is scrubbed before it is sent.
/// </summary>
public static class ObservabilityExtensions
{
    /// <summary>An <c>http://host:port</c> on which only <c>/metrics</c> is served; when set, the REST port does not serve it.</summary>
    public const string MetricsUrlSetting = "PaymentGateway:Observability:MetricsUrl";

    /// <summary>The port of <see cref="MetricsUrlSetting"/>, or null when metrics are served on the REST port.</summary>
    public static int? MetricsPort(IConfiguration configuration)
    {
        var value = configuration[MetricsUrlSetting];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Port > 0 && uri.AbsolutePath == "/"
            ? uri.Port
            : throw new StartupException($"{MetricsUrlSetting} '{value}' must be an http:// URL with a port and no path, for example http://127.0.0.1:9464 (Prometheus scrapes /metrics there; firewall it like the gRPC port).");
    }

    public static WebApplicationBuilder AddGatewayObservability(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (MetricsPort(config) is not null)
        {
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
            var metricsUrl = config[MetricsUrlSetting];
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.IsNullOrEmpty(urls) ? metricsUrl : $"{urls};{metricsUrl}");
        }

        var otlp = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            // OTEL_RESOURCE_ATTRIBUTES is applied last so an operator's service.instance.id (e.g. "node-1") wins over the default.
            .ConfigureResource(r => r.AddService(config["OTEL_SERVICE_NAME"] ?? "paymentgateway", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId)
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing =>
            {
                tracing.AddSource(GatewayTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GatewayTelemetry.Name)
                    .AddGatewayDurationBuckets()
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation() // GC, heap, thread pool, JIT, exceptions, locks (dotnet_*)
                    .AddProcessInstrumentation() // CPU time, memory, threads of the process (process_*)
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // One line per request at Information (RequestContextMiddleware), carrying the gateway's request id in a scope.
        // ASP.NET Core's own per-request lines (request starting/finished, endpoint executing/executed, …) stay off
        // unless configured, and its hosting scope (which carries Kestrel's connection-based trace identifier, not the
        // req_… id clients see) is not created. Either can be turned back on under Logging:LogLevel.
        if (config["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }

        if (config["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }

        if (config.GetValue("PaymentGateway:Observability:JsonLogs", !builder.Environment.IsDevelopment()))
        {
            builder.Logging.AddConsole(o => o.FormatterName = RedactingJsonConsoleFormatter.FormatterName)
                .AddConsoleFormatter<RedactingJsonConsoleFormatter, ConsoleFormatterOptions>();
        }

        if (!string.IsNullOrWhiteSpace(config["Sentry:Dsn"]))
        {
            builder.WebHost.UseSentry(o =>
            {
                o.SendDefaultPii = false;
                o.MaxRequestBodySize = Sentry.Extensibility.RequestSize.None;
                o.SetBeforeSend((sentryEvent, _) => SentryScrubber.Scrub(sentryEvent));
                o.SetBeforeBreadcrumb((breadcrumb, _) => SentryScrubber.Scrub(breadcrumb));
            });
        }

        return builder;
    }

    /// <summary>
    /// With <see cref="MetricsUrlSetting"/> set, requests arriving on that port are answered here, first: <c>/metrics</c>
    /// and nothing else (404), so neither the API nor the console is reachable through it. Decided by the local port
    /// the connection came in on, never by the Host header.
    /// </summary>
    public static WebApplication UseMetricsPort(this WebApplication app)
    {
        if (MetricsPort(app.Configuration) is { } port)
        {
            app.UseWhen(http => http.Connection.LocalPort == port, metrics =>
            {
                metrics.UseOpenTelemetryPrometheusScrapingEndpoint("/metrics");
                metrics.Run(http =>
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                });
            });
        }

        return app;
    }

    /// <summary><c>/metrics</c> on the REST port, unless it has a port of its own (<see cref="UseMetricsPort"/>).</summary>
    public static WebApplication MapGatewayObservability(this WebApplication app)
    {
        if (MetricsPort(app.Configuration) is null)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        return app;
    }
}
