using Microsoft.Extensions.Logging.Abstractions;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// A node's key cache over each engine's store: a key revoked by another node (written to the store behind this
/// cache's back) is still trusted until the cache hears of it; <see cref="ApiKeyCache.ForgetKey"/> with its id (what
/// the PostgreSQL notification carries) makes the very next use read the store and refuse it.
/// </summary>
public abstract partial class GatewayStoreContractTests
{
    [StoreFact]
    public async Task ApiKeyCache_trusts_its_cached_row_until_told_the_keys_id_then_refuses_the_revoked_key()
    {
        var merchant = NewMerchantId();
        var secret = "sk_test_" + Guid.NewGuid().ToString("N");
        var template = ApiKey(merchant);
        var key = new ApiKeyRecord
        {
            Id = template.Id,
            MerchantId = merchant,
            Kind = template.Kind,
            Livemode = false,
            KeyHash = MerchantService.Hash(secret),
            Hint = "sk_test_…" + secret[^4..],
            Created = T0,
        };
        var create = new ApiKeyChanges();
        create.NewKeys.Add(key);
        await Store.Merchants.CommitApiKeysAsync(create, Ct);
        var cache = new ApiKeyCache(Store.Merchants, TimeProvider.System, NullLogger<ApiKeyCache>.Instance);
        Assert.Equal(key.Id, (await cache.AuthenticateAsync(secret, Ct))?.KeyId);

        // Another node revokes it: this node's cache has not heard yet.
        var stored = await Store.Merchants.GetApiKeyAsync(merchant, key.Id, Ct) ?? throw new InvalidOperationException("no key");
        stored.RevokedAt = DateTimeOffset.UtcNow;
        var revoke = new ApiKeyChanges();
        revoke.UpdatedKeys.Add(stored);
        await Store.Merchants.CommitApiKeysAsync(revoke, Ct);
        Assert.NotNull(await cache.AuthenticateAsync(secret, Ct));

        cache.ForgetKey(ApiKey(merchant).Id); // another key's change leaves this one cached
        Assert.NotNull(await cache.AuthenticateAsync(secret, Ct));

        cache.ForgetKey(key.Id);
        Assert.Null(await cache.AuthenticateAsync(secret, Ct));
    }
}
