using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Merchants;

/// <summary>
/// The life of a merchant's API keys: create (the secret is shown once), list (hints only), roll (a new key, the old
/// one expires after a chosen overlap) and revoke. Every change is written with its event (<c>api_key.*</c>) and its
/// audit entry in one transaction, and forgotten by this node's <see cref="ApiKeyCache"/> at once (other nodes: on PostgreSQL at its notification, at the latest within
/// <see cref="ApiKeyCache.Lifetime"/>). The admin API and the console call the same methods with their own actor.
/// </summary>
public sealed class ApiKeyService(IMerchantStore store, IAuditStore audit, ApiKeyCache cache, TimeProvider time)
{
    public const int MaxNameLength = 100;
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(7);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(5 * 366);

    public const string CreatedAction = "api_key.created";
    public const string RolledAction = "api_key.rolled";
    public const string RevokedAction = "api_key.revoked";
    public const string AuditTarget = "api_key";

    public async Task<ApiKeyResource> CreateAsync(string merchantId, CreateApiKeyRequest request, AuditActor actor, AuditContext context, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        var kind = request.Type switch
        {
            "secret" => ApiKeyKind.Secret,
            "publishable" => ApiKeyKind.Publishable,
            null => throw GatewayException.Missing("type"),
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "type must be 'secret' or 'publishable'.", "type"),
        };
        var now = time.GetUtcNow();
        var name = ValidateName(request.Name);
        ValidateExpiry(request.ExpiresAt, now);

