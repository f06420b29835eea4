using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Merchants;

/// <summary>
/// Named admin keys (issue 21): create (the key is shown once, only its hash is stored), list (hints only), roll (a new
/// key; the old one keeps working for the overlap), revoke, optional expiry and last use — the lifecycle of a
/// merchant's keys (<see cref="ApiKeyService"/>) for the admin API's own credential. Every change is written with its
/// event (<c>admin_key.*</c>, under <see cref="EventScope"/>) and its audit entry in one transaction, and forgotten by
/// this node's <see cref="ApiKeyCache"/> at once (other nodes: on PostgreSQL at its notification, at the latest within <see cref="ApiKeyCache.Lifetime"/>). The configured
/// <see cref="GatewayOptions.AdminKey"/> stays a bootstrap credential beside them until
/// <see cref="GatewayOptions.NamedAdminKeysOnly"/> turns it off.
/// </summary>
public sealed class AdminKeyService(IMerchantStore store, EventService events, ApiKeyCache cache, IOptions<GatewayOptions> options, TimeProvider time)
{
    /// <summary>The event log's owner for admin key events: no merchant has this id, so none reads them or gets them by webhook.</summary>
    public const string EventScope = "gateway";

    /// <summary>What a named admin key starts with; the rest is 40 random characters (about 238 bits).</summary>
    public const string SecretPrefix = "adm_";

    // The audit actions, and the event types: not in EventTypes, which is the catalogue a merchant's webhook endpoint
    // subscribes from (these events belong to no merchant).
    public const string CreatedAction = "admin_key.created";
    public const string RolledAction = "admin_key.rolled";
    public const string RevokedAction = "admin_key.revoked";
    public const string AuditTarget = "admin_key";

    public async Task<AdminKeyResource> CreateAsync(CreateAdminKeyRequest request, AuditSource by, CancellationToken ct)
    {
        var name = ApiKeyService.ValidateName(request.Name) ?? throw GatewayException.Missing("name");
        var now = time.GetUtcNow();
        ApiKeyService.ValidateExpiry(request.ExpiresAt, now);
        var (key, secret) = NewKey(name, now, request.ExpiresAt, rolledFrom: null);
        var changes = new ApiKeyChanges();
        changes.NewAdminKeys.Add(key);
        changes.Events.Add(EventFactory.ForAdminKey(key, CreatedAction, now));
        changes.AuditRecords.Add(Record(now, CreatedAction, by, key, before: null, after: Describe(key, now)));
        await store.CommitApiKeysAsync(changes, ct).ConfigureAwait(false);
        return key.ToResource(secret, now);
    }

