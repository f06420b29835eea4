using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// The console and audit storage contract, run on both engines: users and links with version checks, audit entries
/// committed with the change they record (or not at all), one valid hash chain under concurrent writers on two
/// nodes, filters and cursors, and the append-only guarantee.
/// </summary>
public abstract class ConsoleStoreContractTests : IAsyncLifetime
{
    protected static CancellationToken Ct => CancellationToken.None;

    protected IConsoleStore Console { get; private set; } = null!;

    protected IAuditStore Audit { get; private set; } = null!;

    /// <summary>A fresh, migrated database; returns its console and audit stores.</summary>
    protected abstract Task<(IConsoleStore Console, IAuditStore Audit)> CreateAsync();

    /// <summary>A second node (its own engine instance and pool) on the same database.</summary>
    protected abstract Task<(IConsoleStore Console, IAuditStore Audit)> SecondNodeAsync();

    /// <summary>Runs SQL on a raw connection to the database (outside the product).</summary>
    protected abstract Task ExecuteRawAsync(string sql);

    /// <summary>The SQL that switches off the append-only triggers, so a test can play an attacker with the database file or superuser.</summary>
    protected abstract string DisableAppendOnlySql { get; }

    protected abstract Task CleanupAsync();

    public async Task InitializeAsync() => (Console, Audit) = await CreateAsync();

    public Task DisposeAsync() => CleanupAsync();

    private static DateTimeOffset T0 { get; } = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static ConsoleUser NewUser(string email, params ConsoleGrant[] grants) => new()
    {
        Id = Ids.New(Ids.ConsoleUser),
        Email = email,
        Name = "Test " + email,
        Grants = [.. grants],
        PasswordHash = "hash",
        SecurityStamp = "stamp-" + Guid.NewGuid().ToString("N"),
        Created = T0,
    };

    private static AuditRecord Record(string action, string? actorId = null, string? merchantId = null, string? targetId = null, DateTimeOffset? at = null) => new()
    {
        Created = at ?? T0,
        Action = action,
        Actor = new AuditActor { Type = AuditActorType.User, Id = actorId ?? "usr_actor", Email = "a@example.com", Role = "owner" },
        MerchantId = merchantId,
        TargetType = "console_user",
        TargetId = targetId,
        Before = new Dictionary<string, string?> { ["status"] = "active" },
        After = new Dictionary<string, string?> { ["status"] = "disabled", ["note"] = "quote \" comma , newline \n é" },
        Context = new AuditContext { Ip = "127.0.0.1", UserAgent = "tests", RequestId = "req_1" },
    };

    private async Task CommitAsync(Action<ConsoleChanges> fill)
    {
        var changes = new ConsoleChanges();
        fill(changes);
        await Console.CommitAsync(changes, Ct);
    }

    private AuditService Service(IAuditStore? audit = null) => new(audit ?? Audit, Console, TimeProvider.System);

    [StoreFact]
    public async Task User_reads_back_by_id_email_ignoring_case_and_external_id()
    {
        var user = NewUser("Ada@Example.com", new ConsoleGrant { MerchantId = "mer_1", Role = ConsoleRole.Support });
        user.ExternalIssuer = "https://idp.example.com";
        user.ExternalSubject = "sub-1";
        user.RefundLimit = 5000;
        await CommitAsync(c => c.NewUsers.Add(user));

        var byId = await Console.GetUserAsync(user.Id, Ct);
        var byEmail = await Console.FindUserByEmailAsync("ada@EXAMPLE.com", Ct);
        var byExternal = await Console.FindUserByExternalIdAsync("https://idp.example.com", "sub-1", Ct);

        Assert.NotNull(byId);
        Assert.Equal(user.Id, byEmail?.Id);
        Assert.Equal(user.Id, byExternal?.Id);
        Assert.Equal("Ada@Example.com", byId.Email);
        Assert.Equal(ConsoleRole.Support, Assert.Single(byId.Grants).Role);
        Assert.Equal("mer_1", byId.Grants[0].MerchantId);
        Assert.Equal(5000, byId.RefundLimit);
        Assert.Equal(0, byId.Version);
        Assert.Null(await Console.FindUserByExternalIdAsync("https://other.example.com", "sub-1", Ct));
        Assert.True(await Console.AnyUserAsync(Ct));
    }

