using PaymentGateway.Core;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// The storage contract every engine must pass. A concrete subclass supplies the engine: each test gets a fresh, empty,
/// migrated store from <see cref="CreateStoreAsync"/>, and <see cref="DisposeStoreAsync"/> cleans it up afterwards.
/// </summary>
public abstract partial class GatewayStoreContractTests : IAsyncLifetime
{
    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>The stores under test, one per seam over one engine; replaced by <see cref="ReopenAsync"/>.</summary>
    protected GatewayStores Store { get; private set; } = null!;

    /// <summary>New stores on a new, empty database, already migrated.</summary>
    protected abstract Task<GatewayStores> CreateStoreAsync();

    /// <summary>Disposes <paramref name="current"/> and opens new stores on the same database (migrated again).</summary>
    protected abstract Task<GatewayStores> ReopenStoreAsync(GatewayStores current);

    /// <summary>Disposes the stores and deletes their database.</summary>
    protected abstract Task DisposeStoreAsync(GatewayStores store);

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (Store is not null)
        {
            await DisposeStoreAsync(Store);
        }
    }

    protected async Task ReopenAsync() => Store = await ReopenStoreAsync(Store);

    protected Task CommitAsync(Action<StoreChanges> fill) => Store.Payments.CommitAsync(Changes(fill), Ct);

    /// <summary>Awaits <paramref name="task"/> and returns its exception, or null when it succeeded.</summary>
    protected static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    protected static string[] IdsOf(IEnumerable<Payment> items) => [.. items.Select(x => x.Id)];

    protected static string[] IdsOf(IEnumerable<Refund> items) => [.. items.Select(x => x.Id)];

    protected static string[] IdsOf(IEnumerable<GatewayEvent> items) => [.. items.Select(x => x.Id)];

    // ---------------------------------------------------------------- payments: insert and read

    [StoreFact]
    public async Task Inserted_payment_reads_back_field_by_field()
    {
        var merchant = NewMerchantId();
        var payment = FullPayment(merchant);
        await CommitAsync(c => c.NewPayments.Add(payment));

        var stored = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct);

        Assert.NotNull(stored);
        AssertPaymentEqual(payment, stored);
    }

    [StoreFact]
    public async Task Payment_with_only_required_fields_reads_back_with_nulls_and_empty_collections()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant, livemode: true, status: PaymentStatus.RequiresPaymentMethod);
        await CommitAsync(c => c.NewPayments.Add(payment));

        var stored = await Store.Payments.GetPaymentAsync(merchant, true, payment.Id, Ct);

        Assert.NotNull(stored);
        AssertPaymentEqual(payment, stored);
        Assert.Null(stored.NextAction);
        Assert.Null(stored.LastPaymentError);
        Assert.Null(stored.CanceledAt);
        Assert.Empty(stored.Attempts);
        Assert.Empty(stored.Metadata);
    }

    [StoreFact]
    public async Task Scoped_payment_read_with_wrong_merchant_or_livemode_returns_null()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant, livemode: false);
        await CommitAsync(c => c.NewPayments.Add(payment));

        Assert.Null(await Store.Payments.GetPaymentAsync(NewMerchantId(), false, payment.Id, Ct));
        Assert.Null(await Store.Payments.GetPaymentAsync(merchant, true, payment.Id, Ct));
        Assert.Null(await Store.Payments.GetPaymentAsync(merchant, false, Ids.New(Ids.Payment), Ct));
        Assert.NotNull(await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct));
    }

    [StoreFact]
    public async Task GetPaymentById_ignores_merchant_and_livemode_scope()
    {
        var merchant = NewMerchantId();
        var live = Payment(merchant, livemode: true);
        await CommitAsync(c => c.NewPayments.Add(live));

        var stored = await Store.Payments.GetPaymentByIdAsync(live.Id, Ct);

        Assert.NotNull(stored);
        AssertPaymentEqual(live, stored);
        Assert.Null(await Store.Payments.GetPaymentByIdAsync(Ids.New(Ids.Payment), Ct));
    }

    // ---------------------------------------------------------------- optimistic versions

    [StoreFact]
    public async Task Update_with_current_version_succeeds_and_bumps_version_in_memory_and_in_storage()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant);
        await CommitAsync(c => c.NewPayments.Add(payment));

        var read = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct);
        Assert.NotNull(read);
        Assert.Equal(payment.Version, read.Version);
        var before = read.Version;

        read.Status = PaymentStatus.Processing;
        read.ProviderReference = "ref-1";
        read.Updated = T0.AddMinutes(5);
        await CommitAsync(c => c.UpdatedPayments.Add(read));

        Assert.Equal(before + 1, read.Version);
        var after = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct);
        Assert.NotNull(after);
        Assert.Equal(before + 1, after.Version);
        Assert.Equal(PaymentStatus.Processing, after.Status);
        Assert.Equal("ref-1", after.ProviderReference);
        Assert.Equal(T0.AddMinutes(5), after.Updated);

        // The in-memory copy is current again: a second update from it succeeds too.
        read.Status = PaymentStatus.Succeeded;
        await CommitAsync(c => c.UpdatedPayments.Add(read));
        Assert.Equal(before + 2, read.Version);
        var again = await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct);
        Assert.NotNull(again);
        Assert.Equal(before + 2, again.Version);
        Assert.Equal(PaymentStatus.Succeeded, again.Status);
    }

    [StoreFact]
    public async Task Update_with_stale_version_throws_and_writes_nothing_from_that_change_set()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant);
        await CommitAsync(c => c.NewPayments.Add(payment));

        var first = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct);
        var stale = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct);
        Assert.NotNull(first);
        Assert.NotNull(stale);

        first.Status = PaymentStatus.Processing;
        await CommitAsync(c => c.UpdatedPayments.Add(first));

        stale.Status = PaymentStatus.Canceled;
        stale.CancellationReason = "abandoned";
        var staleVersion = stale.Version;
        var otherPayment = Payment(merchant, created: T0.AddSeconds(1));
        var evt = Event(merchant, payment.Id, EventTypes.PaymentCanceled);
        var refund = Refund(payment);
        var method = PaymentMethod(merchant);
        var newMerchant = Merchant();
        var apiKey = ApiKey(merchant);
        var changes = Changes(c =>
        {
            c.NewPayments.Add(otherPayment);
            c.UpdatedPayments.Add(stale);
            c.NewRefunds.Add(refund);
            c.NewPaymentMethods.Add(method);
            c.Events.Add(evt);
            c.NewMerchants.Add(newMerchant);
            c.NewApiKeys.Add(apiKey);
            c.Settings["stale-test"] = "written";
        });

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Payments.CommitAsync(changes, Ct));

        Assert.Equal(payment.Id, conflict.ObjectId);
        Assert.Equal(staleVersion, stale.Version);
        var stored = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(PaymentStatus.Processing, stored.Status);
        Assert.Null(stored.CancellationReason);
        Assert.Equal(first.Version, stored.Version);
        Assert.Null(await Store.Payments.GetPaymentByIdAsync(otherPayment.Id, Ct));
        Assert.Null(await Store.Events.GetEventAsync(merchant, false, evt.Id, Ct));
        Assert.Null(await Store.Payments.GetRefundAsync(merchant, false, refund.Id, Ct));
        Assert.Empty(await Store.Payments.ListRefundsAsync(merchant, false, payment.Id, new ListQuery(), Ct));
        Assert.Null(await Store.Payments.GetPaymentMethodAsync(merchant, false, method.Id, Ct));
        Assert.Null(await Store.Merchants.GetMerchantAsync(newMerchant.Id, Ct));
        Assert.Null(await Store.Merchants.FindApiKeyByHashAsync(apiKey.KeyHash, Ct));
        Assert.Null(await Store.Merchants.GetSettingAsync("stale-test", Ct));
    }

    [StoreFact]
    public async Task Refund_update_checks_version_and_bumps_it()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant);
        var refund = Refund(payment);
        await CommitAsync(c =>
        {
            c.NewPayments.Add(payment);
            c.NewRefunds.Add(refund);
        });

        var read = await Store.Payments.GetRefundAsync(merchant, false, refund.Id, Ct);
        var stale = await Store.Payments.GetRefundAsync(merchant, false, refund.Id, Ct);
        Assert.NotNull(read);
        Assert.NotNull(stale);
        var before = read.Version;

        read.Status = RefundStatus.Succeeded;
        read.ProviderReference = "sim_re_final";
        await CommitAsync(c => c.UpdatedRefunds.Add(read));
        Assert.Equal(before + 1, read.Version);

        stale.Status = RefundStatus.Failed;
        var evt = Event(merchant, refund.Id, EventTypes.RefundFailed);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => CommitAsync(c =>
        {
            c.UpdatedRefunds.Add(stale);
            c.Events.Add(evt);
        }));

        Assert.Equal(refund.Id, conflict.ObjectId);
        var stored = await Store.Payments.GetRefundAsync(merchant, false, refund.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(RefundStatus.Succeeded, stored.Status);
        Assert.Equal("sim_re_final", stored.ProviderReference);
        Assert.Equal(before + 1, stored.Version);
        Assert.Null(await Store.Events.GetEventAsync(merchant, false, evt.Id, Ct));
    }

    [StoreFact]
    public async Task Failed_change_set_with_duplicate_payment_id_leaves_nothing()
    {
        var merchant = NewMerchantId();
        var existing = Payment(merchant);
        await CommitAsync(c => c.NewPayments.Add(existing));

        var fresh = Payment(merchant, created: T0.AddSeconds(1));
        var duplicate = Payment(merchant, id: existing.Id);
        var evt = Event(merchant, fresh.Id);
        var refund = Refund(fresh);
        var setting = "atomic-" + Guid.NewGuid().ToString("N");
        var changes = Changes(c =>
        {
            c.NewPayments.Add(fresh);
            c.NewPayments.Add(duplicate);
            c.Events.Add(evt);
            c.NewRefunds.Add(refund);
            c.Settings[setting] = "x";
        });

        await Assert.ThrowsAnyAsync<Exception>(() => Store.Payments.CommitAsync(changes, Ct));

        Assert.Null(await Store.Payments.GetPaymentByIdAsync(fresh.Id, Ct));
        Assert.Null(await Store.Events.GetEventAsync(merchant, false, evt.Id, Ct));
        Assert.Null(await Store.Payments.GetRefundAsync(merchant, false, refund.Id, Ct));
        Assert.Null(await Store.Merchants.GetSettingAsync(setting, Ct));
        Assert.Equal([existing.Id], IdsOf(await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100 }, Ct)));
        var stillThere = await Store.Payments.GetPaymentByIdAsync(existing.Id, Ct);
        Assert.NotNull(stillThere);
        Assert.Equal(existing.Version, stillThere.Version);

        // The store is still usable after the failure.
        await CommitAsync(c => c.NewPayments.Add(fresh));
        Assert.NotNull(await Store.Payments.GetPaymentByIdAsync(fresh.Id, Ct));
    }

    [StoreFact]
    public async Task Successful_change_set_writes_everything_together()
    {
        var merchant = Merchant();
        var payment = Payment(merchant.Id);
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
            c.Settings["together"] = "yes";
        });

        Assert.NotNull(await Store.Merchants.GetMerchantAsync(merchant.Id, Ct));
        Assert.NotNull(await Store.Merchants.FindApiKeyByHashAsync(key.KeyHash, Ct));
        Assert.NotNull(await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct));
        Assert.NotNull(await Store.Payments.GetRefundAsync(merchant.Id, false, refund.Id, Ct));
        Assert.NotNull(await Store.Payments.GetPaymentMethodAsync(merchant.Id, false, method.Id, Ct));
        Assert.NotNull(await Store.Events.GetEventAsync(merchant.Id, false, evt.Id, Ct));
        Assert.Equal("yes", await Store.Merchants.GetSettingAsync("together", Ct));
    }

    [StoreFact]
    public async Task Empty_change_set_is_a_no_op()
    {
        await Store.Payments.CommitAsync(new StoreChanges(), Ct);
        Assert.Empty(await Store.Merchants.ListMerchantsAsync(Ct));
    }

    // ---------------------------------------------------------------- concurrency

    [StoreFact]
    public async Task Concurrent_commits_with_some_failing_persist_exactly_the_good_ones()
    {
        var merchant = NewMerchantId();
        var staleTargets = Enumerable.Range(0, 5).Select(i => Payment(merchant, created: T0.AddMilliseconds(i))).ToList();
        var duplicateTargets = Enumerable.Range(0, 5).Select(i => Payment(merchant, created: T0.AddMilliseconds(10 + i))).ToList();
        var updateTargets = Enumerable.Range(0, 5).Select(i => Payment(merchant, created: T0.AddMilliseconds(20 + i))).ToList();
        await CommitAsync(c => c.NewPayments.AddRange([.. staleTargets, .. duplicateTargets, .. updateTargets]));

        var units = new List<(string Kind, StoreChanges Changes, Payment Subject, GatewayEvent Event, Refund? Refund, Payment? Extra)>();
        int stale = 0, dup = 0, upd = 0;
        for (var i = 0; i < 50; i++)
        {
            var at = T0.AddSeconds(1 + i);
            switch (i % 10)
            {
                case 3:
                    {
                        var target = Copy(staleTargets[stale++]);
                        target.Version += 7;
                        target.Status = PaymentStatus.Canceled;
                        var extra = Payment(merchant, created: at);
                        var evt = Event(merchant, target.Id, EventTypes.PaymentCanceled, created: at);
                        var refund = Refund(target, created: at);
                        units.Add(("stale", Changes(c =>
                        {
                            c.NewPayments.Add(extra);
                            c.UpdatedPayments.Add(target);
                            c.Events.Add(evt);
                            c.NewRefunds.Add(refund);
                        }), target, evt, refund, extra));
                        break;
                    }

                case 7:
                    {
                        var original = duplicateTargets[dup++];
                        var duplicate = Payment(merchant, id: original.Id);
                        var fresh = Payment(merchant, created: at);
                        var evt = Event(merchant, fresh.Id, created: at);
                        units.Add(("duplicate", Changes(c =>
                        {
                            c.NewPayments.Add(fresh);
                            c.NewPayments.Add(duplicate);
                            c.Events.Add(evt);
                        }), original, evt, null, fresh));
                        break;
                    }

                case 5:
                    {
                        var target = Copy(updateTargets[upd++]);
                        target.Status = PaymentStatus.Processing;
                        target.Updated = at;
                        var evt = Event(merchant, target.Id, EventTypes.PaymentProcessing, created: at);
                        units.Add(("update", Changes(c =>
                        {
                            c.UpdatedPayments.Add(target);
                            c.Events.Add(evt);
                        }), target, evt, null, null));
                        break;
                    }

                default:
                    {
                        var fresh = Payment(merchant, created: at);
                        var evt = Event(merchant, fresh.Id, created: at);
                        var refund = Refund(fresh, created: at);
                        units.Add(("insert", Changes(c =>
                        {
                            c.NewPayments.Add(fresh);
                            c.Events.Add(evt);
                            c.NewRefunds.Add(refund);
                        }), fresh, evt, refund, null));
                        break;
                    }
            }
        }

        // Start every commit before awaiting any, so the engine sees them concurrently.
        var outcomes = await Task.WhenAll(units.Select(u => Outcome(Store.Payments.CommitAsync(u.Changes, Ct))).ToList());

        for (var i = 0; i < units.Count; i++)
        {
            var (kind, _, subject, evt, refund, extra) = units[i];
            var error = outcomes[i];
            switch (kind)
            {
                case "insert":
                    Assert.Null(error);
                    Assert.NotNull(await Store.Payments.GetPaymentByIdAsync(subject.Id, Ct));
                    Assert.NotNull(await Store.Events.GetEventAsync(merchant, false, evt.Id, Ct));
                    Assert.NotNull(await Store.Payments.GetRefundAsync(merchant, false, refund!.Id, Ct));
                    break;
                case "update":
                    {
                        Assert.Null(error);
                        var stored = await Store.Payments.GetPaymentByIdAsync(subject.Id, Ct);
                        Assert.NotNull(stored);
                        Assert.Equal(PaymentStatus.Processing, stored.Status);
                        Assert.Equal(1, stored.Version);
                        Assert.NotNull(await Store.Events.GetEventAsync(merchant, false, evt.Id, Ct));
                        break;
                    }

                case "stale":
                    {
                        var conflict = Assert.IsType<ConcurrencyConflictException>(error);
                        Assert.Equal(subject.Id, conflict.ObjectId);
                        var stored = await Store.Payments.GetPaymentByIdAsync(subject.Id, Ct);
                        Assert.NotNull(stored);
                        Assert.Equal(PaymentStatus.RequiresConfirmation, stored.Status);
                        Assert.Equal(0, stored.Version);
                        Assert.Null(await Store.Payments.GetPaymentByIdAsync(extra!.Id, Ct));
                        Assert.Null(await Store.Events.GetEventAsync(merchant, false, evt.Id, Ct));
                        Assert.Null(await Store.Payments.GetRefundAsync(merchant, false, refund!.Id, Ct));
                        break;
                    }

                case "duplicate":
                    {
                        Assert.NotNull(error);
                        Assert.Null(await Store.Payments.GetPaymentByIdAsync(extra!.Id, Ct));
                        Assert.Null(await Store.Events.GetEventAsync(merchant, false, evt.Id, Ct));
                        var stored = await Store.Payments.GetPaymentByIdAsync(subject.Id, Ct);
                        Assert.NotNull(stored);
                        Assert.Equal(subject.Created, stored.Created);
                        break;
                    }
            }
        }

        var inserts = units.Count(u => u.Kind == "insert");
        var payments = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100 }, Ct);
        Assert.Equal(15 + inserts, payments.Count);
        var events = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 100 }, Ct);
        Assert.Equal(inserts + units.Count(u => u.Kind == "update"), events.Count);
        var refunds = await Store.Payments.ListRefundsAsync(merchant, false, null, new ListQuery { Limit = 100 }, Ct);
        Assert.Equal(inserts, refunds.Count);
    }

    [StoreFact]
    public async Task Concurrent_optimistic_updates_of_one_payment_let_exactly_one_win()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant);
        await CommitAsync(c => c.NewPayments.Add(payment));

        var copies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct)));
        var contenders = copies.Select((copy, i) =>
        {
            Assert.NotNull(copy);
            copy.Status = PaymentStatus.Processing;
            copy.ProviderReference = $"winner-{i}";
            return copy;
        }).ToList();

        var outcomes = await Task.WhenAll(contenders.Select(p => Task.Run(() => Outcome(Store.Payments.CommitAsync(Changes(c => c.UpdatedPayments.Add(p)), Ct)))));

        var winners = Enumerable.Range(0, outcomes.Length).Where(i => outcomes[i] is null).ToList();
        var winner = Assert.Single(winners);
        foreach (var error in outcomes.Where(e => e is not null))
        {
            var conflict = Assert.IsType<ConcurrencyConflictException>(error);
            Assert.Equal(payment.Id, conflict.ObjectId);
        }

        Assert.Equal(1, contenders[winner].Version);
        Assert.All(contenders.Where((_, i) => i != winner), p => Assert.Equal(0, p.Version));
        var stored = await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal($"winner-{winner}", stored.ProviderReference);
    }

    // ---------------------------------------------------------------- helpers

    protected static void AssertPaymentEqual(Payment expected, Payment actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.MerchantId, actual.MerchantId);
        Assert.Equal(expected.Livemode, actual.Livemode);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Amount, actual.Amount);
        Assert.Equal(expected.Currency, actual.Currency);
        Assert.Equal(expected.CaptureMethod, actual.CaptureMethod);
        Assert.Equal(expected.AmountCapturable, actual.AmountCapturable);
        Assert.Equal(expected.AmountReceived, actual.AmountReceived);
        Assert.Equal(expected.AmountRefunded, actual.AmountRefunded);
        Assert.Equal(expected.PaymentMethodId, actual.PaymentMethodId);
        Assert.Equal(expected.Customer, actual.Customer);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(expected.ReturnUrl, actual.ReturnUrl);
        Assert.Equal(expected.Provider, actual.Provider);
        Assert.Equal(expected.ProviderReference, actual.ProviderReference);
        Assert.Equal(expected.NextAction, actual.NextAction);
        Assert.Equal(expected.NextAction?.RedirectToUrl, actual.NextAction?.RedirectToUrl);
        Assert.Equal(expected.LastPaymentError, actual.LastPaymentError);
        Assert.Equal(expected.Attempts.Count, actual.Attempts.Count);
        for (var i = 0; i < expected.Attempts.Count; i++)
        {
            var e = expected.Attempts[i];
            var a = actual.Attempts[i];
            Assert.Equal(e.Id, a.Id);
            Assert.Equal(e.Provider, a.Provider);
            Assert.Equal(e.IdempotencyKey, a.IdempotencyKey);
            Assert.Equal(e.PaymentMethodId, a.PaymentMethodId);
            Assert.Equal(e.Status, a.Status);
            Assert.Equal(e.ProviderReference, a.ProviderReference);
            Assert.Equal(e.DeclineCode, a.DeclineCode);
            Assert.Equal(e.Created, a.Created);
            Assert.Equal(e.Updated, a.Updated);
        }

        Assert.Equal(expected.Created, actual.Created);
        Assert.Equal(expected.Updated, actual.Updated);
        Assert.Equal(expected.CanceledAt, actual.CanceledAt);
        Assert.Equal(expected.CancellationReason, actual.CancellationReason);
        Assert.Equal(expected.Version, actual.Version);
    }

    protected static void AssertRefundEqual(Refund expected, Refund actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.MerchantId, actual.MerchantId);
        Assert.Equal(expected.Livemode, actual.Livemode);
        Assert.Equal(expected.PaymentId, actual.PaymentId);
        Assert.Equal(expected.Amount, actual.Amount);
        Assert.Equal(expected.Currency, actual.Currency);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Provider, actual.Provider);
        Assert.Equal(expected.ProviderReference, actual.ProviderReference);
        Assert.Equal(expected.FailureReason, actual.FailureReason);
        Assert.Equal(expected.IdempotencyKey, actual.IdempotencyKey);
        Assert.Equal(expected.Created, actual.Created);
        Assert.Equal(expected.Updated, actual.Updated);
        Assert.Equal(expected.Version, actual.Version);
    }

    protected static void AssertEventEqual(GatewayEvent expected, GatewayEvent actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.MerchantId, actual.MerchantId);
        Assert.Equal(expected.Livemode, actual.Livemode);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.ObjectId, actual.ObjectId);
        Assert.Equal(expected.Created, actual.Created);
        Assert.Equal(expected.DataJson, actual.DataJson);
    }
}
