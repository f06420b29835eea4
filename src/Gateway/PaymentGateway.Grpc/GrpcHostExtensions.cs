using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PaymentGateway.Grpc;

/// <summary>Composition of the gRPC API: the service, its interceptor, reflection, health, and the h2c development port.</summary>
public static class GrpcHostExtensions
{
    /// <summary>The setting that opens a separate plain-text HTTP/2 (h2c) port for gRPC, for example <c>http://127.0.0.1:5081</c>.</summary>
    public const string GrpcUrlSetting = "PaymentGateway:GrpcUrl";

    /// <summary>The largest DisputeService message accepted: the largest evidence file the options allow (10 MiB) and room for the rest.</summary>
    public const int DisputeMessageBytes = 11 * 1024 * 1024;

    private static readonly string[] GrpcPathPrefixes = ["/payments.v1.", "/grpc.reflection.", "/grpc.health.v1."];

    /// <summary>
    /// Registers the gRPC services. When <c>PaymentGateway:GrpcUrl</c> is set (an <c>http://</c> URL), Kestrel also
    /// listens there with HTTP/2 only (h2c, for development and private networks); the REST URLs keep HTTP/1.1. In
    /// production, serve gRPC over TLS instead: leave GrpcUrl empty and declare an HTTPS endpoint with
    /// <c>Protocols: Http1AndHttp2</c> (or <c>Http2</c>) under <c>Kestrel:Endpoints</c>.
    /// </summary>
    public static WebApplicationBuilder AddPaymentGatewayGrpc(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = false)
            .AddServiceOptions<PaymentGatewayGrpcService>(o => o.Interceptors.Add<GatewayInterceptor>())
            .AddServiceOptions<DisputeGrpcService>(o =>
            {
                o.Interceptors.Add<GatewayInterceptor>();
                o.MaxReceiveMessageSize = DisputeMessageBytes; // an evidence file travels in one message
            });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(o =>
        {
            o.Services.Clear();
            o.Services.Map(string.Empty, r => r.Tags.Contains("ready"));
            o.Services.Map(Payments.V1.PaymentGatewayService.Descriptor.FullName, r => r.Tags.Contains("ready"));
        });

        var grpcUrl = builder.Configuration[GrpcUrlSetting];
        if (!string.IsNullOrWhiteSpace(grpcUrl))
        {
            if (!Uri.TryCreate(grpcUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Port <= 0)
            {
                throw new InvalidOperationException($"{GrpcUrlSetting} must be an http:// URL with a port (plain-text HTTP/2), for example http://127.0.0.1:5081. For TLS, configure a Kestrel endpoint instead.");
            }

            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.IsNullOrEmpty(urls) ? grpcUrl : $"{urls};{grpcUrl}");
        }

        return builder;
    }

    /// <summary>
    /// Makes the listener of the <c>PaymentGateway:GrpcUrl</c> port HTTP/2 only. For the host's Kestrel endpoint defaults
    /// (<c>ConfigureEndpointDefaults</c> keeps one action, so the host composes them in one place).
    /// </summary>
    public static ListenOptions UseGrpcPortProtocols(this ListenOptions listen, IConfiguration configuration)
    {
        if (Uri.TryCreate(configuration[GrpcUrlSetting], UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && listen.IPEndPoint?.Port == uri.Port)
        {
            listen.Protocols = HttpProtocols.Http2;
        }

        return listen;
    }

    /// <summary>
    /// Maps the gRPC services on a branch of their own, ahead of the REST middleware (whose body buffering, problem
    /// responses and Idempotency-Key handling are for REST): the interceptor applies the same rules to gRPC.
    /// Call before the REST pipeline is built.
    /// </summary>
    public static WebApplication MapPaymentGatewayGrpc(this WebApplication app)
    {
        app.MapWhen(IsGrpcRequest, grpc =>
        {
            grpc.UseRouting();
            grpc.UseEndpoints(endpoints =>
            {
                endpoints.MapGrpcService<PaymentGatewayGrpcService>();
                endpoints.MapGrpcService<DisputeGrpcService>();
                endpoints.MapGrpcReflectionService();
                endpoints.MapGrpcHealthChecksService();
            });
        });
        return app;
    }

    private static bool IsGrpcRequest(HttpContext context) =>
        context.Request.ContentType is { } contentType
        && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && context.Request.Path.Value is { } path
        && GrpcPathPrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal));
}
