using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Core.Storage;

/// <summary>Merchants, their API keys and the gateway's settings.</summary>
public interface IMerchantStore
{
    Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken);

    /// <summary>The key with this hash, revoked or expired ones included (the caller decides), with its last use and version.</summary>
    Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> GetApiKeyAsync(string merchantId, string id, CancellationToken cancellationToken);

    /// <summary>Every key of a merchant, revoked and expired ones included, newest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string merchantId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the keys, their events and the audit entries that record the change in one transaction. An updated key
    /// is written only if its stored version still equals <see cref="KeyRecord.Version"/>, else
    /// <see cref="ConcurrencyConflictException"/> and nothing is written.
    /// </summary>
    Task CommitApiKeysAsync(ApiKeyChanges changes, CancellationToken cancellationToken);

    /// <summary>Records a key's last use: moves <c>last_used_at</c> forward to <paramref name="usedAt"/>, never back.</summary>
    Task TouchApiKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken);

    /// <summary>The named admin key with this hash, revoked or expired ones included (the caller decides).</summary>
    Task<AdminKeyRecord?> FindAdminKeyByHashAsync(string keyHash, CancellationToken cancellationToken);

    Task<AdminKeyRecord?> GetAdminKeyAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every named admin key, revoked and expired ones included, newest first.</summary>
    Task<IReadOnlyList<AdminKeyRecord>> ListAdminKeysAsync(CancellationToken cancellationToken);

    /// <summary>Records an admin key's last use: moves <c>last_used_at</c> forward only.</summary>
    Task TouchAdminKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken);

    Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken);
}

/// <summary>One atomic unit of API key and admin key writes (<see cref="IMerchantStore.CommitApiKeysAsync"/>).</summary>
public sealed class ApiKeyChanges : IChangeSet
{
    /// <summary>The key a conflict names: the first new one (its hash or id was taken), else the first updated.</summary>
    public string ConflictObjectId => NewKeys.Concat(UpdatedKeys).Select(k => k.Id)
        .Concat(NewAdminKeys.Concat(UpdatedAdminKeys).Select(k => k.Id)).FirstOrDefault() ?? string.Empty;

    public List<ApiKeyRecord> NewKeys { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="KeyRecord.Version"/>.</summary>
    public List<ApiKeyRecord> UpdatedKeys { get; } = [];

    /// <summary>Named admin keys (table <c>admin_keys</c>).</summary>
    public List<AdminKeyRecord> NewAdminKeys { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="KeyRecord.Version"/>.</summary>
    public List<AdminKeyRecord> UpdatedAdminKeys { get; } = [];

    public List<GatewayEvent> Events { get; } = [];

    public List<AuditRecord> AuditRecords { get; } = [];

    /// <summary>Called by the store once committed: the updated copies are now at their stored versions.</summary>
    public void MarkCommitted()
    {
        UpdatedKeys.ForEach(k => k.Version++);
        UpdatedAdminKeys.ForEach(k => k.Version++);
    }
}