        var (key, secret) = MerchantService.NewKey(merchantId, kind, request.Livemode ?? false, now, name, request.ExpiresAt);
        var changes = new ApiKeyChanges();
        changes.NewKeys.Add(key);
        changes.Events.Add(EventFactory.ForApiKey(key, EventTypes.ApiKeyCreated, now));
        changes.AuditRecords.Add(Record(now, CreatedAction, actor, context, key, before: null, after: Describe(key, now)));
        await store.CommitApiKeysAsync(changes, ct).ConfigureAwait(false);
        return key.ToResource(secret, now);
    }

    /// <summary>Every key of the merchant, newest first, revoked and expired ones included (hints only).</summary>
    public async Task<ListResource<ApiKeyResource>> ListAsync(string merchantId, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var keys = await store.ListApiKeysAsync(merchantId, ct).ConfigureAwait(false);
        return new ListResource<ApiKeyResource> { Data = keys.Select(k => k.ToResource(now: now)).ToList(), HasMore = false };
    }

    public async Task<ApiKeyResource> GetAsync(string merchantId, string keyId, CancellationToken ct) =>
        (await FindAsync(merchantId, keyId, ct).ConfigureAwait(false)).ToResource(now: time.GetUtcNow());

    /// <summary>
    /// Makes a new key of the same kind, mode and name, and lets the old one expire after <see cref="RollApiKeyRequest.OverlapSeconds"/>
    /// (never later than it would have anyway). Returns the new key with its secret, once.
    /// </summary>
    public async Task<ApiKeyResource> RollAsync(string merchantId, string keyId, RollApiKeyRequest request, AuditActor actor, AuditContext context, CancellationToken ct)
    {
        var overlap = Overlap(request);
        var old = await FindAsync(merchantId, keyId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (old.RevokedAt is not null)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ApiKeyRevoked, $"API key '{old.Id}' is revoked; create a new key instead.", "id");
        }

        if (!old.IsUsableAt(now))
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ApiKeyRevoked, $"API key '{old.Id}' has expired; create a new key instead.", "id");
        }

        var before = Describe(old, now);
        var (replacement, secret) = MerchantService.NewKey(merchantId, old.Kind, old.Livemode, now, old.Name, expiresAt: null, rolledFrom: old.Id);
        old.ReplaceBy(replacement.Id, now + overlap);

        var changes = new ApiKeyChanges();
        changes.NewKeys.Add(replacement);
        changes.UpdatedKeys.Add(old);
        changes.Events.Add(EventFactory.ForApiKey(old, EventTypes.ApiKeyRolled, now));
        changes.Events.Add(EventFactory.ForApiKey(replacement, EventTypes.ApiKeyCreated, now));
        var after = new Dictionary<string, string?>(Describe(old, now)) { ["replaced_by"] = replacement.Id, ["overlap_seconds"] = ((long)overlap.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        changes.AuditRecords.Add(Record(now, RolledAction, actor, context, old, before, after));
        await store.CommitApiKeysAsync(changes, ct).ConfigureAwait(false);
        cache.Forget(old.KeyHash);
        return replacement.ToResource(secret, now);
    }

    /// <summary>Revokes a key at once (on this node; on the other nodes of a PostgreSQL gateway as soon as its notification arrives, at the latest within <see cref="ApiKeyCache.Lifetime"/>). Revoking it again changes nothing.</summary>
    public async Task<ApiKeyResource> RevokeAsync(string merchantId, string keyId, AuditActor actor, AuditContext context, CancellationToken ct)
    {
        var key = await FindAsync(merchantId, keyId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (key.RevokedAt is null)
        {
            var before = Describe(key, now);
            key.RevokedAt = now;
            var changes = new ApiKeyChanges();
            changes.UpdatedKeys.Add(key);
            changes.Events.Add(EventFactory.ForApiKey(key, EventTypes.ApiKeyRevoked, now));
            changes.AuditRecords.Add(Record(now, RevokedAction, actor, context, key, before, Describe(key, now)));
            await store.CommitApiKeysAsync(changes, ct).ConfigureAwait(false);
        }

        cache.Forget(key.KeyHash);
        return key.ToResource(now: now);
    }

    // ---------------------------------------------------------------- the console: the same methods, role-checked here

    /// <summary>The merchant's keys for a console user whose role allows managing keys there (developer, owner).</summary>
    public async Task<ListResource<ApiKeyResource>> ListAsync(ConsoleCaller caller, string merchantId, CancellationToken ct)
    {
        caller.Demand(ConsolePermission.ManageApiKeys, merchantId);
        return await ListAsync(merchantId, ct).ConfigureAwait(false);
    }

    public async Task<ApiKeyResource> CreateAsync(ConsoleCaller caller, string merchantId, CreateApiKeyRequest request, CancellationToken ct)
    {
        var role = await DemandAsync(caller, merchantId, CreatedAction, null, ct).ConfigureAwait(false);
        return await AsFieldErrors(CreateAsync(merchantId, request, caller.Actor(role), caller.Context, ct)).ConfigureAwait(false);
    }

    public async Task<ApiKeyResource> RollAsync(ConsoleCaller caller, string merchantId, string keyId, RollApiKeyRequest request, CancellationToken ct)
    {
        var role = await DemandAsync(caller, merchantId, RolledAction, keyId, ct).ConfigureAwait(false);
        return await AsFieldErrors(RollAsync(merchantId, keyId, request, caller.Actor(role), caller.Context, ct)).ConfigureAwait(false);
    }

    public async Task<ApiKeyResource> RevokeAsync(ConsoleCaller caller, string merchantId, string keyId, CancellationToken ct)
    {
        var role = await DemandAsync(caller, merchantId, RevokedAction, keyId, ct).ConfigureAwait(false);
        return await RevokeAsync(merchantId, keyId, caller.Actor(role), caller.Context, ct).ConfigureAwait(false);
    }

    /// <summary>The role allowing key changes on the merchant; a refusal is audited (outcome <c>refused</c>) and thrown.</summary>
    private Task<ConsoleRole> DemandAsync(ConsoleCaller caller, string merchantId, string action, string? keyId, CancellationToken ct) =>
        caller.DemandAuditedAsync(ConsolePermission.ManageApiKeys, merchantId, () => audit.AppendAsync([new AuditRecord
        {
            Created = time.GetUtcNow(),
            Action = action,
            Outcome = AuditOutcomes.Refused,
            Actor = caller.Actor(null),
            MerchantId = merchantId,
            TargetType = AuditTarget,
            TargetId = keyId,
            Context = caller.Context,
        }], ct));

    /// <summary>A refused field of a console form is shown beside the field (<see cref="ConsoleValidationException"/>).</summary>
    private static async Task<T> AsFieldErrors<T>(Task<T> work)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Kind == ErrorKind.InvalidRequest && e.Param is { } param)
        {
            throw new ConsoleValidationException(param switch { "name" => "Name", "overlap_seconds" => "Overlap", "type" => "Type", _ => param }, e.Message);
        }
    }

    private async Task RequireMerchantAsync(string merchantId, CancellationToken ct) =>
        _ = await store.GetMerchantAsync(merchantId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("merchant", merchantId);

    private async Task<ApiKeyRecord> FindAsync(string merchantId, string keyId, CancellationToken ct)
    {
        await RequireMerchantAsync(merchantId, ct).ConfigureAwait(false);
        return await store.GetApiKeyAsync(merchantId, keyId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("api_key", keyId);
    }

    /// <summary>A roll's overlap: <see cref="DefaultOverlap"/> when not given, else 0 to <see cref="MaxOverlap"/>.</summary>
    internal static TimeSpan Overlap(RollApiKeyRequest request) => request.OverlapSeconds is { } seconds
        ? seconds >= 0 && seconds <= MaxOverlap.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"overlap_seconds must be between 0 and {MaxOverlap.TotalSeconds:0}.", "overlap_seconds")
        : DefaultOverlap;

    /// <summary>An expiry given at creation: in the future and within <see cref="MaxLifetime"/>.</summary>
    internal static void ValidateExpiry(DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (expiresAt is { } expires && (expires <= now || expires - now > MaxLifetime))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "expires_at must be in the future and at most 5 years ahead.", "expires_at");
        }
    }

    internal static string? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        name = name.Trim();
        return name.Length > MaxNameLength || name.Any(char.IsControl)
            ? throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"name must be at most {MaxNameLength} characters, without control characters.", "name")
            : name;
    }

    /// <summary>What the audit entry shows of a key: never its hash or secret.</summary>
    private static Dictionary<string, string?> Describe(ApiKeyRecord key, DateTimeOffset now) => new(StringComparer.Ordinal)
    {
        ["type"] = key.Kind == ApiKeyKind.Secret ? "secret" : "publishable",
        ["livemode"] = key.Livemode ? "true" : "false",
        ["hint"] = key.Hint,
        ["name"] = key.Name,
        ["status"] = key.StatusAt(now),
        ["expires_at"] = key.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static AuditRecord Record(DateTimeOffset now, string action, AuditActor actor, AuditContext context, ApiKeyRecord key,
        IReadOnlyDictionary<string, string?>? before, IReadOnlyDictionary<string, string?>? after) => new()
        {
            Created = now,
            Action = action,
            Actor = actor,
            MerchantId = key.MerchantId,
            TargetType = AuditTarget,
            TargetId = key.Id,
            Before = before,
            After = after,
            Context = context,
        };
}
