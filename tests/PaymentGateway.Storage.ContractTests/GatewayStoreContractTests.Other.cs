using PaymentGateway.Core;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- payment methods

    [StoreFact]
    public async Task Payment_method_round_trips_including_encrypted_number_and_is_scoped()
    {
        var merchant = NewMerchantId();
        var method = PaymentMethod(merchant, livemode: true);
        await CommitAsync(c => c.NewPaymentMethods.Add(method));

        var stored = await Store.Payments.GetPaymentMethodAsync(merchant, true, method.Id, Ct);

        Assert.NotNull(stored);
        Assert.Equal(method.Id, stored.Id);
        Assert.Equal(method.MerchantId, stored.MerchantId);
        Assert.Equal(method.Livemode, stored.Livemode);
        Assert.Equal(method.Type, stored.Type);
        Assert.Equal(method.Card, stored.Card);
        Assert.Equal(method.HolderName, stored.HolderName);
        Assert.Equal(method.Created, stored.Created);
        Assert.Equal(method.EncryptedNumber, stored.EncryptedNumber);

        Assert.Null(await Store.Payments.GetPaymentMethodAsync(merchant, false, method.Id, Ct));
        Assert.Null(await Store.Payments.GetPaymentMethodAsync(NewMerchantId(), true, method.Id, Ct));
        Assert.Null(await Store.Payments.GetPaymentMethodAsync(merchant, true, Ids.New(Ids.PaymentMethod), Ct));
    }

    [StoreFact]
    public async Task Payment_method_without_encrypted_number_reads_back_null()
    {
        var merchant = NewMerchantId();
        var method = PaymentMethod(merchant, encryptedNumber: null);
        await CommitAsync(c => c.NewPaymentMethods.Add(method));

        var stored = await Store.Payments.GetPaymentMethodAsync(merchant, false, method.Id, Ct);

        Assert.NotNull(stored);
        Assert.Null(stored.EncryptedNumber);
        Assert.Equal(method.Card, stored.Card);
    }

    // ---------------------------------------------------------------- merchants, keys, settings

    [StoreFact]
    public async Task Merchants_round_trip_and_list()
    {
        var a = Merchant(name: "Alpha GmbH");
        var b = Merchant(name: "Beta & Co \"quoted\"");
        await CommitAsync(c => c.NewMerchants.Add(a));
        await CommitAsync(c => c.NewMerchants.Add(b));

        var storedA = await Store.Merchants.GetMerchantAsync(a.Id, Ct);
        Assert.NotNull(storedA);
        Assert.Equal(a.Id, storedA.Id);
        Assert.Equal(a.Name, storedA.Name);
        Assert.Equal(a.Created, storedA.Created);
        Assert.Null(await Store.Merchants.GetMerchantAsync(NewMerchantId(), Ct));

        var all = await Store.Merchants.ListMerchantsAsync(Ct);
        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), all.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal(b.Name, all.Single(m => m.Id == b.Id).Name);
    }

    [StoreFact]
    public async Task Duplicate_merchant_id_is_rejected_and_keeps_the_original()
    {
        var original = Merchant(name: "Original");
        await CommitAsync(c => c.NewMerchants.Add(original));

        await Assert.ThrowsAnyAsync<Exception>(() => CommitAsync(c => c.NewMerchants.Add(Merchant(original.Id, "Impostor"))));

        var stored = await Store.Merchants.GetMerchantAsync(original.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal("Original", stored.Name);
    }

    [StoreFact]
    public async Task Api_keys_are_found_by_hash_with_all_fields()
    {
        var merchant = Merchant();
        var secret = ApiKey(merchant.Id, ApiKeyKind.Secret, livemode: true, revokedAt: T0.AddDays(3));
        var publishable = ApiKey(merchant.Id, ApiKeyKind.Publishable);
        await CommitAsync(c =>
        {
            c.NewMerchants.Add(merchant);
            c.NewApiKeys.AddRange([secret, publishable]);
        });

        var found = await Store.Merchants.FindApiKeyByHashAsync(secret.KeyHash, Ct);
        Assert.NotNull(found);
        Assert.Equal(secret.Id, found.Id);
        Assert.Equal(secret.MerchantId, found.MerchantId);
        Assert.Equal(ApiKeyKind.Secret, found.Kind);
        Assert.True(found.Livemode);
        Assert.Equal(secret.KeyHash, found.KeyHash);
        Assert.Equal(secret.Hint, found.Hint);
        Assert.Equal(secret.Created, found.Created);
        Assert.Equal(secret.RevokedAt, found.RevokedAt);

        var pk = await Store.Merchants.FindApiKeyByHashAsync(publishable.KeyHash, Ct);
        Assert.NotNull(pk);
        Assert.Equal(publishable.Id, pk.Id);
        Assert.Equal(ApiKeyKind.Publishable, pk.Kind);
        Assert.False(pk.Livemode);
        Assert.Null(pk.RevokedAt);

        Assert.Null(await Store.Merchants.FindApiKeyByHashAsync("sha256:unknown", Ct));
        Assert.Null(await Store.Merchants.FindApiKeyByHashAsync(secret.KeyHash.ToUpperInvariant(), Ct));
    }

    [StoreFact]
    public async Task Settings_are_upserted()
    {
        Assert.Null(await Store.Merchants.GetSettingAsync("webhook.secret", Ct));

        await CommitAsync(c =>
        {
            c.Settings["webhook.secret"] = "one";
            c.Settings["other"] = "keep";
        });
        Assert.Equal("one", await Store.Merchants.GetSettingAsync("webhook.secret", Ct));

        await CommitAsync(c => c.Settings["webhook.secret"] = "two");
        Assert.Equal("two", await Store.Merchants.GetSettingAsync("webhook.secret", Ct));
        Assert.Equal("keep", await Store.Merchants.GetSettingAsync("other", Ct));

        await CommitAsync(c => c.Settings["empty"] = "");
        Assert.Equal("", await Store.Merchants.GetSettingAsync("empty", Ct));
    }

    // ---------------------------------------------------------------- idempotency

    private static readonly TimeSpan Lock = TimeSpan.FromSeconds(30);

    private Task<IdempotencyBeginResult> BeginAsync(string merchant, string key, string hash, DateTimeOffset now) =>
        Store.Idempotency.BeginIdempotentRequestAsync(new IdempotencyBeginRequest { MerchantId = merchant, Key = key, RequestHash = hash, Now = now, LockDuration = Lock }, Ct);

    private Task CompleteAsync(string merchant, string key, int status, string body) =>
        Store.Idempotency.CompleteIdempotentRequestAsync(new IdempotencyCompletion { MerchantId = merchant, Key = key, ResponseStatus = status, ResponseBody = body }, Ct);

    [StoreFact]
    public async Task Idempotency_first_begin_starts_with_a_seed_and_a_second_while_locked_is_in_use()
    {
        var merchant = NewMerchantId();

        var first = await BeginAsync(merchant, "key-1", "hash-a", T0);
        Assert.Equal(IdempotencyBeginOutcome.Started, first.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(first.RecoverySeed));

        var second = await BeginAsync(merchant, "key-1", "hash-a", T0.AddSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.InUse, second.Outcome);

        var other = await BeginAsync(merchant, "key-2", "hash-a", T0);
        Assert.Equal(IdempotencyBeginOutcome.Started, other.Outcome);
        Assert.NotEqual(first.RecoverySeed, other.RecoverySeed);
    }

    [StoreFact]
    public async Task Idempotency_different_hash_is_a_mismatch_in_every_state()
    {
        var merchant = NewMerchantId();
        await BeginAsync(merchant, "k", "hash-a", T0);

        Assert.Equal(IdempotencyBeginOutcome.Mismatch, (await BeginAsync(merchant, "k", "hash-b", T0.AddSeconds(1))).Outcome);

        await Store.Idempotency.ReleaseIdempotentRequestAsync(merchant, "k", Ct);
        Assert.Equal(IdempotencyBeginOutcome.Mismatch, (await BeginAsync(merchant, "k", "hash-b", T0.AddSeconds(2))).Outcome);

        Assert.Equal(IdempotencyBeginOutcome.Started, (await BeginAsync(merchant, "k", "hash-a", T0.AddSeconds(3))).Outcome);
        await CompleteAsync(merchant, "k", 200, "{}");
        Assert.Equal(IdempotencyBeginOutcome.Mismatch, (await BeginAsync(merchant, "k", "hash-b", T0.AddSeconds(4))).Outcome);
    }

    [StoreFact]
    public async Task Idempotency_complete_then_begin_replays_stored_status_and_body()
    {
        var merchant = NewMerchantId();
        await BeginAsync(merchant, "k", "hash-a", T0);
        const string body = """{"id":"pay_123","status":"succeeded","note":"ünïcødé"}""";
        await CompleteAsync(merchant, "k", 201, body);

        var replay = await BeginAsync(merchant, "k", "hash-a", T0.AddSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.Replay, replay.Outcome);
        Assert.Equal(201, replay.ResponseStatus);
        Assert.Equal(body, replay.ResponseBody);

        // Still a replay much later (completion is not a lock that expires).
        var later = await BeginAsync(merchant, "k", "hash-a", T0.AddDays(1));
        Assert.Equal(IdempotencyBeginOutcome.Replay, later.Outcome);
        Assert.Equal(body, later.ResponseBody);
    }

    [StoreFact]
    public async Task Idempotency_release_then_begin_starts_again_with_the_same_seed()
    {
        var merchant = NewMerchantId();
        var first = await BeginAsync(merchant, "k", "hash-a", T0);
        await Store.Idempotency.ReleaseIdempotentRequestAsync(merchant, "k", Ct);

        var retry = await BeginAsync(merchant, "k", "hash-a", T0.AddSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.Started, retry.Outcome);
        Assert.Equal(first.RecoverySeed, retry.RecoverySeed);

        // The retry holds the lock again.
        Assert.Equal(IdempotencyBeginOutcome.InUse, (await BeginAsync(merchant, "k", "hash-a", T0.AddSeconds(2))).Outcome);
    }

    [StoreFact]
    public async Task Idempotency_expired_lock_starts_again_with_the_same_seed()
    {
        var merchant = NewMerchantId();
        var first = await BeginAsync(merchant, "k", "hash-a", T0);

        Assert.Equal(IdempotencyBeginOutcome.InUse, (await BeginAsync(merchant, "k", "hash-a", T0 + Lock - TimeSpan.FromMilliseconds(1))).Outcome);

        var takeover = await BeginAsync(merchant, "k", "hash-a", T0 + Lock + TimeSpan.FromSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.Started, takeover.Outcome);
        Assert.Equal(first.RecoverySeed, takeover.RecoverySeed);

        // The takeover holds a fresh lock.
        Assert.Equal(IdempotencyBeginOutcome.InUse, (await BeginAsync(merchant, "k", "hash-a", T0 + Lock + TimeSpan.FromSeconds(2))).Outcome);
    }

    [StoreFact]
    public async Task Idempotency_keys_are_scoped_per_merchant()
    {
        var m1 = NewMerchantId();
        var m2 = NewMerchantId();
        var first = await BeginAsync(m1, "shared", "hash-a", T0);
        await CompleteAsync(m1, "shared", 200, "m1-body");

        var second = await BeginAsync(m2, "shared", "hash-b", T0.AddSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.Started, second.Outcome);
        Assert.NotEqual(first.RecoverySeed, second.RecoverySeed);

        // Completing or releasing for one merchant leaves the other alone.
        await Store.Idempotency.ReleaseIdempotentRequestAsync(m1, "shared", Ct);
        Assert.Equal(IdempotencyBeginOutcome.InUse, (await BeginAsync(m2, "shared", "hash-b", T0.AddSeconds(2))).Outcome);
        await CompleteAsync(m2, "shared", 402, "m2-body");

        var r1 = await BeginAsync(m1, "shared", "hash-a", T0.AddSeconds(3));
        var r2 = await BeginAsync(m2, "shared", "hash-b", T0.AddSeconds(3));
        Assert.Equal(IdempotencyBeginOutcome.Replay, r1.Outcome);
        Assert.Equal("m1-body", r1.ResponseBody);
        Assert.Equal(200, r1.ResponseStatus);
        Assert.Equal(IdempotencyBeginOutcome.Replay, r2.Outcome);
        Assert.Equal("m2-body", r2.ResponseBody);
        Assert.Equal(402, r2.ResponseStatus);
    }

    [StoreFact]
    public async Task Idempotency_concurrent_begins_with_one_key_start_exactly_once()
    {
        var merchant = NewMerchantId();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => BeginAsync(merchant, "race", "hash-a", T0))));

        var started = Assert.Single(results, r => r.Outcome == IdempotencyBeginOutcome.Started);
        Assert.False(string.IsNullOrWhiteSpace(started.RecoverySeed));
        Assert.Equal(19, results.Count(r => r.Outcome == IdempotencyBeginOutcome.InUse));
    }

    [StoreFact]
    public async Task Idempotency_purge_removes_old_completed_keys_only()
    {
        var merchant = NewMerchantId();
        var cutoff = T0.AddHours(24);

        var oldDone = await BeginAsync(merchant, "old-done", "h", T0);
        await CompleteAsync(merchant, "old-done", 200, "old");
        await BeginAsync(merchant, "old-inflight", "h", T0.AddMinutes(1));
        await BeginAsync(merchant, "new-done", "h", cutoff.AddMinutes(1));
        await CompleteAsync(merchant, "new-done", 200, "new");

        var purged = await Store.Idempotency.PurgeIdempotencyKeysAsync(cutoff, Ct);

        Assert.Equal(1, purged);
        var reused = await BeginAsync(merchant, "old-done", "other-hash", cutoff.AddMinutes(2));
        Assert.Equal(IdempotencyBeginOutcome.Started, reused.Outcome);
        Assert.NotEqual(oldDone.RecoverySeed, reused.RecoverySeed);
        Assert.Equal(IdempotencyBeginOutcome.InUse, (await BeginAsync(merchant, "old-inflight", "h", T0.AddMinutes(1).AddSeconds(1))).Outcome);
        var kept = await BeginAsync(merchant, "new-done", "h", cutoff.AddMinutes(2));
        Assert.Equal(IdempotencyBeginOutcome.Replay, kept.Outcome);
        Assert.Equal("new", kept.ResponseBody);
    }

    private static IdempotencyKeyChanges KeyChanges(string merchant, string key, bool claim = true, IdempotentResponse? response = null, string hash = "hash-a") => new()
    {
        MerchantId = merchant,
        Key = key,
        Claim = claim ? new IdempotencyKeyClaim(hash, "seed-" + key, T0 + Lock, T0) : null,
        Response = response,
    };

    [StoreFact]
    public async Task Idempotency_find_reads_the_row_without_claiming_it()
    {
        var merchant = NewMerchantId();
        Assert.Null(await Store.Idempotency.FindIdempotencyKeyAsync(merchant, "k", Ct));

        var begun = await BeginAsync(merchant, "k", "hash-a", T0);
        var started = await Store.Idempotency.FindIdempotencyKeyAsync(merchant, "k", Ct);
        Assert.NotNull(started);
        Assert.Equal(Core.Idempotency.IdempotencyKeyState.Started, started.State);
        Assert.Equal(begun.RecoverySeed, started.RecoverySeed);
        Assert.Equal("hash-a", started.RequestHash);
        Assert.Equal((T0 + Lock).ToUnixTimeMilliseconds(), started.LockedUntil.ToUnixTimeMilliseconds());

        await CompleteAsync(merchant, "k", 201, "body");
        var completed = await Store.Idempotency.FindIdempotencyKeyAsync(merchant, "k", Ct);
        Assert.NotNull(completed);
        Assert.Equal(Core.Idempotency.IdempotencyKeyState.Completed, completed.State);
        Assert.Equal(201, completed.ResponseStatus);
        Assert.Equal("body", completed.ResponseBody);
        Assert.Null(await Store.Idempotency.FindIdempotencyKeyAsync(NewMerchantId(), "k", Ct));
    }

    [StoreFact]
    public async Task Idempotency_claim_rides_in_a_payment_commit_and_holds_the_key()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant);
        await CommitAsync(c =>
        {
            c.NewPayments.Add(payment);
            c.Idempotency = KeyChanges(merchant, "k");
        });

        Assert.NotNull(await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct));
        var inUse = await BeginAsync(merchant, "k", "hash-a", T0.AddSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.InUse, inUse.Outcome);

        // Its lock ends as claimed; then the key is taken again with the claimed seed.
        var relock = await BeginAsync(merchant, "k", "hash-a", T0 + Lock + TimeSpan.FromSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.Started, relock.Outcome);
        Assert.Equal("seed-k", relock.RecoverySeed);
        Assert.False(relock.IsFirstUse);
    }

    [StoreFact]
    public async Task Idempotency_claim_of_a_taken_key_fails_the_whole_commit()
    {
        var merchant = NewMerchantId();
        await BeginAsync(merchant, "k", "hash-a", T0);
        var payment = Payment(merchant);
        var evt = Event(merchant, payment.Id);

        var error = await Outcome(CommitAsync(c =>
        {
            c.NewPayments.Add(payment);
            c.Events.Add(evt);
            c.Idempotency = KeyChanges(merchant, "k");
        }));

        Assert.Equal("k", Assert.IsType<IdempotencyKeyTakenException>(error).Key);
        Assert.Null(await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct));
        Assert.Null(await Store.Events.GetEventAsync(merchant, false, evt.Id, Ct));
        Assert.IsType<IdempotencyKeyTakenException>(await Outcome(Store.Idempotency.CommitIdempotencyAsync(KeyChanges(merchant, "k"), Ct)));

        // The key is still the first request's.
        Assert.Equal(IdempotencyBeginOutcome.InUse, (await BeginAsync(merchant, "k", "hash-a", T0.AddSeconds(1))).Outcome);
    }

    [StoreFact]
    public async Task Idempotency_response_rides_in_the_last_commit_and_replays()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant, status: PaymentStatus.Processing);
        await CommitAsync(c =>
        {
            c.NewPayments.Add(payment);
            c.Idempotency = KeyChanges(merchant, "k");
        });
        payment.Status = PaymentStatus.Succeeded;
        await CommitAsync(c =>
        {
            c.UpdatedPayments.Add(payment);
            c.Idempotency = KeyChanges(merchant, "k", claim: false, response: new IdempotentResponse(200, "{\"status\":\"succeeded\"}"));
        });

        var replay = await BeginAsync(merchant, "k", "hash-a", T0.AddSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.Replay, replay.Outcome);
        Assert.Equal(200, replay.ResponseStatus);
        Assert.Equal("{\"status\":\"succeeded\"}", replay.ResponseBody);
        Assert.Equal("seed-k", replay.RecoverySeed);
    }

    [StoreFact]
    public async Task Idempotency_claim_with_a_response_writes_the_key_completed()
    {
        var merchant = NewMerchantId();
        await Store.Idempotency.CommitIdempotencyAsync(KeyChanges(merchant, "k", response: new IdempotentResponse(404, "missing")), Ct);

        var replay = await BeginAsync(merchant, "k", "hash-a", T0.AddDays(1));
        Assert.Equal(IdempotencyBeginOutcome.Replay, replay.Outcome);
        Assert.Equal(404, replay.ResponseStatus);
        Assert.Equal("missing", replay.ResponseBody);
        Assert.Equal(IdempotencyBeginOutcome.Mismatch, (await BeginAsync(merchant, "k", "hash-b", T0.AddDays(1))).Outcome);
    }

    [StoreFact]
    public async Task Idempotency_concurrent_commits_claiming_one_key_write_exactly_one_payment()
    {
        var merchant = NewMerchantId();
        var payments = Enumerable.Range(0, 20).Select(i => Payment(merchant, created: T0.AddMilliseconds(i))).ToList();

        var outcomes = await Task.WhenAll(payments.Select(p => Task.Run(() => Outcome(Store.Payments.CommitAsync(Changes(c =>
        {
            c.NewPayments.Add(p);
            c.Idempotency = KeyChanges(merchant, "race");
        }), Ct)))));

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.IsType<IdempotencyKeyTakenException>(o));
        var stored = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100 }, Ct);
        Assert.Equal(payments[Array.FindIndex(outcomes, o => o is null)].Id, Assert.Single(stored).Id);
    }

    // ---------------------------------------------------------------- leases

    [StoreFact]
    public async Task Lease_is_exclusive_until_it_expires_and_the_holder_can_renew()
    {
        var name = "sweeper-" + Guid.NewGuid().ToString("N");
        var shortLease = TimeSpan.FromMilliseconds(400);

        Assert.True(await Store.Leases.TryAcquireLeaseAsync(name, "A", shortLease, Ct));
        Assert.False(await Store.Leases.TryAcquireLeaseAsync(name, "B", TimeSpan.FromSeconds(5), Ct));
        Assert.True(await Store.Leases.TryAcquireLeaseAsync(name, "A", shortLease, Ct));
        Assert.False(await Store.Leases.TryAcquireLeaseAsync(name, "B", TimeSpan.FromSeconds(5), Ct));

        // Other names are independent.
        Assert.True(await Store.Leases.TryAcquireLeaseAsync(name + "-other", "B", TimeSpan.FromSeconds(5), Ct));

        await Task.Delay(shortLease + TimeSpan.FromMilliseconds(200));

        Assert.True(await Store.Leases.TryAcquireLeaseAsync(name, "B", TimeSpan.FromSeconds(5), Ct));
        Assert.False(await Store.Leases.TryAcquireLeaseAsync(name, "A", shortLease, Ct));
        Assert.True(await Store.Leases.TryAcquireLeaseAsync(name, "B", TimeSpan.FromSeconds(5), Ct));
    }

    [StoreFact]
    public async Task Lease_renewal_extends_the_expiry()
    {
        var lease = TimeSpan.FromMilliseconds(1000);
        TimeSpan last = default;

        // Leases are timed by the database's clock, so this test runs in real time. A round counts only when B's attempt
        // returned within the lease after the renewal began (the renewal's expiry is at least that late), so a slow
        // moment on the machine makes the round inconclusive and it runs again, never a false result.
        for (var round = 0; round < 3; round++)
        {
            var name = "renew-" + Guid.NewGuid().ToString("N");
            Assert.True(await Store.Leases.TryAcquireLeaseAsync(name, "A", lease, Ct));
            await Task.Delay(600);
            var sinceRenewal = System.Diagnostics.Stopwatch.StartNew();
            Assert.True(await Store.Leases.TryAcquireLeaseAsync(name, "A", lease, Ct));
            await Task.Delay(600);

            // More than the lease after the first grant, but less after the renewal: still A's.
            var taken = await Store.Leases.TryAcquireLeaseAsync(name, "B", lease, Ct);
            last = sinceRenewal.Elapsed;
            if (last < lease)
            {
                Assert.False(taken, $"B took A's renewed lease {last} after the renewal began (lease {lease}).");
                return;
            }
        }

        Assert.Fail($"Test machine too slow: three rounds took longer than the lease to reach B's attempt (last {last}).");
    }

    // ---------------------------------------------------------------- migration and durability

    [StoreFact]
    public async Task Migrate_is_idempotent()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant);
        await CommitAsync(c => c.NewPayments.Add(payment));

        await Store.Maintenance.MigrateAsync(Ct);
        await Store.Maintenance.MigrateAsync(Ct);

        Assert.NotNull(await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct));
        var next = Payment(merchant, created: T0.AddSeconds(1));
        await CommitAsync(c => c.NewPayments.Add(next));
        Assert.Equal(2, (await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery(), Ct)).Count);
    }

    [StoreFact]
    public async Task Reopening_the_database_keeps_all_data()
    {
        var merchant = Merchant();
        var payment = FullPayment(merchant.Id);
        var refund = Refund(payment);
        var evt = Event(merchant.Id, payment.Id);
        var method = PaymentMethod(merchant.Id);
        var key = ApiKey(merchant.Id);
        await CommitAsync(c =>
        {
            c.NewMerchants.Add(merchant);
            c.NewApiKeys.Add(key);
            c.NewPayments.Add(payment);
            c.NewRefunds.Add(refund);
            c.NewPaymentMethods.Add(method);
            c.Events.Add(evt);
            c.Settings["durable"] = "yes";
        });
        var updated = await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct);
        Assert.NotNull(updated);
        updated.Status = PaymentStatus.Succeeded;
        await CommitAsync(c => c.UpdatedPayments.Add(updated));
        var idem = await BeginAsync(merchant.Id, "durable-key", "h", T0);
        await CompleteAsync(merchant.Id, "durable-key", 200, "durable-body");

        await ReopenAsync();

        var stored = await Store.Payments.GetPaymentAsync(merchant.Id, false, payment.Id, Ct);
        Assert.NotNull(stored);
        AssertPaymentEqual(updated, stored);
        Assert.Equal(1, stored.Version);
        var storedRefund = await Store.Payments.GetRefundAsync(merchant.Id, false, refund.Id, Ct);
        Assert.NotNull(storedRefund);
        AssertRefundEqual(refund, storedRefund);
        var storedEvent = await Store.Events.GetEventAsync(merchant.Id, false, evt.Id, Ct);
        Assert.NotNull(storedEvent);
        AssertEventEqual(evt, storedEvent);
        Assert.Equal(method.EncryptedNumber, (await Store.Payments.GetPaymentMethodAsync(merchant.Id, false, method.Id, Ct))?.EncryptedNumber);
        Assert.Equal(merchant.Name, (await Store.Merchants.GetMerchantAsync(merchant.Id, Ct))?.Name);
        Assert.Equal(key.Id, (await Store.Merchants.FindApiKeyByHashAsync(key.KeyHash, Ct))?.Id);
        Assert.Equal("yes", await Store.Merchants.GetSettingAsync("durable", Ct));
        var replay = await BeginAsync(merchant.Id, "durable-key", "h", T0.AddSeconds(1));
        Assert.Equal(IdempotencyBeginOutcome.Replay, replay.Outcome);
        Assert.Equal("durable-body", replay.ResponseBody);
        Assert.NotNull(idem.RecoverySeed);

        // Versions continue from the stored value after reopening.
        stored.Status = PaymentStatus.Canceled;
        await CommitAsync(c => c.UpdatedPayments.Add(stored));
        Assert.Equal(2, stored.Version);
        Assert.Equal(2, (await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct))?.Version);
    }
}
