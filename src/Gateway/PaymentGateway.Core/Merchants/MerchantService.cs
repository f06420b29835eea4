using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Merchants;

/// <summary>
/// Merchants and their API keys. Keys are random, shown once, and stored as SHA-256 hashes. Every change is audited
/// (<see cref="AdminAudit"/>) in the same commit.
/// </summary>
public sealed class MerchantService(IPaymentStore paymentStore, IMerchantStore merchantStore, TimeProvider time)
{
    public const string AdminKeySetting = "admin_key_hash";
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (CallerContext? Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<MerchantResource> CreateMerchantAsync(AuditSource by, CreateMerchantRequest request, string? reservedId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw GatewayException.Missing("name");
        }

        if (request.Name.Length > 200)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "name must be at most 200 characters.", "name");
        }

        var id = reservedId is null ? Ids.New(Ids.Merchant) : $"{Ids.Merchant}_{reservedId}";
        if (reservedId is not null && await merchantStore.GetMerchantAsync(id, ct).ConfigureAwait(false) is { } existing)
        {
            return existing.ToResource();
        }

        var merchant = new Merchant { Id = id, Name = request.Name.Trim(), Created = time.GetUtcNow() };
        var changes = new StoreChanges();
        changes.NewMerchants.Add(merchant);
        changes.AuditRecords.Add(AdminAudit.Record(by, merchant.Created, AdminAudit.MerchantCreated, merchant.Id, "merchant", merchant.Id, null, AdminAudit.Summary(merchant)));
        await paymentStore.CommitAsync(changes, ct).ConfigureAwait(false);
        return merchant.ToResource();
    }

    public async Task<IReadOnlyList<MerchantResource>> ListMerchantsAsync(CancellationToken ct) =>
        (await merchantStore.ListMerchantsAsync(ct).ConfigureAwait(false)).Select(m => m.ToResource()).ToList();

    public async Task<ApiKeyResource> CreateApiKeyAsync(AuditSource by, string merchantId, CreateApiKeyRequest request, CancellationToken ct)
    {
        _ = await merchantStore.GetMerchantAsync(merchantId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("merchant", merchantId);
        var kind = request.Type switch
        {
            "secret" => ApiKeyKind.Secret,
            "publishable" => ApiKeyKind.Publishable,
            null => throw GatewayException.Missing("type"),
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "type must be 'secret' or 'publishable'.", "type"),
        };
        var (record, secret) = NewKey(merchantId, kind, request.Livemode ?? false);
        var changes = new StoreChanges();
        changes.NewApiKeys.Add(record);
        changes.AuditRecords.Add(AdminAudit.Record(by, record.Created, AdminAudit.ApiKeyCreated, merchantId, "api_key", record.Id, null, AdminAudit.Summary(record)));
        await paymentStore.CommitAsync(changes, ct).ConfigureAwait(false);
        return record.ToResource(secret);
    }

    /// <summary>Creates a merchant with a test secret and a test publishable key in one transaction.</summary>
    public async Task<(Merchant Merchant, string SecretKey, string PublishableKey)> CreateDemoMerchantAsync(string name, CancellationToken ct)
    {
        var merchant = new Merchant { Id = Ids.New(Ids.Merchant), Name = name, Created = time.GetUtcNow() };
        var (secretRecord, secret) = NewKey(merchant.Id, ApiKeyKind.Secret, livemode: false);
        var (publishableRecord, publishable) = NewKey(merchant.Id, ApiKeyKind.Publishable, livemode: false);
        var changes = new StoreChanges();
        changes.NewMerchants.Add(merchant);
        changes.NewApiKeys.Add(secretRecord);
        changes.NewApiKeys.Add(publishableRecord);
        changes.AuditRecords.Add(AdminAudit.Record(AuditSource.System, merchant.Created, AdminAudit.MerchantCreated, merchant.Id, "merchant", merchant.Id, null, AdminAudit.Summary(merchant)));
        changes.AuditRecords.Add(AdminAudit.Record(AuditSource.System, merchant.Created, AdminAudit.ApiKeyCreated, merchant.Id, "api_key", secretRecord.Id, null, AdminAudit.Summary(secretRecord)));
        changes.AuditRecords.Add(AdminAudit.Record(AuditSource.System, merchant.Created, AdminAudit.ApiKeyCreated, merchant.Id, "api_key", publishableRecord.Id, null, AdminAudit.Summary(publishableRecord)));
        await paymentStore.CommitAsync(changes, ct).ConfigureAwait(false);
        return (merchant, secret, publishable);
    }

    /// <summary>Resolves a presented API key to its caller, or null. Results are cached briefly by key hash.</summary>
    public async Task<CallerContext?> AuthenticateAsync(string presentedKey, CancellationToken ct)
    {
        if (presentedKey.Length is < 16 or > 128)
        {
            return null;
        }

        var hash = Hash(presentedKey);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Caller;
        }

        var record = await merchantStore.FindApiKeyByHashAsync(hash, ct).ConfigureAwait(false);
        var caller = record is null || record.RevokedAt is not null ? null : new CallerContext(record.MerchantId, record.Livemode, record.Kind) { KeyId = record.Id };
        if (_cache.Count > 100_000)
        {
            _cache.Clear();
        }

        _cache[hash] = (caller, now + CacheLifetime);
        return caller;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool HashEquals(string presentedKey, string expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presentedKey)), Encoding.ASCII.GetBytes(expectedHash));

    public static string NewSecret(string prefix) => prefix + RandomString(32);

    private (ApiKeyRecord Record, string Secret) NewKey(string merchantId, ApiKeyKind kind, bool livemode)
    {
        var prefix = (kind == ApiKeyKind.Secret ? "sk_" : "pk_") + (livemode ? "live_" : "test_");
        var secret = NewSecret(prefix);
        var record = new ApiKeyRecord
        {
            Id = Ids.New(Ids.ApiKey),
            MerchantId = merchantId,
            Kind = kind,
            Livemode = livemode,
            KeyHash = Hash(secret),
            Hint = prefix + "…" + secret[^4..],
            Created = time.GetUtcNow(),
        };
        return (record, secret);
    }

    private static string RandomString(int length)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
