using System.Security.Cryptography;
using System.Text;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Merchants;

/// <summary>Merchants and their API keys. Keys are random, shown once, and stored as SHA-256 hashes.</summary>
public sealed class MerchantService(IPaymentStore paymentStore, IMerchantStore merchantStore, ApiKeyCache keys, TimeProvider time)
{
    public const string AdminKeySetting = "admin_key_hash";

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

    /// <summary>Resolves a presented API key to its caller, or null (<see cref="ApiKeyCache"/>).</summary>
    public Task<CallerContext?> AuthenticateAsync(string presentedKey, CancellationToken ct) => keys.AuthenticateAsync(presentedKey, ct);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool HashEquals(string presentedKey, string expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presentedKey)), Encoding.ASCII.GetBytes(expectedHash));

    public static string NewSecret(string prefix, int length = 32) => prefix + RandomString(length);

    private (ApiKeyRecord Record, string Secret) NewKey(string merchantId, ApiKeyKind kind, bool livemode) => NewKey(merchantId, kind, livemode, time.GetUtcNow());

    /// <summary>A new random key and its stored record (hash and hint only); the secret is returned once.</summary>
    internal static (ApiKeyRecord Record, string Secret) NewKey(string merchantId, ApiKeyKind kind, bool livemode, DateTimeOffset now,
        string? name = null, DateTimeOffset? expiresAt = null, string? rolledFrom = null)
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
            Created = now,
            Name = name,
            ExpiresAt = expiresAt,
            RolledFrom = rolledFrom,
        };
        return (record, secret);
    }

    private static string RandomString(int length)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
