using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PaymentGateway.Core.Diagnostics;

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
    public static WebApplicationBuilder AddGatewayObservability(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
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
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

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

    public static WebApplication MapGatewayObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
