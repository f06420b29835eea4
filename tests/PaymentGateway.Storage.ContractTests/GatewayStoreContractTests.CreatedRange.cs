using PaymentGateway.Core;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// A created range is also an id range (<see cref="CreatedIdRange"/>): on both engines the list returns exactly the rows
/// whose <c>created_at</c> is in [gte, lt) — the lower edge included, the upper excluded — also for rows whose id was
/// minted away from their <c>created_at</c> within the documented bounds (a retried request's id up to 24 h older, an
/// event's id a little newer), and with many rows outside the range on both sides.
/// </summary>
public abstract partial class GatewayStoreContractTests
{
    private static readonly DateTimeOffset RangeFrom = T0.AddDays(10);
    private static readonly DateTimeOffset RangeTo = T0.AddDays(11);

    /// <summary>(created, id time) pairs: inside, on the edges, just outside, and ids minted away from their created time.</summary>
    private static readonly (DateTimeOffset Created, DateTimeOffset IdTime, bool In)[] RangeCases =
    [
        (RangeFrom, RangeFrom, true),                                                         // the lower edge: included
        (RangeFrom.AddMilliseconds(-1), RangeFrom.AddMilliseconds(-1), false),               // 1 ms before: excluded
        (RangeTo.AddMilliseconds(-1), RangeTo.AddMilliseconds(-1), true),                   // 1 ms before the upper edge: included
        (RangeTo, RangeTo, false),                                                            // the upper edge: excluded
        (RangeFrom.AddHours(3), RangeFrom.AddHours(3).AddHours(-24), true),                  // a retry: id 24 h older, created inside
        (RangeFrom.AddMilliseconds(5), RangeFrom.AddHours(-24).AddMilliseconds(5), true),   // a retry just inside the lower edge
        (RangeTo.AddHours(2), RangeTo.AddHours(2).AddHours(-24), false),                     // a retry: id inside the range, created after it
        (RangeFrom.AddMilliseconds(-3), RangeFrom.AddMilliseconds(20), false),              // id inside, created just before
        (RangeTo.AddMilliseconds(-2), RangeTo.AddSeconds(30), true),                         // id minted 30 s after its created time
        (RangeFrom.AddHours(12), RangeFrom.AddHours(12), true),
    ];

