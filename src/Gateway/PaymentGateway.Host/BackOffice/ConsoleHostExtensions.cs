using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// The console at <c>/console</c>: Razor Pages rendered on the server (no client framework), cookie sessions, two-factor,
/// optional OpenID Connect single sign-on, a per-address rate limit on sign-in posts, and the data-protection key ring
/// in the database so every node reads every node's cookies.
/// </summary>
public static class ConsoleHostExtensions
{
    public const string SignInRateLimit = "console-sign-in";

    public static IServiceCollection AddPaymentGatewayConsole(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var settings = configuration.GetSection(ConsoleOptions.SectionName).Get<ConsoleOptions>() ?? new ConsoleOptions();
        var secure = settings.SecureCookies ?? !environment.IsDevelopment()
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;
        var cookiePrefix = secure == CookieSecurePolicy.Always ? "__Host-" : string.Empty;

        services.AddSingleton<ConsoleTwoFactorService>();
        services.AddSingleton<ConsoleSignInService>();
        services.AddSingleton<ConsolePasswordService>();
        services.AddSingleton<ConsoleTeamService>();
        services.AddSingleton<ConsoleSsoService>();
        services.AddSingleton<ConsoleMerchantSelection>();
        services.AddSingleton(new ConsoleMerchantCookie(cookiePrefix + "pg_console_merchant", secure == CookieSecurePolicy.Always));
        services.AddSingleton<AuditService>();
        services.AddSingleton<ConsolePaymentService>();
        services.AddSingleton<ConsoleDisputeService>();
        services.AddSingleton<ConsoleHomeService>();
        services.AddSingleton<ConsoleReportService>();
        services.AddSingleton<ConsoleExportService>();
        services.AddSingleton<ConsoleReconciliationService>();
        services.AddSingleton<ConsoleCustomerService>();
        services.AddSingleton<ConsoleWebhookService>();
        services.AddSingleton<ConsoleBankService>();
        services.AddSingleton<ConsoleSettingsService>();
        services.AddSingleton<ConsoleSessionCache>();
        services.AddSingleton<SmtpConsoleMailer>();
        services.AddSingleton<IConsoleMailer>(sp => sp.GetRequiredService<SmtpConsoleMailer>());
        services.AddHostedService(sp => sp.GetRequiredService<SmtpConsoleMailer>());

        services.AddDataProtection().SetApplicationName("PaymentGateway");
        services.AddOptions<KeyManagementOptions>().Configure<IConsoleStore, CardVault>((o, store, vault) =>
        {
            o.XmlRepository = new ConsoleKeyRepository(store);
            o.XmlEncryptor = new VaultXmlEncryptor(vault);
        });

        var authentication = services.AddAuthentication(ConsoleSession.Scheme)
            .AddCookie(ConsoleSession.Scheme, o =>
            {
                o.Cookie.Name = cookiePrefix + "pg_console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = secure;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = settings.IdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = "/console/signin";
                o.LogoutPath = "/console/signout";
                o.ReturnUrlParameter = "returnUrl";
                o.Events.OnValidatePrincipal = ConsoleSession.ValidateAsync;
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddCookie(ConsoleSession.TwoFactorScheme, o =>
            {
                o.Cookie.Name = cookiePrefix + "pg_console_2fa";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = secure;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                o.SlidingExpiration = false;
            });
        if (settings.Sso.IsEnabled)
        {
            authentication.AddOpenIdConnect(ConsoleSession.OidcScheme, o => ConsoleOidc.Configure(o, settings.Sso, secure));
        }

        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = cookiePrefix + "pg_console_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.Path = "/";
            o.SuppressXFrameOptionsHeader = true; // SecurityHeadersMiddleware sends DENY
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/BackOffice/Pages";
                o.Conventions.AuthorizeFolder("/", ConsoleAuthorization.SignedIn);
                foreach (var page in ConsoleAuthorization.AnonymousPages)
                {
                    o.Conventions.AllowAnonymousToPage(page);
                }
            })
            .AddMvcOptions(o => o.Filters.Add<ConsolePageFilter>())
            .ConfigureApplicationPartManager(parts =>
            {
                // The pages are compiled into this assembly; when another assembly hosts the gateway (tests, a custom
                // Program), MVC's discovery starts from that one and would not find them.
                var assembly = typeof(ConsoleHostExtensions).Assembly;
                if (!parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    {
                        parts.ApplicationParts.Add(part);
                    }
                }
            });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuthorization.SignedIn, p => p.AddAuthenticationSchemes(ConsoleSession.Scheme).RequireAuthenticatedUser());

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInRateLimit, http =>
            {
                if (!HttpMethods.IsPost(http.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("get");
                }

                var limit = http.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value.SignInRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = "60";
                var page = ConsoleProblemPage.Render(StatusCodes.Status429TooManyRequests, "Too many attempts",
                    "Too many sign-in attempts from your address. Wait a minute, then try again.");
                http.Response.ContentType = page.ContentType;
                await http.Response.WriteAsync(page.Content ?? string.Empty, ct);
            };
        });
        return services;
    }

    /// <summary>Console-only middleware: security headers, then the session cookie, the sign-in rate limit and page authorization.</summary>
    public static IApplicationBuilder UsePaymentGatewayConsole(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/console", StringComparison.OrdinalIgnoreCase), console =>
        {
            console.UseMiddleware<ConsoleSecurityHeadersMiddleware>();
            console.UseAuthentication();
            console.UseRateLimiter();
            console.UseAuthorization();
        });

    public static IEndpointRouteBuilder MapPaymentGatewayConsole(this IEndpointRouteBuilder app)
    {
        ConsoleAssets.Map(app);
        app.MapRazorPages();
        ConsoleEndpoints.Map(app);
        ConsolePaymentEndpoints.Map(app);
        ConsoleExportEndpoints.Map(app);
        return app;
    }
}

/// <summary>Which console pages are open before sign-in; every other page needs a session.</summary>
public static class ConsoleAuthorization
{
    public const string SignedIn = "console-signed-in";

    public static IReadOnlyList<string> AnonymousPages { get; } = ["/SignIn", "/SignInTwoFactor", "/ForgotPassword", "/ResetPassword", "/Join"];
}

/// <summary>
/// The console's headers on every response under /console: a strict CSP (scripts, styles and images only from the
/// gateway, no inline anything, forms post only here, no framing), no caching of pages, no referrer.
/// <see cref="Checkout.SecurityHeadersMiddleware"/> adds nosniff and X-Frame-Options: DENY for the same policy.
/// </summary>
public sealed class ConsoleSecurityHeadersMiddleware(RequestDelegate next)
{
    public const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            if (headers.ContentSecurityPolicy.Count == 0)
            {
                headers.ContentSecurityPolicy = Policy;
            }

            if (headers.CacheControl.Count == 0)
            {
                headers.CacheControl = "no-store";
            }

            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