    [StoreFact]
    public async Task Second_user_with_the_same_email_in_other_case_is_refused_and_its_audit_entry_is_not_written()
    {
        await CommitAsync(c => c.NewUsers.Add(NewUser("same@example.com")));
        var failed = await Xunit.Record.ExceptionAsync(() => CommitAsync(c =>
        {
            c.NewUsers.Add(NewUser("SAME@example.com"));
            c.AuditRecords.Add(Record("console.user.created"));
        }));

        Assert.NotNull(failed);
        Assert.Empty(await Audit.ListAsync(new AuditQuery(), Ct));
    }

    [StoreFact]
    public async Task Stale_user_update_conflicts_and_writes_nothing_with_it()
    {
        var user = NewUser("stale@example.com");
        await CommitAsync(c => c.NewUsers.Add(user));
        var first = await Console.GetUserAsync(user.Id, Ct) ?? throw new InvalidOperationException();
        var second = await Console.GetUserAsync(user.Id, Ct) ?? throw new InvalidOperationException();
        first.Name = "First";
        await CommitAsync(c =>
        {
            c.UpdatedUsers.Add(first);
            c.AuditRecords.Add(Record("console.user.first"));
        });
        Assert.Equal(1, first.Version);

        second.Name = "Second";
        var link = NewLink("stale-token");
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => CommitAsync(c =>
        {
            c.UpdatedUsers.Add(second);
            c.NewLinks.Add(link);
            c.AuditRecords.Add(Record("console.user.second"));
        }));