    [StoreFact]
    public async Task Payment_list_created_range_is_exact_with_ids_minted_around_created_and_pages_through_it()
    {
        var merchant = NewMerchantId();
        var cases = RangeCases.Select(c => Payment(merchant, created: c.Created, status: PaymentStatus.Succeeded, id: Ids.New(Ids.Payment, c.IdTime))).ToList();
        // Every 20 minutes from two days before to two days after the range: 72 of them inside, 216 outside.
        var grid = Enumerable.Range(0, 5 * 72).Select(i => RangeFrom.AddDays(-2).AddMinutes(20 * i) + TimeSpan.FromMilliseconds(7))
            .Select(at => Payment(merchant, created: at, status: PaymentStatus.Succeeded)).ToList();
        var otherMerchant = Payment(NewMerchantId(), created: RangeFrom.AddHours(1));
        await CommitAsync(c => c.NewPayments.AddRange([.. cases, .. grid, otherMerchant]));

        var expected = cases.Where((_, i) => RangeCases[i].In).Concat(grid.Where(p => p.Created >= RangeFrom && p.Created < RangeTo))
            .OrderByDescending(p => p.Id, StringComparer.Ordinal).Select(p => p.Id).ToList();
        Assert.Equal(6 + 72, expected.Count);

        var all = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 1000, CreatedGte = RangeFrom, CreatedLt = RangeTo }, Ct);
        Assert.Equal(expected, IdsOf(all));

        // Paged 7 at a time, newest first, then back up with ending_before: the same rows, none twice.
        var paged = new List<string>();
        string? after = null;
        do
        {
            var page = await Store.Payments.ListPaymentsAsync(merchant, false,
                new PaymentListQuery { Limit = 7, CreatedGte = RangeFrom, CreatedLt = RangeTo, StartingAfter = after }, Ct);
            paged.AddRange(IdsOf(page));
            after = page.Count == 7 ? page[^1].Id : null;
        }
        while (after is not null);
        Assert.Equal(expected, paged);
        var before = await Store.Payments.ListPaymentsAsync(merchant, false,
            new PaymentListQuery { Limit = 3, CreatedGte = RangeFrom, CreatedLt = RangeTo, EndingBefore = expected[^1] }, Ct);
        Assert.Equal(expected[^4..^1], IdsOf(before));

        // One bound at a time.
        Assert.Equal(cases.Concat(grid).Where(p => p.Created >= RangeFrom).OrderByDescending(p => p.Id, StringComparer.Ordinal).Select(p => p.Id),
            IdsOf(await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 1000, CreatedGte = RangeFrom }, Ct)));
        Assert.Equal(cases.Concat(grid).Where(p => p.Created < RangeTo).OrderByDescending(p => p.Id, StringComparer.Ordinal).Select(p => p.Id),
            IdsOf(await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Limit = 1000, CreatedLt = RangeTo }, Ct)));

        // With another filter of the page (status), and a range with nothing in it.
        Assert.Empty(await Store.Payments.ListPaymentsAsync(merchant, false,
            new PaymentListQuery { Limit = 1000, CreatedGte = RangeFrom, CreatedLt = RangeTo, Status = PaymentStatus.Failed }, Ct));
        Assert.Empty(await Store.Payments.ListPaymentsAsync(merchant, false,
            new PaymentListQuery { Limit = 1000, CreatedGte = RangeTo.AddDays(5), CreatedLt = RangeTo.AddDays(6) }, Ct));
    }

    [StoreFact]
    public async Task Refund_and_event_lists_created_range_is_exact_with_ids_minted_around_created()
    {
        var merchant = NewMerchantId();
        var payment = Payment(merchant, created: RangeFrom.AddDays(-3));
        var refunds = RangeCases.Select(c => Refund(payment, created: c.Created, status: RefundStatus.Succeeded, id: Ids.New(Ids.Refund, c.IdTime))).ToList();
        var events = RangeCases.Select(c => Event(merchant, payment.Id, created: c.Created, id: Ids.New(Ids.Event, c.IdTime))).ToList();
        var gridTimes = Enumerable.Range(0, 5 * 24).Select(i => RangeFrom.AddDays(-2).AddHours(i).AddMilliseconds(3)).ToList();
        var gridRefunds = gridTimes.Select(at => Refund(payment, created: at, status: RefundStatus.Succeeded)).ToList();
        var gridEvents = gridTimes.Select(at => Event(merchant, payment.Id, created: at)).ToList();
        await CommitAsync(c =>
        {
            c.NewPayments.Add(payment);
            c.NewRefunds.AddRange([.. refunds, .. gridRefunds]);
            c.Events.AddRange([.. events, .. gridEvents]);
        });

        var expectedRefunds = refunds.Where((_, i) => RangeCases[i].In).Concat(gridRefunds.Where(r => r.Created >= RangeFrom && r.Created < RangeTo))
            .OrderByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();
        var expectedEvents = events.Where((_, i) => RangeCases[i].In).Concat(gridEvents.Where(e => e.Created >= RangeFrom && e.Created < RangeTo))
            .OrderByDescending(e => e.Id, StringComparer.Ordinal).Select(e => e.Id).ToList();
        Assert.Equal(6 + 24, expectedRefunds.Count);

        var listedRefunds = await Store.Payments.ListRefundsAsync(merchant, false, null, new RefundListQuery { Limit = 1000, CreatedGte = RangeFrom, CreatedLt = RangeTo }, Ct);
        Assert.Equal(expectedRefunds, IdsOf(listedRefunds));
        var listedEvents = await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { Limit = 1000, CreatedGte = RangeFrom, CreatedLt = RangeTo }, Ct);
        Assert.Equal(expectedEvents, IdsOf(listedEvents));
        var createdEvents = await Store.Events.ListEventsAsync(merchant, false,
            new EventListQuery { Limit = 1000, CreatedGte = RangeFrom, CreatedLt = RangeTo, Type = EventTypes.PaymentCreated }, Ct);
        Assert.Equal(expectedEvents, IdsOf(createdEvents));
    }
}