    /// <summary>Every named admin key, newest first, revoked and expired ones included (hints only).</summary>
    public async Task<ListResource<AdminKeyResource>> ListAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keys = await store.ListAdminKeysAsync(ct).ConfigureAwait(false);
        return new ListResource<AdminKeyResource> { Data = keys.Select(k => k.ToResource(now: now)).ToList(), HasMore = false };
    }

    public async Task<AdminKeyResource> GetAsync(string keyId, CancellationToken ct) =>
        (await FindAsync(keyId, ct).ConfigureAwait(false)).ToResource(now: time.GetUtcNow());

    /// <summary>
    /// Makes a new key with the same name and lets the old one expire after the overlap (never later than it would have
    /// anyway). Returns the new key with its secret, once.
    /// </summary>
    public async Task<AdminKeyResource> RollAsync(string keyId, RollApiKeyRequest request, AuditSource by, CancellationToken ct)
    {
        var overlap = ApiKeyService.Overlap(request);
        var old = await FindAsync(keyId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (!old.IsUsableAt(now))
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ApiKeyRevoked, $"Admin key '{old.Id}' is {old.StatusAt(now)}; create a new key instead.", "id");
        }

        var before = Describe(old, now);
        var (replacement, secret) = NewKey(old.Name, now, expiresAt: null, rolledFrom: old.Id);
        old.ReplaceBy(replacement.Id, now + overlap);

        var changes = new ApiKeyChanges();
        changes.NewAdminKeys.Add(replacement);
        changes.UpdatedAdminKeys.Add(old);
        changes.Events.Add(EventFactory.ForAdminKey(old, RolledAction, now));
        changes.Events.Add(EventFactory.ForAdminKey(replacement, CreatedAction, now));
        var after = new Dictionary<string, string?>(Describe(old, now))
        {
            ["replaced_by"] = replacement.Id,
            ["overlap_seconds"] = ((long)overlap.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        changes.AuditRecords.Add(Record(now, RolledAction, by, old, before, after));
        await store.CommitApiKeysAsync(changes, ct).ConfigureAwait(false);
        cache.Forget(old.KeyHash);
        return replacement.ToResource(secret, now);
    }

    /// <summary>Revokes a key at once (on this node; on the other nodes of a PostgreSQL gateway as soon as its notification arrives, at the latest within <see cref="ApiKeyCache.Lifetime"/>). Revoking it again changes nothing.</summary>
    public async Task<AdminKeyResource> RevokeAsync(string keyId, AuditSource by, CancellationToken ct)
    {
        var key = await FindAsync(keyId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (key.RevokedAt is null)
        {
            var before = Describe(key, now);
            key.RevokedAt = now;
            var changes = new ApiKeyChanges();
            changes.UpdatedAdminKeys.Add(key);
            changes.Events.Add(EventFactory.ForAdminKey(key, RevokedAction, now));
            changes.AuditRecords.Add(Record(now, RevokedAction, by, key, before, Describe(key, now)));
            await store.CommitApiKeysAsync(changes, ct).ConfigureAwait(false);
        }

        cache.Forget(key.KeyHash);
        return key.ToResource(now: now);
    }

    /// <summary>The <c>admin_key.*</c> events, newest first, cursor-paged like a merchant's events.</summary>
    public Task<ListResource<EventResource>> ListEventsAsync(EventListQuery query, CancellationToken ct) =>
        events.ListAsync(EventScope, livemode: false, query, ct);

    /// <summary>
    /// Whether the admin API can be reached after start: the configured key (unless <see cref="GatewayOptions.NamedAdminKeysOnly"/>)
    /// or a named key that is active now. Start-up refuses a gateway with none outside Development.
    /// </summary>
    public async Task<bool> HasUsableCredentialAsync(CancellationToken ct)
    {
        if (!options.Value.NamedAdminKeysOnly && !string.IsNullOrEmpty(options.Value.AdminKey))
        {
            return true;
        }

        var now = time.GetUtcNow();
        return (await store.ListAdminKeysAsync(ct).ConfigureAwait(false)).Any(k => k.IsUsableAt(now));
    }

    private async Task<AdminKeyRecord> FindAsync(string keyId, CancellationToken ct) =>
        await store.GetAdminKeyAsync(keyId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("admin_key", keyId);

    private static (AdminKeyRecord Record, string Secret) NewKey(string name, DateTimeOffset now, DateTimeOffset? expiresAt, string? rolledFrom)
    {
        var secret = MerchantService.NewSecret(SecretPrefix, 40);
        var record = new AdminKeyRecord
        {
            Id = Ids.New(Ids.AdminKey),
            KeyHash = MerchantService.Hash(secret),
            Hint = SecretPrefix + "…" + secret[^4..],
            Name = name,
            Created = now,
            ExpiresAt = expiresAt,
            RolledFrom = rolledFrom,
        };
        return (record, secret);
    }

    /// <summary>What the audit entry shows of a key: never its hash or secret.</summary>
    private static Dictionary<string, string?> Describe(AdminKeyRecord key, DateTimeOffset now) => new(StringComparer.Ordinal)
    {
        ["name"] = key.Name,
        ["hint"] = key.Hint,
        ["status"] = key.StatusAt(now),
        ["expires_at"] = key.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static AuditRecord Record(DateTimeOffset now, string action, AuditSource by, AdminKeyRecord key,
        IReadOnlyDictionary<string, string?>? before, IReadOnlyDictionary<string, string?>? after) => new()
        {
            Created = now,
            Action = action,
            Actor = by.Actor,
            TargetType = AuditTarget,
            TargetId = key.Id,
            Before = before,
            After = after,
            Context = by.Context,
        };
}