        Assert.Equal(user.Id, conflict.ObjectId);
        Assert.Equal("First", (await Console.GetUserAsync(user.Id, Ct))?.Name);
        Assert.Null(await Console.GetLinkAsync(link.Id, Ct));
        Assert.Equal(["console.user.first"], (await Audit.ListAsync(new AuditQuery(), Ct)).Select(e => e.Record.Action));
    }

    [StoreFact]
    public async Task Links_are_found_by_token_hash_and_only_open_ones_are_listed()
    {
        var open = NewLink("open");
        var used = NewLink("used");
        var expired = NewLink("expired", expires: T0.AddDays(-1));
        await CommitAsync(c => c.NewLinks.AddRange([open, used, expired]));
        var toUse = await Console.FindLinkByTokenHashAsync(ConsoleSecrets.HashToken("used"), Ct) ?? throw new InvalidOperationException("not found");
        toUse.UsedAt = T0;
        await CommitAsync(c => c.UpdatedLinks.Add(toUse));

        var listed = await Console.ListOpenLinksAsync(ConsoleLinkPurpose.Invitation, T0, 10, Ct);

        Assert.Equal([open.Id], listed.Select(l => l.Id));
        Assert.Equal("invitee@example.com", listed[0].Email);
        Assert.Equal(ConsoleRole.Viewer, Assert.Single(listed[0].Grants).Role);
        Assert.NotNull((await Console.GetLinkAsync(used.Id, Ct))?.UsedAt);
        Assert.Null(await Console.FindLinkByTokenHashAsync(ConsoleSecrets.HashToken("nope"), Ct));
    }

    [StoreFact]
    public async Task Users_list_in_id_order_with_a_cursor_and_without_removed_users()
    {
        var users = Enumerable.Range(0, 5).Select(i => NewUser($"u{i}@example.com")).ToList();
        users[2].Status = ConsoleUserStatus.Removed;
        await CommitAsync(c => c.NewUsers.AddRange(users));

        var first = await Console.ListUsersAsync(new ConsoleUserQuery { Limit = 2 }, Ct);
        var second = await Console.ListUsersAsync(new ConsoleUserQuery { StartingAfter = first[^1].Id, Limit = 10 }, Ct);

        Assert.Equal([users[0].Id, users[1].Id], first.Select(u => u.Id));
        Assert.Equal([users[3].Id, users[4].Id], second.Select(u => u.Id));
    }

    [StoreFact]
    public async Task Users_are_filtered_by_scope_merchant_role_status_and_search_in_the_store_and_paged_after_filtering()
    {
        ConsoleGrant G(ConsoleRole role, string? merchant) => new() { Role = role, MerchantId = merchant };
        var platform = NewUser("Platform.Owner@example.com", G(ConsoleRole.Owner, null));
        var aOwner = NewUser("anna@shop-a.example", G(ConsoleRole.Owner, "mer_a"));
        var aSupport = NewUser("bert@shop-a.example", G(ConsoleRole.Support, "mer_a"), G(ConsoleRole.Viewer, "mer_b"));
        var bOwner = NewUser("carl@shop-b.example", G(ConsoleRole.Owner, "mer_b"));
        var bDisabled = NewUser("dora@shop-b.example", G(ConsoleRole.Viewer, "mer_b"));
        bDisabled.Status = ConsoleUserStatus.Disabled;
        bDisabled.Name = "Dora Zebrafish";
        var removed = NewUser("eve@shop-a.example", G(ConsoleRole.Owner, "mer_a"));
        removed.Status = ConsoleUserStatus.Removed;
        var all = new[] { platform, aOwner, aSupport, bOwner, bDisabled, removed }.OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        await CommitAsync(c => c.NewUsers.AddRange(all));
        async Task<string[]> Ids(ConsoleUserQuery query) => [.. (await Console.ListUsersAsync(query, Ct)).Select(u => u.Email)];

        Assert.Equal(5, (await Ids(new ConsoleUserQuery())).Length);
        Assert.Equal(["anna@shop-a.example", "bert@shop-a.example"], (await Ids(new ConsoleUserQuery { MerchantScope = ["mer_a"] })).Order());
        Assert.Empty(await Ids(new ConsoleUserQuery { MerchantScope = [] }));
        Assert.Equal(["bert@shop-a.example", "carl@shop-b.example", "dora@shop-b.example"], (await Ids(new ConsoleUserQuery { MerchantId = "mer_b" })).Order());

        // Role and merchant must hold on the same grant: bert is support on mer_a but only a viewer on mer_b.
        Assert.Empty(await Ids(new ConsoleUserQuery { MerchantId = "mer_b", Role = ConsoleRole.Support }));
        Assert.Equal(["bert@shop-a.example"], await Ids(new ConsoleUserQuery { MerchantScope = ["mer_a"], Role = ConsoleRole.Support }));
        Assert.Equal(["Platform.Owner@example.com", "anna@shop-a.example", "carl@shop-b.example"], (await Ids(new ConsoleUserQuery { Role = ConsoleRole.Owner })).Order(StringComparer.Ordinal));
        Assert.Equal(["dora@shop-b.example"], await Ids(new ConsoleUserQuery { Status = ConsoleUserStatus.Disabled }));
        Assert.Equal(["Platform.Owner@example.com"], await Ids(new ConsoleUserQuery { Search = "platform.OWNER" }));
        Assert.Equal(["dora@shop-b.example"], await Ids(new ConsoleUserQuery { Search = "zebra" }));
        Assert.Equal(["carl@shop-b.example", "dora@shop-b.example"], (await Ids(new ConsoleUserQuery { Search = "shop-b", MerchantScope = ["mer_b"] })).Order());
        Assert.Empty(await Ids(new ConsoleUserQuery { Search = "%" }));

        // Paging runs after the filter: pages of one, in id order, only matching users.
        var matching = all.Where(u => u.Status != ConsoleUserStatus.Removed && u.Grants.Any(g => g.MerchantId == "mer_b")).Select(u => u.Id).ToList();
        var paged = new List<string>();
        string? cursor = null;
        for (var i = 0; i < 10; i++)
        {
            var page = await Console.ListUsersAsync(new ConsoleUserQuery { MerchantId = "mer_b", Limit = 1, StartingAfter = cursor }, Ct);
            if (page.Count == 0)
            {
                break;
            }

            paged.Add(page[0].Id);
            cursor = page[0].Id;
        }

        Assert.Equal(matching, paged);
    }

    [StoreFact]
    public async Task Audit_entries_chain_in_commit_order_and_read_back_field_by_field()
    {
        var record = Record("console.user.disabled", actorId: "usr_a", merchantId: "mer_1", targetId: "usr_t");
        await CommitAsync(c => c.AuditRecords.Add(record));
        await Audit.AppendAsync([Record("console.sign_in_failed"), Record("console.sign_in")], Ct);

        var all = await Audit.ListAsync(new AuditQuery(), Ct);
        Assert.Equal(["console.sign_in", "console.sign_in_failed", "console.user.disabled"], all.Select(e => e.Record.Action));
        Assert.Equal([3L, 2L, 1L], all.Select(e => e.Sequence));
        var first = all[^1];
        Assert.Equal(AuditChain.Genesis, first.PreviousHash);
        Assert.Equal(first.Hash, all[1].PreviousHash);
        Assert.Equal(record.Id, first.Id);
        Assert.Equal("usr_a", first.Record.Actor.Id);
        Assert.Equal("owner", first.Record.Actor.Role);
        Assert.Equal("mer_1", first.Record.MerchantId);
        Assert.Equal("usr_t", first.Record.TargetId);
        Assert.Equal("quote \" comma , newline \n é", first.Record.After?["note"]);
        Assert.Equal("127.0.0.1", first.Record.Context.Ip);
        Assert.Equal(T0, first.Record.Created);
        Assert.Equal(record.Id, (await Audit.GetAsync(record.Id, Ct))?.Id);

        var verification = await Service().VerifyAsync(Ct);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(3, verification.Entries);
        Assert.Equal(all[0].Hash, verification.HeadHash);
    }

    [StoreFact]
    public async Task Audit_list_filters_by_actor_action_target_merchant_scope_and_time_and_pages_both_ways()
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < 12; i++)
        {
            records.Add(Record(i % 2 == 0 ? "console.sign_in" : "console.user.role_changed", actorId: i % 3 == 0 ? "usr_x" : "usr_y",
                merchantId: i % 4 == 0 ? "mer_a" : "mer_b", targetId: i < 6 ? "usr_t1" : "usr_t2", at: T0.AddMinutes(i)));
        }

        await Audit.AppendAsync(records, Ct);

        Assert.Equal(6, (await Audit.ListAsync(new AuditQuery { Action = "console.sign_in" }, Ct)).Count);
        Assert.Equal(4, (await Audit.ListAsync(new AuditQuery { ActorId = "usr_x" }, Ct)).Count);
        Assert.Equal(6, (await Audit.ListAsync(new AuditQuery { TargetId = "usr_t2" }, Ct)).Count);
        Assert.Equal(3, (await Audit.ListAsync(new AuditQuery { MerchantId = "mer_a" }, Ct)).Count);
        Assert.Equal(3, (await Audit.ListAsync(new AuditQuery { MerchantScope = ["mer_a", "mer_z"] }, Ct)).Count);
        Assert.Empty(await Audit.ListAsync(new AuditQuery { MerchantScope = [] }, Ct));
        Assert.Equal(4, (await Audit.ListAsync(new AuditQuery { CreatedGte = T0.AddMinutes(2), CreatedLt = T0.AddMinutes(6) }, Ct)).Count);

        var page1 = await Audit.ListAsync(new AuditQuery { Limit = 5 }, Ct);
        var page2 = await Audit.ListAsync(new AuditQuery { Limit = 5, StartingAfter = page1[^1].Id }, Ct);
        var back = await Audit.ListAsync(new AuditQuery { Limit = 5, EndingBefore = page2[0].Id }, Ct);
        Assert.Equal(records.AsEnumerable().Reverse().Take(5).Select(r => r.Id), page1.Select(e => e.Id));
        Assert.Equal(records.AsEnumerable().Reverse().Skip(5).Take(5).Select(r => r.Id), page2.Select(e => e.Id));
        Assert.Equal(page1.Select(e => e.Id), back.Select(e => e.Id));
    }

    [StoreFact]
    public async Task Audit_times_never_decrease_along_the_chain()
    {
        await Audit.AppendAsync([Record("later", at: T0.AddSeconds(10))], Ct);
        await Audit.AppendAsync([Record("made_earlier_appended_after", at: T0)], Ct);

        var chain = await Audit.ReadChainAsync(0, 10, Ct);

        Assert.Equal(T0.AddSeconds(10), chain[1].Record.Created);
        Assert.True((await Service().VerifyAsync(Ct)).Valid);
        Assert.Equal(["later", "made_earlier_appended_after"], (await Audit.ListAsync(new AuditQuery { CreatedGte = T0.AddSeconds(10) }, Ct)).Select(e => e.Record.Action).Reverse());
        Assert.Empty(await Audit.ListAsync(new AuditQuery { CreatedLt = T0.AddSeconds(10) }, Ct));
    }

    [StoreFact]
    public async Task Concurrent_appends_from_two_nodes_make_one_valid_chain()
    {
        var (console2, audit2) = await SecondNodeAsync();
        var tasks = new List<Task>();
        for (var i = 0; i < 40; i++)
        {
            var n = i;
            var audit = n % 2 == 0 ? Audit : audit2;
            var console = n % 2 == 0 ? Console : console2;
            tasks.Add(Task.Run(async () =>
            {
                if (n % 4 < 2)
                {
                    await audit.AppendAsync([Record("standalone." + n), Record("standalone." + n + ".b")], Ct);
                }
                else
                {
                    var changes = new ConsoleChanges();
                    changes.NewUsers.Add(NewUser($"c{n}@example.com"));
                    changes.AuditRecords.Add(Record("with_change." + n));
                    await console.CommitAsync(changes, Ct);
                }
            }));
        }

        await Task.WhenAll(tasks);

        var verification = await Service().VerifyAsync(Ct);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(60, verification.Entries);
        var chain = await Audit.ReadChainAsync(0, 1000, Ct);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), chain.Select(e => e.Sequence));
    }

    [StoreFact]
    public async Task Audit_rows_cannot_be_updated_or_deleted()
    {
        await Audit.AppendAsync([Record("console.sign_in")], Ct);

        var update = await Xunit.Record.ExceptionAsync(() => ExecuteRawAsync("UPDATE audit_entries SET action = 'console.nothing';"));
        var delete = await Xunit.Record.ExceptionAsync(() => ExecuteRawAsync("DELETE FROM audit_entries;"));

        Assert.NotNull(update);
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.NotNull(delete);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Equal("console.sign_in", Assert.Single(await Audit.ListAsync(new AuditQuery(), Ct)).Record.Action);
    }

    [StoreFact]
    public async Task Verification_finds_the_first_entry_changed_behind_the_products_back()
    {
        await Audit.AppendAsync([Record("one"), Record("two"), Record("three")], Ct);
        await ExecuteRawAsync(DisableAppendOnlySql);
        await ExecuteRawAsync("UPDATE audit_entries SET data = replace(data, '\"two\"', '\"tw0\"') WHERE seq = 2;");

        var verification = await Service().VerifyAsync(Ct);

        Assert.False(verification.Valid);
        Assert.Equal(2, verification.BrokenAt);
        Assert.Equal(1, verification.Entries);
        Assert.Contains("does not match its hash", verification.Problem, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Verification_finds_a_deleted_entry()
    {
        await Audit.AppendAsync([Record("one"), Record("two"), Record("three")], Ct);
        await ExecuteRawAsync(DisableAppendOnlySql);
        await ExecuteRawAsync("DELETE FROM audit_entries WHERE seq = 2;");

        var verification = await Service().VerifyAsync(Ct);

        Assert.False(verification.Valid);
        Assert.Equal(3, verification.BrokenAt);
    }

    [StoreFact]
    public async Task Data_protection_keys_are_stored_once_by_name_and_listed_for_every_node()
    {
        await Console.StoreDataProtectionKeyAsync("key-1", "<key id=\"1\"/>");
        await Console.StoreDataProtectionKeyAsync("key-1", "<key id=\"other\"/>");
        var (console2, _) = await SecondNodeAsync();
        await console2.StoreDataProtectionKeyAsync("key-2", "<key id=\"2\"/>");

        var keys = await Console.ListDataProtectionKeysAsync();

        Assert.Equal(["<key id=\"1\"/>", "<key id=\"2\"/>"], keys);
    }

    private static ConsoleLink NewLink(string token, DateTimeOffset? expires = null) => new()
    {
        Id = Ids.New(Ids.ConsoleLink),
        Purpose = ConsoleLinkPurpose.Invitation,
        TokenHash = ConsoleSecrets.HashToken(token),
        Email = "invitee@example.com",
        Grants = [new ConsoleGrant { MerchantId = "mer_1", Role = ConsoleRole.Viewer }],
        Created = T0.AddDays(-2),
        ExpiresAt = expires ?? T0.AddDays(5),
    };
}
