using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Running behind a TLS-terminating reverse proxy (deploy/nginx, deploy/caddy; docs/operations.md): forwarded headers
/// believed from the configured proxies only, and a validated public base URL for the absolute URLs the gateway emits.
/// </summary>
public static partial class ReverseProxyExtensions
{
    public static WebApplicationBuilder AddReverseProxySupport(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TrustedProxyOptions>().Bind(builder.Configuration.GetSection(TrustedProxyOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustedProxyOptions>, TrustedProxyOptionsValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, PublicBaseUrlValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.ForwardLimit = trusted.Value.ForwardLimit;

            // ASP.NET Core trusts loopback by default; here only what is configured counts.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.Proxies())
            {
                forwarded.KnownProxies.Add(proxy);
            }

            foreach (var network in trusted.Value.Networks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>Applies trusted forwarded headers first, ahead of every other middleware (gRPC included).</summary>
    public static WebApplication UseReverseProxySupport(this WebApplication app)
    {
        var trusted = app.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;
        var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReverseProxyExtensions).FullName ?? nameof(ReverseProxyExtensions));
        if (trusted.Enabled)
        {
            LogTrustedProxies(logger, trusted.KnownProxies ?? string.Empty, trusted.KnownNetworks ?? string.Empty);
            app.UseForwardedHeaders();
        }

        if (string.IsNullOrEmpty(gateway.PublicBaseUrl) && !app.Environment.IsDevelopment())
        {
            LogNoPublicBaseUrl(logger);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarded headers (X-Forwarded-For, -Proto, -Host) are believed from proxies [{Proxies}] and networks [{Networks}] only")]
    private static partial void LogTrustedProxies(ILogger logger, string proxies, string networks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PaymentGateway:PublicBaseUrl is not set: checkout URLs are built from each request's host (or a trusted proxy's X-Forwarded-Host), and 3-D Secure challenge URLs point at the simulator's default. Set it to the address customers use, such as https://pay.example.com")]
    private static partial void LogNoPublicBaseUrl(ILogger logger);
}
