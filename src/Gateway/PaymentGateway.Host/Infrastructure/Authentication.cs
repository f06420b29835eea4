using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>Which key an endpoint needs.</summary>
public enum KeyRequirement
{
    None,
    Secret,
    Publishable,
    SecretOrPublishable,
    Admin,
}

/// <summary>Endpoint metadata: the key type required.</summary>
public sealed record RequireKeyAttribute(KeyRequirement Requirement);

/// <summary>Endpoint metadata: responses hold secrets, so stored idempotent replays are encrypted.</summary>
public sealed record SensitiveResponseAttribute;

/// <summary>The authenticated caller of this request.</summary>
public sealed record ApiPrincipal(CallerContext? Caller, bool IsAdmin)
{
    /// <summary>The named admin key used (<c>adk_…</c>); null for a merchant key or the configured admin key.</summary>
    public string? AdminKeyId { get; init; }

    /// <summary>The idempotency scope: the merchant, or "admin".</summary>
    public string Scope => IsAdmin ? "admin" : Caller?.MerchantId ?? "anonymous";
}

/// <summary>
/// Checks <c>Authorization: Bearer</c> against the endpoint's <see cref="RequireKeyAttribute"/>. Wrong or missing keys
/// are 401; a valid key of the wrong type is 403 with a code that says which type is needed.
/// </summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, MerchantService merchants, ApiKeyCache keys, IMerchantStore store, IOptions<GatewayOptions> options)
{
    private string? _adminHash;

    public async Task InvokeAsync(HttpContext context)
    {
        var requirement = context.GetEndpoint()?.Metadata.GetMetadata<RequireKeyAttribute>()?.Requirement ?? KeyRequirement.None;
        if (requirement == KeyRequirement.None)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            throw new GatewayException(ErrorKind.Authentication, ErrorCodes.AuthenticationRequired,
                "No API key provided. Send 'Authorization: Bearer <key>'.");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            throw new GatewayException(ErrorKind.Authentication, ErrorCodes.ApiKeyInvalid, "The Authorization header must be 'Bearer <key>'.");
        }

        var key = header[7..].Trim();
        ApiPrincipal principal;
        if (requirement == KeyRequirement.Admin)
        {
            if (await IsConfiguredAdminKeyAsync(key, context.RequestAborted).ConfigureAwait(false))
            {
                principal = new ApiPrincipal(null, IsAdmin: true);
            }
            else if (await keys.AuthenticateAdminAsync(key, context.RequestAborted).ConfigureAwait(false) is { } named)
            {
                principal = new ApiPrincipal(null, IsAdmin: true) { AdminKeyId = named.Id };
            }
            else
            {
                var caller = await merchants.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false);
                throw caller is null
                    ? new GatewayException(ErrorKind.Authentication, ErrorCodes.ApiKeyInvalid, "Invalid API key.")
                    : new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.AdminKeyRequired, "This endpoint needs the admin key.");
            }
        }
        else
        {
            var caller = await merchants.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorKind.Authentication, ErrorCodes.ApiKeyInvalid, "Invalid API key.");
            switch (requirement)
            {
                case KeyRequirement.Secret when caller.KeyKind != ApiKeyKind.Secret:
                    throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.SecretKeyRequired,
                        "This endpoint needs a secret key (sk_...); publishable keys may only tokenize cards.");
                case KeyRequirement.Publishable when caller.KeyKind != ApiKeyKind.Publishable:
                    throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.PublishableKeyRequired,
                        "Card details must be sent from the browser with a publishable key (pk_...), never from your server.");
            }

            principal = new ApiPrincipal(caller, IsAdmin: false);
        }

        context.Features.Set(principal);
        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// The configured (bootstrap) admin key, or Development's generated one when none is configured; neither when
    /// <see cref="GatewayOptions.NamedAdminKeysOnly"/>.
    /// </summary>
    private async Task<bool> IsConfiguredAdminKeyAsync(string key, CancellationToken ct)
    {
        if (options.Value.NamedAdminKeysOnly)
        {
            return false;
        }

        var configured = options.Value.AdminKey;
        if (!string.IsNullOrEmpty(configured))
        {
            return MerchantService.HashEquals(key, MerchantService.Hash(configured));
        }

        _adminHash ??= await store.GetSettingAsync(MerchantService.AdminKeySetting, ct).ConfigureAwait(false);
        return _adminHash is not null && MerchantService.HashEquals(key, _adminHash);
    }
}

public static class PrincipalExtensions
{
    /// <summary>The merchant caller; endpoints that require a merchant key always have one.</summary>
    public static CallerContext Caller(this HttpContext context) =>
        context.Features.Get<ApiPrincipal>()?.Caller ?? throw new InvalidOperationException("Endpoint has no merchant key requirement.");

    /// <summary>Who this API request acts as (the admin key, or a merchant key by its id) and where it came from: for the audit trail.</summary>
    public static AuditSource AuditSource(this HttpContext context)
    {
        var principal = context.Features.Get<ApiPrincipal>() ?? throw new InvalidOperationException("Endpoint has no key requirement.");
        var actor = principal switch
        {
            { IsAdmin: true, AdminKeyId: { } named } => AuditActor.NamedAdminKey(named),
            { IsAdmin: true } => AuditActor.AdminKey,
            _ => AuditActor.ApiKey(principal.Caller?.KeyId),
        };
        return new AuditSource(actor, BackOffice.ConsoleSession.AuditContext(context));
    }

    public static TBuilder RequireKey<TBuilder>(this TBuilder builder, KeyRequirement requirement)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequireKeyAttribute(requirement));
}
