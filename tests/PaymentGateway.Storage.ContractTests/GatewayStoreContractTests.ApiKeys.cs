using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- API key lifecycle (IMerchantStore, issue 21)

    private static AuditRecord KeyAudit(ApiKeyRecord key, string action) => new()
    {
        Created = T0,
        Action = action,
        Actor = AuditActor.AdminKey,
        MerchantId = key.MerchantId,
        TargetType = "api_key",
        TargetId = key.Id,
        After = new Dictionary<string, string?> { ["hint"] = key.Hint },
        Context = new AuditContext { RequestId = "req_contract" },
    };

    [StoreFact]
    public async Task ApiKeyCommit_WritesKeyEventAndAuditTogether_AndListsAMerchantsKeysNewestFirst()
    {
        var merchant = NewMerchantId();
        var older = ApiKey(merchant);
        var template = ApiKey(merchant, ApiKeyKind.Publishable);
        var newer = new ApiKeyRecord
        {
            Id = PaymentGateway.Core.Ids.New(PaymentGateway.Core.Ids.ApiKey, T0.AddMinutes(1)),
            MerchantId = merchant,
            Kind = template.Kind,
            Livemode = false,
            KeyHash = template.KeyHash,
            Hint = "pk_test_…wxyz",
            Created = T0.AddMinutes(1),
            Name = "storefront",
        };
        var other = ApiKey(NewMerchantId());
        var created = Event(merchant, older.Id, EventTypes.ApiKeyCreated);
        var changes = new ApiKeyChanges();
        changes.NewKeys.AddRange([older, other]);
        changes.Events.Add(created);
        changes.AuditRecords.Add(KeyAudit(older, "api_key.created"));
        await Store.Merchants.CommitApiKeysAsync(changes, Ct);
        var second = new ApiKeyChanges();
        second.NewKeys.Add(newer);
        await Store.Merchants.CommitApiKeysAsync(second, Ct);

        var listed = await Store.Merchants.ListApiKeysAsync(merchant, Ct);
        Assert.Equal([newer.Id, older.Id], listed.Select(k => k.Id));
        Assert.Equal("storefront", listed[0].Name);
        Assert.All(listed, k => Assert.Equal(0, k.Version));
        Assert.All(listed, k => Assert.Null(k.LastUsedAt));
        Assert.NotNull(await Store.Events.GetEventAsync(merchant, false, created.Id, Ct));
        var audit = Assert.Single(await Store.Audit.ListAsync(new AuditQuery { TargetId = older.Id }, Ct));
        Assert.Equal("api_key.created", audit.Record.Action);
        Assert.Equal(merchant, audit.Record.MerchantId);
        Assert.Null(await Store.Merchants.GetApiKeyAsync(merchant, other.Id, Ct)); // another merchant's key
        Assert.Equal(older.Hint, (await Store.Merchants.GetApiKeyAsync(merchant, older.Id, Ct))?.Hint);
    }

    [StoreFact]
    public async Task ApiKeyUpdate_RoundTripsExpiryRevocationAndReplacement_AndIsVersionChecked()
    {
        var merchant = NewMerchantId();
        var key = ApiKey(merchant);
        var initial = new ApiKeyChanges();
        initial.NewKeys.Add(key);
        await Store.Merchants.CommitApiKeysAsync(initial, Ct);

        var first = await Store.Merchants.GetApiKeyAsync(merchant, key.Id, Ct) ?? throw new InvalidOperationException();
        var stale = await Store.Merchants.GetApiKeyAsync(merchant, key.Id, Ct) ?? throw new InvalidOperationException();
        first.ExpiresAt = T0.AddHours(1);
        first.ReplacedBy = "key_replacement";
        var roll = new ApiKeyChanges();
        roll.UpdatedKeys.Add(first);
        await Store.Merchants.CommitApiKeysAsync(roll, Ct);
        Assert.Equal(1, first.Version);

        stale.RevokedAt = T0;
        var lostEvent = Event(merchant, key.Id, EventTypes.ApiKeyRevoked);
        var lost = new ApiKeyChanges();
        lost.UpdatedKeys.Add(stale);
        lost.Events.Add(lostEvent);
        lost.AuditRecords.Add(KeyAudit(stale, "api_key.revoked"));
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.Merchants.CommitApiKeysAsync(lost, Ct)));

        var stored = await Store.Merchants.FindApiKeyByHashAsync(key.KeyHash, Ct) ?? throw new InvalidOperationException();
        Assert.Equal(T0.AddHours(1), stored.ExpiresAt);
        Assert.Equal("key_replacement", stored.ReplacedBy);
        Assert.Null(stored.RevokedAt);
        Assert.Equal(1, stored.Version);
        Assert.Null(await Store.Events.GetEventAsync(merchant, false, lostEvent.Id, Ct));
        Assert.Empty(await Store.Audit.ListAsync(new AuditQuery { TargetId = key.Id }, Ct));
    }

    [StoreFact]
    public async Task ApiKeyTouch_MovesLastUsedForwardOnly()
    {
        var merchant = NewMerchantId();
        var key = ApiKey(merchant);
        var changes = new ApiKeyChanges();
        changes.NewKeys.Add(key);
        await Store.Merchants.CommitApiKeysAsync(changes, Ct);

        await Store.Merchants.TouchApiKeyAsync(key.Id, T0.AddMinutes(10), Ct);
        await Store.Merchants.TouchApiKeyAsync(key.Id, T0.AddMinutes(5), Ct); // a slower node's older use
        var stored = await Store.Merchants.FindApiKeyByHashAsync(key.KeyHash, Ct) ?? throw new InvalidOperationException();
        Assert.Equal(T0.AddMinutes(10), stored.LastUsedAt);
        Assert.Equal(0, stored.Version); // a touch is not an update of the key
    }
}
