using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;
using QRCoder;

namespace PaymentGateway.Host.BackOffice;

/// <summary>The console's non-page endpoints: the enrolment QR code, the audit CSV export and the single-sign-on start.</summary>
internal static class ConsoleEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // The QR code of the pending TOTP enrolment, drawn here (never by a third-party service) as a PNG.
        app.MapGet("/console/two-factor/qr.png", async (HttpContext http, ConsoleTwoFactorService twoFactor, CancellationToken ct) =>
            {
                var user = http.ConsoleUser();
                if (user is null || await twoFactor.FindPendingAsync(user.Id, ct) is not { } pending)
                {
                    return Results.NotFound();
                }

                using var data = QRCodeGenerator.GenerateQrCode(pending.OtpAuthUri, QRCodeGenerator.ECCLevel.M);
                var png = new PngByteQRCode(data).GetGraphic(6);
                http.Response.Headers.CacheControl = "no-store";
                return Results.Bytes(png, "image/png");
            })
            .RequireAuthorization(ConsoleAuthorization.SignedIn).ExcludeFromDescription();

        // The audit trail as CSV with the page's filters (the export itself is audited).
        app.MapGet("/console/audit/export", async (HttpContext http, AuditService audit, CancellationToken ct) =>
            {
                var user = http.ConsoleUser();
                if (user is null)
                {
                    return Results.Unauthorized();
                }

                var query = AuditFilters.Parse(http.Request.Query, out _);
                var caller = http.ConsoleCaller();
                caller.DemandAnywhere(ConsolePermission.ViewAudit);
                var builder = new StringBuilder();
                await using (var writer = new StringWriter(builder, CultureInfo.InvariantCulture))
                {
                    await audit.ExportCsvAsync(caller, query, writer, 100_000, ct);
                }

                return Results.File(Encoding.UTF8.GetBytes(builder.ToString()), "text/csv; charset=utf-8",
                    $"audit-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.csv");
            })
            .RequireAuthorization(ConsoleAuthorization.SignedIn).ExcludeFromDescription();

        // Single sign-on: hands the browser to the OpenID provider (code flow with PKCE); only when configured.
        app.MapGet("/console/sso", (HttpContext http, IOptions<ConsoleOptions> options, string? returnUrl) =>
                options.Value.Sso.IsEnabled
                    ? Results.Challenge(new AuthenticationProperties { RedirectUri = ConsoleRedirects.Local(returnUrl) }, [ConsoleSession.OidcScheme])
                    : Results.NotFound())
            .ExcludeFromDescription();
    }
}

/// <summary>The Audit page's filters from the query string (also used by the export), with a message per bad field.</summary>
public static class AuditFilters
{
    public static AuditQuery Parse(IQueryCollection q, out Dictionary<string, string> errors)
    {
        errors = [];
        string? Text(string name)
        {
            var value = q[name].ToString().Trim();
            return value.Length == 0 ? null : value.Length > 255 ? value[..255] : value;
        }

        DateTimeOffset? Date(string name, Dictionary<string, string> problems)
        {
            var value = Text(name);
            if (value is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            problems[name] = "Enter a date as YYYY-MM-DD.";
            return null;
        }

        var from = Date("from", errors);
        var to = Date("to", errors);
        if (from is not null && to is not null && to < from)
        {
            errors["to"] = "The end date must be on or after the start date.";
        }

        return new AuditQuery
        {
            Action = Text("action"),
            ActorId = Text("actor"),
            TargetId = Text("target"),
            MerchantId = Text("merchant"),
            CreatedGte = from,
            CreatedLt = to?.AddDays(1),
            StartingAfter = Text("after"),
            EndingBefore = Text("before"),
        };
    }
}
