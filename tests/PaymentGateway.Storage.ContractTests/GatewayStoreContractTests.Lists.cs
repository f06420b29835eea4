using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    /// <summary>
    /// Five test-mode payments for one merchant, created a minute apart (index 0 oldest), with statuses
    /// [requires_confirmation, succeeded, requires_confirmation, succeeded, failed]; plus noise in livemode and for another merchant.
    /// </summary>
    private async Task<(string Merchant, Payment[] Payments)> SeedPaymentListAsync()
    {
        var merchant = NewMerchantId();
        PaymentStatus[] statuses =
            [PaymentStatus.RequiresConfirmation, PaymentStatus.Succeeded, PaymentStatus.RequiresConfirmation, PaymentStatus.Succeeded, PaymentStatus.Failed];
        var payments = statuses.Select((s, i) => Payment(merchant, created: T0.AddMinutes(i), status: s)).ToArray();
        var live = Enumerable.Range(0, 2).Select(i => Payment(merchant, livemode: true, created: T0.AddMinutes(i).AddSeconds(30), status: PaymentStatus.Succeeded));
        var other = Enumerable.Range(0, 2).Select(i => Payment(NewMerchantId(), created: T0.AddMinutes(i).AddSeconds(20), status: PaymentStatus.Succeeded));

        // Inserted in shuffled order and in several commits: order must come from the ids, not insertion order.
        await CommitAsync(c => c.NewPayments.AddRange([payments[3], payments[0], .. live]));
        await CommitAsync(c => c.NewPayments.AddRange([payments[4], .. other, payments[1]]));
        await CommitAsync(c => c.NewPayments.Add(payments[2]));
        return (merchant, payments);
    }

    [StoreFact]
    public async Task Payment_list_is_newest_first_scoped_and_limited()
    {
        var (merchant, p) = await SeedPaymentListAsync();

        var all = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100 }, Ct);
        Assert.Equal([p[4].Id, p[3].Id, p[2].Id, p[1].Id, p[0].Id], IdsOf(all));
        AssertPaymentEqual(p[4], all[0]);

        var two = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 2 }, Ct);
        Assert.Equal([p[4].Id, p[3].Id], IdsOf(two));

        var live = await Store.Payments.ListPaymentsAsync(merchant, true, new PaymentListQuery { Limit = 100 }, Ct);
        Assert.Equal(2, live.Count);
        Assert.All(live, x => Assert.True(x.Livemode));
        Assert.All(live, x => Assert.Equal(merchant, x.MerchantId));

        Assert.Empty(await Store.Payments.ListPaymentsAsync(NewMerchantId(), false, new PaymentListQuery { Limit = 100 }, Ct));
    }

    [StoreFact]
    public async Task Payment_list_default_limit_is_ten()
    {
        var merchant = NewMerchantId();
        var payments = Enumerable.Range(0, 12).Select(i => Payment(merchant, created: T0.AddSeconds(i))).ToArray();
        await CommitAsync(c => c.NewPayments.AddRange(payments));

        var page = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery(), Ct);

        Assert.Equal(Enumerable.Reverse(payments).Take(10).Select(x => x.Id), IdsOf(page));
    }

    [StoreFact]
    public async Task Payment_list_starting_after_pages_towards_older()
    {
        var (merchant, p) = await SeedPaymentListAsync();

        var page1 = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 2 }, Ct);
        var page2 = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 2, StartingAfter = page1[^1].Id }, Ct);
        var page3 = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 2, StartingAfter = page2[^1].Id }, Ct);
        var page4 = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 2, StartingAfter = page3[^1].Id }, Ct);

        Assert.Equal([p[4].Id, p[3].Id], IdsOf(page1));
        Assert.Equal([p[2].Id, p[1].Id], IdsOf(page2));
        Assert.Equal([p[0].Id], IdsOf(page3));
        Assert.Empty(page4);
    }

    [StoreFact]
    public async Task Payment_list_ending_before_returns_the_page_just_newer_than_the_cursor_newest_first()
    {
        var (merchant, p) = await SeedPaymentListAsync();

        var justBefore = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 2, EndingBefore = p[0].Id }, Ct);
        Assert.Equal([p[2].Id, p[1].Id], IdsOf(justBefore));

        var previous = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 2, EndingBefore = justBefore[0].Id }, Ct);
        Assert.Equal([p[4].Id, p[3].Id], IdsOf(previous));

        var allNewer = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 10, EndingBefore = p[2].Id }, Ct);
        Assert.Equal([p[4].Id, p[3].Id], IdsOf(allNewer));

        Assert.Empty(await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 10, EndingBefore = p[4].Id }, Ct));
    }

    [StoreFact]
    public async Task Payment_list_filters_by_status()
    {
        var (merchant, p) = await SeedPaymentListAsync();

        var succeeded = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100, Status = PaymentStatus.Succeeded }, Ct);
        Assert.Equal([p[3].Id, p[1].Id], IdsOf(succeeded));

        var pending = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100, Status = PaymentStatus.RequiresConfirmation }, Ct);
        Assert.Equal([p[2].Id, p[0].Id], IdsOf(pending));

        Assert.Empty(await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100, Status = PaymentStatus.Canceled }, Ct));

        var pagedStatus = await Store.Payments.ListPaymentsAsync(merchant, false,
            new PaymentListQuery { Limit = 1, Status = PaymentStatus.Succeeded, StartingAfter = p[3].Id }, Ct);
        Assert.Equal([p[1].Id], IdsOf(pagedStatus));
    }

    [StoreFact]
    public async Task Payment_list_status_filter_follows_updates()
    {
        var (merchant, p) = await SeedPaymentListAsync();
        var read = await Store.Payments.GetPaymentAsync(merchant, false, p[0].Id, Ct);
        Assert.NotNull(read);
        read.Status = PaymentStatus.Canceled;
        await CommitAsync(c => c.UpdatedPayments.Add(read));

        var canceled = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100, Status = PaymentStatus.Canceled }, Ct);
        var pending = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100, Status = PaymentStatus.RequiresConfirmation }, Ct);

        Assert.Equal([p[0].Id], IdsOf(canceled));
        Assert.Equal([p[2].Id], IdsOf(pending));
    }

    [StoreFact]
    public async Task Payment_list_filters_by_created_range_gte_inclusive_lt_exclusive()
    {
        var (merchant, p) = await SeedPaymentListAsync();

        var range = await Store.Payments.ListPaymentsAsync(merchant, false,
            new PaymentListQuery { Limit = 100, CreatedGte = p[1].Created, CreatedLt = p[3].Created }, Ct);
        Assert.Equal([p[2].Id, p[1].Id], IdsOf(range));

        var gteOnly = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100, CreatedGte = p[3].Created }, Ct);
        Assert.Equal([p[4].Id, p[3].Id], IdsOf(gteOnly));

        var ltOnly = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100, CreatedLt = p[1].Created }, Ct);
        Assert.Equal([p[0].Id], IdsOf(ltOnly));

        var combined = await Store.Payments.ListPaymentsAsync(merchant, false,
            new PaymentListQuery { Limit = 100, CreatedGte = p[1].Created, StartingAfter = p[3].Id }, Ct);
        Assert.Equal([p[2].Id, p[1].Id], IdsOf(combined));

        Assert.Empty(await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 100, CreatedGte = p[4].Created.AddMilliseconds(1) }, Ct));
    }

    [StoreFact]
    public async Task Refunds_read_back_scoped_and_list_by_payment_newest_first()
    {
        var merchant = NewMerchantId();
        var x = Payment(merchant, created: T0);
        var y = Payment(merchant, created: T0.AddSeconds(1));
        var xRefunds = Enumerable.Range(0, 3).Select(i => Refund(x, created: T0.AddMinutes(1 + (2 * i)), status: RefundStatus.Succeeded)).ToArray();
        var yRefunds = Enumerable.Range(0, 2).Select(i => Refund(y, created: T0.AddMinutes(2 + (2 * i)), status: RefundStatus.Failed)).ToArray();
        var otherMerchantPayment = Payment(NewMerchantId());
        var otherRefund = Refund(otherMerchantPayment, created: T0.AddMinutes(3).AddSeconds(1));
        var livePayment = Payment(merchant, livemode: true);
        var liveRefund = Refund(livePayment, created: T0.AddMinutes(3).AddSeconds(2));
        await CommitAsync(c =>
        {
            c.NewPayments.AddRange([x, y, otherMerchantPayment, livePayment]);
            c.NewRefunds.AddRange([yRefunds[1], xRefunds[0], otherRefund, xRefunds[2], liveRefund, yRefunds[0], xRefunds[1]]);
        });

        var stored = await Store.Payments.GetRefundAsync(merchant, false, yRefunds[0].Id, Ct);
        Assert.NotNull(stored);
        AssertRefundEqual(yRefunds[0], stored);
        Assert.Null(await Store.Payments.GetRefundAsync(NewMerchantId(), false, yRefunds[0].Id, Ct));
        Assert.Null(await Store.Payments.GetRefundAsync(merchant, true, yRefunds[0].Id, Ct));

        var forX = await Store.Payments.ListRefundsAsync(merchant, false, x.Id, new ListQuery { Limit = 100 }, Ct);
        Assert.Equal([xRefunds[2].Id, xRefunds[1].Id, xRefunds[0].Id], IdsOf(forX));

        var forY = await Store.Payments.ListRefundsAsync(merchant, false, y.Id, new ListQuery { Limit = 100 }, Ct);
        Assert.Equal([yRefunds[1].Id, yRefunds[0].Id], IdsOf(forY));

        var everything = await Store.Payments.ListRefundsAsync(merchant, false, null, new ListQuery { Limit = 100 }, Ct);
        Assert.Equal([xRefunds[2].Id, yRefunds[1].Id, xRefunds[1].Id, yRefunds[0].Id, xRefunds[0].Id], IdsOf(everything));

        var page = await Store.Payments.ListRefundsAsync(merchant, false, null, new ListQuery { Limit = 2, StartingAfter = xRefunds[2].Id }, Ct);
        Assert.Equal([yRefunds[1].Id, xRefunds[1].Id], IdsOf(page));

        var back = await Store.Payments.ListRefundsAsync(merchant, false, x.Id, new ListQuery { Limit = 1, EndingBefore = xRefunds[0].Id }, Ct);
        Assert.Equal([xRefunds[1].Id], IdsOf(back));

        Assert.Empty(await Store.Payments.ListRefundsAsync(merchant, false, otherMerchantPayment.Id, new ListQuery { Limit = 100 }, Ct));
        Assert.Equal([liveRefund.Id], IdsOf(await Store.Payments.ListRefundsAsync(merchant, true, null, new ListQuery { Limit = 100 }, Ct)));
    }

    [StoreFact]
    public async Task Events_read_back_and_list_by_type_and_object_newest_first()
    {
        var merchant = NewMerchantId();
        var a = NewObjectId();
        var b = NewObjectId();
        GatewayEvent[] e =
        [
            Event(merchant, a, EventTypes.PaymentCreated, created: T0),
            Event(merchant, b, EventTypes.PaymentCreated, created: T0.AddSeconds(1)),
            Event(merchant, a, EventTypes.PaymentProcessing, created: T0.AddSeconds(2)),
            Event(merchant, a, EventTypes.PaymentSucceeded, created: T0.AddSeconds(3)),
            Event(merchant, b, EventTypes.PaymentFailed, created: T0.AddSeconds(4)),
            Event(merchant, a, EventTypes.RefundCreated, created: T0.AddSeconds(5)),
        ];
        var live = Event(merchant, a, EventTypes.PaymentCreated, livemode: true, created: T0.AddSeconds(6));
        var otherMerchant = Event(NewMerchantId(), a, EventTypes.PaymentCreated, created: T0.AddSeconds(7));
        await CommitAsync(c => c.Events.AddRange([e[3], live, e[0], e[5], otherMerchant, e[1], e[4], e[2]]));

        var stored = await Store.Events.GetEventAsync(merchant, false, e[2].Id, Ct);
        Assert.NotNull(stored);
        AssertEventEqual(e[2], stored);
        Assert.Null(await Store.Events.GetEventAsync(merchant, true, e[2].Id, Ct));
        Assert.Null(await Store.Events.GetEventAsync(NewMerchantId(), false, e[2].Id, Ct));

        var all = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 100 }, Ct);
        Assert.Equal(Enumerable.Reverse(e).Select(x => x.Id), IdsOf(all));

        var created = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 100, Type = EventTypes.PaymentCreated }, Ct);
        Assert.Equal([e[1].Id, e[0].Id], IdsOf(created));

        var ofA = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 100, ObjectId = a }, Ct);
        Assert.Equal([e[5].Id, e[3].Id, e[2].Id, e[0].Id], IdsOf(ofA));

        var createdOfB = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 100, ObjectId = b, Type = EventTypes.PaymentCreated }, Ct);
        Assert.Equal([e[1].Id], IdsOf(createdOfB));

        var pageOfA = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 2, ObjectId = a, StartingAfter = e[5].Id }, Ct);
        Assert.Equal([e[3].Id, e[2].Id], IdsOf(pageOfA));

        var beforeOfA = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 2, ObjectId = a, EndingBefore = e[0].Id }, Ct);
        Assert.Equal([e[3].Id, e[2].Id], IdsOf(beforeOfA));

        var window = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 100, CreatedGte = e[1].Created, CreatedLt = e[4].Created }, Ct);
        Assert.Equal([e[3].Id, e[2].Id, e[1].Id], IdsOf(window));

        Assert.Equal([live.Id], IdsOf(await Store.Events.ListEventsAsync(merchant, true, new EventListQuery { Limit = 100 }, Ct)));

        static string NewObjectId() => Core.Ids.New(Core.Ids.Payment, T0);
    }

    // ---------------------------------------------------------------- stale work

    [StoreFact]
    public async Task Stale_processing_payments_are_those_updated_before_the_cutoff_oldest_first_up_to_limit()
    {
        var cutoff = T0.AddHours(1);
        var m1 = NewMerchantId();
        var m2 = NewMerchantId();
        var stale3 = Payment(m1, created: T0, status: PaymentStatus.Processing, updated: cutoff.AddMinutes(-3));
        var stale10 = Payment(m2, livemode: true, created: T0.AddSeconds(1), status: PaymentStatus.Processing, updated: cutoff.AddMinutes(-10));
        var stale5 = Payment(m1, created: T0.AddSeconds(2), status: PaymentStatus.Processing, updated: cutoff.AddMinutes(-5));
        var atCutoff = Payment(m1, created: T0.AddSeconds(3), status: PaymentStatus.Processing, updated: cutoff);
        var fresh = Payment(m1, created: T0.AddSeconds(4), status: PaymentStatus.Processing, updated: cutoff.AddMinutes(1));
        var oldButDone = Payment(m1, created: T0.AddSeconds(5), status: PaymentStatus.Succeeded, updated: cutoff.AddMinutes(-30));
        var oldButWaiting = Payment(m1, created: T0.AddSeconds(6), status: PaymentStatus.RequiresAction, updated: cutoff.AddMinutes(-30));
        await CommitAsync(c => c.NewPayments.AddRange([stale3, fresh, stale10, oldButDone, atCutoff, stale5, oldButWaiting]));

        var all = await Store.Payments.ListStaleProcessingPaymentsAsync(cutoff, 100, Ct);
        Assert.Equal([stale10.Id, stale5.Id, stale3.Id], IdsOf(all));
        AssertPaymentEqual(stale10, all[0]);

        var limited = await Store.Payments.ListStaleProcessingPaymentsAsync(cutoff, 2, Ct);
        Assert.Equal([stale10.Id, stale5.Id], IdsOf(limited));

        // Touching a payment (an update with a newer Updated) takes it out of the stale set.
        var touched = await Store.Payments.GetPaymentByIdAsync(stale10.Id, Ct);
        Assert.NotNull(touched);
        touched.Updated = cutoff.AddSeconds(5);
        await CommitAsync(c => c.UpdatedPayments.Add(touched));
        Assert.Equal([stale5.Id, stale3.Id], IdsOf(await Store.Payments.ListStaleProcessingPaymentsAsync(cutoff, 100, Ct)));

        Assert.Empty(await Store.Payments.ListStaleProcessingPaymentsAsync(T0, 100, Ct));
    }

    [StoreFact]
    public async Task Stale_pending_refunds_are_those_updated_before_the_cutoff_oldest_first_up_to_limit()
    {
        var cutoff = T0.AddHours(1);
        var merchant = NewMerchantId();
        var payment = Payment(merchant);
        var stale3 = Refund(payment, created: T0.AddSeconds(1), status: RefundStatus.Pending, updated: cutoff.AddMinutes(-3));
        var stale10 = Refund(payment, created: T0.AddSeconds(2), status: RefundStatus.Pending, updated: cutoff.AddMinutes(-10));
        var stale5 = Refund(payment, created: T0.AddSeconds(3), status: RefundStatus.Pending, updated: cutoff.AddMinutes(-5));
        var atCutoff = Refund(payment, created: T0.AddSeconds(4), status: RefundStatus.Pending, updated: cutoff);
        var fresh = Refund(payment, created: T0.AddSeconds(5), status: RefundStatus.Pending, updated: cutoff.AddMinutes(1));
        var oldButDone = Refund(payment, created: T0.AddSeconds(6), status: RefundStatus.Succeeded, updated: cutoff.AddMinutes(-30));
        var oldButFailed = Refund(payment, created: T0.AddSeconds(7), status: RefundStatus.Failed, updated: cutoff.AddMinutes(-30));
        await CommitAsync(c =>
        {
            c.NewPayments.Add(payment);
            c.NewRefunds.AddRange([stale3, fresh, oldButFailed, stale10, oldButDone, atCutoff, stale5]);
        });

        var all = await Store.Payments.ListStalePendingRefundsAsync(cutoff, 100, Ct);
        Assert.Equal([stale10.Id, stale5.Id, stale3.Id], IdsOf(all));
        AssertRefundEqual(stale10, all[0]);

        var limited = await Store.Payments.ListStalePendingRefundsAsync(cutoff, 2, Ct);
        Assert.Equal([stale10.Id, stale5.Id], IdsOf(limited));

        var settled = await Store.Payments.GetRefundAsync(merchant, false, stale10.Id, Ct);
        Assert.NotNull(settled);
        settled.Status = RefundStatus.Succeeded;
        await CommitAsync(c => c.UpdatedRefunds.Add(settled));
        Assert.Equal([stale5.Id, stale3.Id], IdsOf(await Store.Payments.ListStalePendingRefundsAsync(cutoff, 100, Ct)));
    }
}
