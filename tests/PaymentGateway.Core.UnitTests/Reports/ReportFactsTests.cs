using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.UnitTests.Reports;

public sealed class ReportFactsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static Payment Card(string currency = "EUR", long amount = 1000, string? session = null, string? country = "nl")
    {
        var payment = new Payment
        {
            Id = Ids.New(Ids.Payment, T0),
            MerchantId = "mer_1",
            Livemode = false,
            Status = PaymentStatus.Processing,
            Amount = amount,
            Currency = currency,
            CaptureMethod = CaptureMethod.Automatic,
            PaymentMethodId = "pm_visa",
            Provider = "stripe",
            Created = T0,
            Updated = T0,
        };
        if (country is not null)
        {
            payment.Metadata["country"] = country;
        }

        if (session is not null)
        {
            payment.Metadata["checkout_session"] = session;
        }

        return payment;
    }

    private static PaymentAttempt Attempt(Payment p, string account, AttemptStatus status, int? latency)
    {
        var attempt = PaymentWriter.AddAttempt(p, "stripe", account, "pm_visa", T0);
        attempt.Status = status;
        attempt.LatencyMs = latency;
        return attempt;
    }

    private static GatewayEvent Event(Payment p, PaymentStatus status, DateTimeOffset at, string type)
    {
        p.Status = status;
        if (status == PaymentStatus.Succeeded)
        {
            p.AmountReceived = p.Amount;
        }

        return EventFactory.ForPayment(p, type, at);
    }

    private static ReportPaymentContext Context(params Payment[] payments) => new()
    {
        Payments = payments.ToDictionary(p => p.Id),
        CardBrands = new Dictionary<string, string> { ["pm_visa"] = "visa" },
    };

    private static ReportCounters Total(ReportDelta delta)
    {
        var total = new ReportCounters();
        foreach (var counters in delta.Rollups.Values)
        {
            total.Add(counters);
        }

        return total;
    }

    /// <summary>
    /// The rollup job reads the data of <see cref="ReportFacts.CountedTypes"/> only: an event type that
    /// <see cref="ReportFacts.Apply"/> counts but the list misses would silently never be counted.
    /// </summary>
    [Fact]
    public void Every_event_type_outside_the_counted_types_changes_nothing_and_every_counted_type_is_an_event_type()
    {
        var all = typeof(EventTypes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.All(ReportFacts.CountedTypes, t => Assert.Contains(t, all));

        foreach (var type in all.Except(ReportFacts.CountedTypes))
        {
            var p = Card();
            Attempt(p, "pa_up", AttemptStatus.Captured, 10);
            var delta = ReportFacts.Apply([Event(p, PaymentStatus.Succeeded, T0, type)], new Dictionary<string, ReportState>(), Context(p));
            Assert.True(delta.Rollups.Count == 0 && delta.Declines.Count == 0 && delta.States.Count == 0, $"{type} changed a rollup but is not in ReportFacts.CountedTypes");
        }
    }

    [Fact]
    public void Failover_counts_the_payment_once_with_the_latency_of_the_attempt_that_answered()
    {
        var p = Card();
        Attempt(p, "pa_down", AttemptStatus.Failed, 3);
        Attempt(p, "pa_up", AttemptStatus.Captured, 420);
        var e = Event(p, PaymentStatus.Succeeded, T0.AddSeconds(1), EventTypes.PaymentSucceeded);

        var delta = ReportFacts.Apply([e], new Dictionary<string, ReportState>(), Context(p));

        var (key, c) = Assert.Single(delta.Rollups);
        Assert.Equal("pa_up", key.Dimensions.ProviderAccount);
        Assert.Equal("visa", key.Dimensions.CardBrand);
        Assert.Equal("NL", key.Dimensions.Country);
        Assert.Equal(1, c[ReportMeasures.Attempted]);
        Assert.Equal(1, c[ReportMeasures.Authorized]);
        Assert.Equal(1000, c[ReportMeasures.AuthorizedAmount]);
        Assert.Equal(1, c[ReportMeasures.Captured]);
        Assert.Equal(1000, c[ReportMeasures.CapturedAmount]);
        Assert.Equal(1, c[ReportMeasures.LatencyCount]);
        Assert.Equal(420, c[ReportMeasures.LatencySumMs]);
        Assert.Equal(1, c[ReportMeasures.LatencyBucket0 + LatencyHistogram.BucketOf(420)]);
    }

    [Fact]
    public void Manual_capture_counts_the_authorization_when_it_happens_and_the_capture_in_its_own_bucket()
    {
        var p = Card();
        p.Attempts.Clear();
        Attempt(p, "pa_1", AttemptStatus.Authorized, 200);
        var authorized = Event(p, PaymentStatus.RequiresCapture, T0, EventTypes.PaymentAuthorized);
        var captured = Event(p, PaymentStatus.Succeeded, T0.AddHours(2), EventTypes.PaymentSucceeded);

        var delta = ReportFacts.Apply([authorized, captured], new Dictionary<string, ReportState>(), Context(p));

        Assert.Equal(2, delta.Rollups.Count);
        var first = delta.Rollups.Single(r => r.Key.BucketStartMs == ReportFacts.BucketOf(T0)).Value;
        var second = delta.Rollups.Single(r => r.Key.BucketStartMs == ReportFacts.BucketOf(T0.AddHours(2))).Value;
        Assert.Equal((1, 1, 0), (first[ReportMeasures.Attempted], first[ReportMeasures.Authorized], first[ReportMeasures.Captured]));
        Assert.Equal((0, 0, 1, 1000), (second[ReportMeasures.Attempted], second[ReportMeasures.Authorized], second[ReportMeasures.Captured], second[ReportMeasures.CapturedAmount]));
    }

    [Fact]
    public void A_challenge_then_an_authorization_counts_the_challenge_and_its_success_once()
    {
        var p = Card();
        Attempt(p, "pa_1", AttemptStatus.RequiresAction, 150);
        p.NextAction = new NextAction { Type = "redirect_to_url", RedirectToUrl = new RedirectToUrl { Url = "https://acs.example/1" } };
        var challenged = Event(p, PaymentStatus.RequiresAction, T0, EventTypes.PaymentRequiresAction);
        p.NextAction = null;
        var succeeded = Event(p, PaymentStatus.Succeeded, T0.AddMinutes(1), EventTypes.PaymentSucceeded);

        var page1 = ReportFacts.Apply([challenged], new Dictionary<string, ReportState>(), Context(p));
        var page2 = ReportFacts.Apply([succeeded], page1.States, Context(p));

        Assert.Equal(1, Total(page1)[ReportMeasures.ThreeDsChallenged]);
        Assert.Equal(0, Total(page1)[ReportMeasures.Attempted]);
        var after = Total(page2);
        Assert.Equal((0, 1, 1, 1), (after[ReportMeasures.ThreeDsChallenged], after[ReportMeasures.ThreeDsSucceeded], after[ReportMeasures.Attempted], after[ReportMeasures.Authorized]));
    }

    [Fact]
    public void A_decline_counts_attempted_declined_and_its_code_and_a_repeated_outcome_adds_nothing()
    {
        var p = Card();
        Attempt(p, "pa_1", AttemptStatus.Declined, 90);
        p.LastPaymentError = new PaymentError { Code = "card_declined", DeclineCode = "insufficient_funds", Message = "Declined." };
        var failed = Event(p, PaymentStatus.Failed, T0, EventTypes.PaymentFailed);

        var first = ReportFacts.Apply([failed], new Dictionary<string, ReportState>(), Context(p));
        var again = ReportFacts.Apply([EventFactory.ForPayment(p, EventTypes.PaymentFailed, T0.AddSeconds(5))], first.States, Context(p));

        var c = Total(first);
        Assert.Equal((1, 0, 1), (c[ReportMeasures.Attempted], c[ReportMeasures.Authorized], c[ReportMeasures.Declined]));
        Assert.Equal("insufficient_funds", Assert.Single(first.Declines).Key.Code);
        Assert.True(Total(again).IsZero);
        Assert.Empty(again.Declines);
    }

    [Fact]
    public void Checkout_session_retries_count_each_try_with_retries_and_the_purchase_once_without()
    {
        var declined = Card(session: "cs_retry");
        Attempt(declined, "pa_1", AttemptStatus.Declined, 80);
        declined.LastPaymentError = new PaymentError { Code = "card_declined", DeclineCode = "do_not_honor", Message = "Declined." };
        var approved = Card(session: "cs_retry");
        Attempt(approved, "pa_1", AttemptStatus.Captured, 95);
        var alone = Card();
        Attempt(alone, "pa_1", AttemptStatus.Captured, 100);
        var events = new[]
        {
            Event(declined, PaymentStatus.Failed, T0, EventTypes.PaymentFailed),
            Event(approved, PaymentStatus.Succeeded, T0.AddMinutes(1), EventTypes.PaymentSucceeded),
            Event(alone, PaymentStatus.Succeeded, T0.AddMinutes(2), EventTypes.PaymentSucceeded),
        };

        var c = Total(ReportFacts.Apply(events, new Dictionary<string, ReportState>(), Context(declined, approved, alone)));

        Assert.Equal((3, 2), (c[ReportMeasures.Attempted], c[ReportMeasures.Authorized]));
        Assert.Equal((2, 2), (c[ReportMeasures.AttemptedUnique], c[ReportMeasures.AuthorizedUnique]));
        Assert.Contains("cs_retry", ReportFacts.StateKeysOf(events));
    }

    [Fact]
    public void Partial_refunds_each_count_under_the_payments_dimensions_and_currencies_stay_apart()
    {
        var eur = Card("EUR", 1000);
        Attempt(eur, "pa_eu", AttemptStatus.Captured, 100);
        var usd = Card("USD", 5000, country: "us");
        Attempt(usd, "pa_us", AttemptStatus.Captured, 100);
        var succeeded = new[] { Event(eur, PaymentStatus.Succeeded, T0, EventTypes.PaymentSucceeded), Event(usd, PaymentStatus.Succeeded, T0, EventTypes.PaymentSucceeded) };
        var page1 = ReportFacts.Apply(succeeded, new Dictionary<string, ReportState>(), Context(eur, usd));
        var refund1 = new Refund { Id = Ids.New(Ids.Refund), MerchantId = "mer_1", Livemode = false, PaymentId = eur.Id, Amount = 300, Currency = "EUR", Status = RefundStatus.Succeeded, IdempotencyKey = "k1" };
        var refund2 = new Refund { Id = Ids.New(Ids.Refund), MerchantId = "mer_1", Livemode = false, PaymentId = eur.Id, Amount = 200, Currency = "EUR", Status = RefundStatus.Succeeded, IdempotencyKey = "k2" };
        var refunds = new[] { EventFactory.ForRefund(refund1, EventTypes.RefundSucceeded, T0.AddDays(1)), EventFactory.ForRefund(refund2, EventTypes.RefundSucceeded, T0.AddDays(1)) };

        var page2 = ReportFacts.Apply(refunds, page1.States, ReportPaymentContext.Empty);

        Assert.Equal(2, page1.Rollups.Count);
        Assert.Equal(["EUR", "USD"], page1.Rollups.Keys.Select(k => k.Dimensions.Currency).Order());
        var (key, c) = Assert.Single(page2.Rollups);
        Assert.Equal("pa_eu", key.Dimensions.ProviderAccount);
        Assert.Equal("visa", key.Dimensions.CardBrand);
        Assert.Equal((2, 500), (c[ReportMeasures.Refunds], c[ReportMeasures.RefundedAmount]));
    }

    [Fact]
    public void Dispute_created_counts_one_dispute_and_its_amount_under_the_payments_dimensions_and_updates_count_nothing()
    {
        var p = Card("EUR", 4000);
        Attempt(p, "pa_eu", AttemptStatus.Captured, 100);
        var page1 = ReportFacts.Apply([Event(p, PaymentStatus.Succeeded, T0, EventTypes.PaymentSucceeded)], new Dictionary<string, ReportState>(), Context(p));
        var dispute = new PaymentGateway.Core.Disputes.Dispute
        {
            Id = Ids.New(Ids.Dispute),
            MerchantId = "mer_1",
            Livemode = false,
            PaymentId = p.Id,
            Provider = "simulator",
            ProviderDisputeId = "sim_1",
            Amount = 2500,
            Currency = "EUR",
            Created = T0.AddDays(2),
            Updated = T0.AddDays(2),
        };
        var events = new[]
        {
            EventFactory.ForDispute(dispute, EventTypes.DisputeCreated, T0.AddDays(2)),
            EventFactory.ForDispute(dispute, EventTypes.DisputeFundsWithdrawn, T0.AddDays(2)),
            EventFactory.ForDispute(dispute, EventTypes.DisputeClosed, T0.AddDays(9)),
        };

        var page2 = ReportFacts.Apply(events, page1.States, ReportPaymentContext.Empty);

        Assert.Equal(0, Total(page1)[ReportMeasures.Disputes]);
        var (key, c) = Assert.Single(page2.Rollups);
        Assert.Equal(("pa_eu", "EUR", ReportFacts.BucketOf(T0.AddDays(2))), (key.Dimensions.ProviderAccount, key.Dimensions.Currency, key.BucketStartMs));
        Assert.Equal((1, 2500), (c[ReportMeasures.Disputes], c[ReportMeasures.DisputedAmount]));
        Assert.Equal(p.Id, ReportFacts.PaymentIdOf(events[0]));
    }

    [Theory]
    [InlineData("2026-03-10T12:14:59.999Z", "2026-03-10T12:00:00Z")]
    [InlineData("2026-03-10T12:15:00Z", "2026-03-10T12:15:00Z")]
    [InlineData("1969-12-31T23:59:00Z", "1969-12-31T23:45:00Z")]
    public void Buckets_are_quarter_hours_in_utc(string at, string bucket) =>
        Assert.Equal(DateTimeOffset.Parse(bucket, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
            ReportFacts.BucketOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("nl", "NL")]
    [InlineData(" de ", "DE")]
    [InlineData("NLD", "")]
    [InlineData("1a", "")]
    [InlineData(null, "")]
    public void Country_is_an_alpha2_code_or_nothing(string? input, string expected) => Assert.Equal(expected, ReportFacts.CountryOf(input));
}
