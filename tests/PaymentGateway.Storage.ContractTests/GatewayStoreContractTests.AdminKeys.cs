using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- named admin keys (IMerchantStore, issue 21)

    private static AdminKeyRecord AdminKey(string name, DateTimeOffset? created = null) => new()
    {
        Id = Ids.New(Ids.AdminKey, created ?? T0),
        KeyHash = "sha256:" + Guid.NewGuid().ToString("N"),
        Hint = "adm_…" + Guid.NewGuid().ToString("N")[..4],
        Name = name,
        Created = created ?? T0,
    };

    private static AuditRecord AdminKeyAudit(AdminKeyRecord key, string action) => new()
    {
        Created = T0,
        Action = action,
        Actor = AuditActor.AdminKey,
        TargetType = "admin_key",
        TargetId = key.Id,
        After = new Dictionary<string, string?> { ["hint"] = key.Hint },
        Context = new AuditContext { RequestId = "req_contract" },
    };

    [StoreFact]
    public async Task AdminKeyCommit_WritesKeyEventAndAuditTogether_FindsByHash_AndListsNewestFirst()
    {
        var older = AdminKey("deploy pipeline");
        var newer = AdminKey("on-call", T0.AddMinutes(1));
        newer.ExpiresAt = T0.AddDays(30);
        var created = Event(AdminKeyService.EventScope, older.Id, AdminKeyService.CreatedAction);
        var changes = new ApiKeyChanges();
        changes.NewAdminKeys.Add(older);
        changes.Events.Add(created);
        changes.AuditRecords.Add(AdminKeyAudit(older, AdminKeyService.CreatedAction));
        await Store.Merchants.CommitApiKeysAsync(changes, Ct);
        var second = new ApiKeyChanges();
        second.NewAdminKeys.Add(newer);
        await Store.Merchants.CommitApiKeysAsync(second, Ct);

        var listed = (await Store.Merchants.ListAdminKeysAsync(Ct)).Where(k => k.Id == older.Id || k.Id == newer.Id).ToList();
        Assert.Equal([newer.Id, older.Id], listed.Select(k => k.Id));
        Assert.Equal("on-call", listed[0].Name);
        Assert.Equal(T0.AddDays(30), listed[0].ExpiresAt);
        Assert.All(listed, k => Assert.Equal(0, k.Version));
        Assert.All(listed, k => Assert.Null(k.LastUsedAt));
        Assert.Equal(older.Id, (await Store.Merchants.FindAdminKeyByHashAsync(older.KeyHash, Ct))?.Id);
        Assert.Equal(older.Hint, (await Store.Merchants.GetAdminKeyAsync(older.Id, Ct))?.Hint);
        Assert.Null(await Store.Merchants.GetAdminKeyAsync("adk_unknown", Ct));
        Assert.Null(await Store.Merchants.FindApiKeyByHashAsync(older.KeyHash, Ct)); // never a merchant's key
        Assert.NotNull(await Store.Events.GetEventAsync(AdminKeyService.EventScope, false, created.Id, Ct));
        var audit = Assert.Single(await Store.Audit.ListAsync(new AuditQuery { TargetId = older.Id }, Ct));
        Assert.Equal(AdminKeyService.CreatedAction, audit.Record.Action);
        Assert.Null(audit.Record.MerchantId);

        // The hash is unique: a second key with the same hash writes nothing, its event and audit entry included.
        var clash = new AdminKeyRecord { Id = Ids.New(Ids.AdminKey), KeyHash = older.KeyHash, Hint = "adm_…zzzz", Name = "clash", Created = T0 };
        var clashing = new ApiKeyChanges();
        clashing.NewAdminKeys.Add(clash);
        clashing.Events.Add(Event(AdminKeyService.EventScope, clash.Id, AdminKeyService.CreatedAction));
        clashing.AuditRecords.Add(AdminKeyAudit(clash, AdminKeyService.CreatedAction));
        Assert.NotNull(await Outcome(Store.Merchants.CommitApiKeysAsync(clashing, Ct)));
        Assert.Null(await Store.Merchants.GetAdminKeyAsync(clash.Id, Ct));
        Assert.Empty(await Store.Audit.ListAsync(new AuditQuery { TargetId = clash.Id }, Ct));
    }

    [StoreFact]
    public async Task AdminKeyUpdate_RoundTripsRevocationAndReplacement_IsVersionChecked_AndTouchMovesForwardOnly()
    {
        var key = AdminKey("ops");
        var initial = new ApiKeyChanges();
        initial.NewAdminKeys.Add(key);
        await Store.Merchants.CommitApiKeysAsync(initial, Ct);

        var first = await Store.Merchants.GetAdminKeyAsync(key.Id, Ct) ?? throw new InvalidOperationException();
        var stale = await Store.Merchants.GetAdminKeyAsync(key.Id, Ct) ?? throw new InvalidOperationException();
        first.ExpiresAt = T0.AddHours(1);
        first.ReplacedBy = "adk_replacement";
        var roll = new ApiKeyChanges();
        roll.UpdatedAdminKeys.Add(first);
        await Store.Merchants.CommitApiKeysAsync(roll, Ct);
        Assert.Equal(1, first.Version);

        stale.RevokedAt = T0;
        var lostEvent = Event(AdminKeyService.EventScope, key.Id, AdminKeyService.RevokedAction);
        var lost = new ApiKeyChanges();
        lost.UpdatedAdminKeys.Add(stale);
        lost.Events.Add(lostEvent);
        lost.AuditRecords.Add(AdminKeyAudit(stale, AdminKeyService.RevokedAction));
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.Merchants.CommitApiKeysAsync(lost, Ct)));
        Assert.Null(await Store.Events.GetEventAsync(AdminKeyService.EventScope, false, lostEvent.Id, Ct));
        Assert.Empty(await Store.Audit.ListAsync(new AuditQuery { TargetId = key.Id }, Ct));

        first.RevokedAt = T0.AddMinutes(2);
        var revoke = new ApiKeyChanges();
        revoke.UpdatedAdminKeys.Add(first);
        await Store.Merchants.CommitApiKeysAsync(revoke, Ct);

        await Store.Merchants.TouchAdminKeyAsync(key.Id, T0.AddMinutes(10), Ct);
        await Store.Merchants.TouchAdminKeyAsync(key.Id, T0.AddMinutes(5), Ct); // a slower node's older use
        var stored = await Store.Merchants.FindAdminKeyByHashAsync(key.KeyHash, Ct) ?? throw new InvalidOperationException();
        Assert.Equal(T0.AddHours(1), stored.ExpiresAt);
        Assert.Equal("adk_replacement", stored.ReplacedBy);
        Assert.Equal(T0.AddMinutes(2), stored.RevokedAt);
        Assert.Equal("revoked", stored.StatusAt(T0));
        Assert.Equal(T0.AddMinutes(10), stored.LastUsedAt);
        Assert.Equal(2, stored.Version); // a touch is not an update of the key
    }
}
