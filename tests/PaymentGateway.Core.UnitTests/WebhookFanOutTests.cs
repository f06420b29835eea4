using PaymentGateway.Core.Events;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.UnitTests;

/// <summary>Which endpoints receive an event (<see cref="WebhookFanOut"/>), the rule both storage engines write.</summary>
public sealed class WebhookFanOutTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static WebhookEndpoint Endpoint(string id = "we_1", string merchant = "mer_1", bool livemode = false, string[]? events = null,
        WebhookEndpointStatus status = WebhookEndpointStatus.Enabled, DateTimeOffset? created = null) => new()
        {
            Id = id,
            MerchantId = merchant,
            Livemode = livemode,
            Url = "https://merchant.example/hooks",
            EnabledEvents = [.. events ?? [WebhookEndpoint.AllEvents]],
            Status = status,
            Secrets = [],
            Created = created ?? T0.AddDays(-1),
            Updated = created ?? T0.AddDays(-1),
        };

    private static PendingWebhookEvent Pending(string id = "evt_1", string merchant = "mer_1", bool livemode = false, string type = "payment.succeeded",
        DateTimeOffset? created = null) => new(id, merchant, livemode, type, created ?? T0);

    private static GatewayEvent Event(string id = "evt_1", string merchant = "mer_1", bool livemode = false, string type = "payment.succeeded") => new()
    {
        Id = id,
        MerchantId = merchant,
        Livemode = livemode,
        Type = type,
        ObjectId = "pay_1",
        Created = T0,
        DataJson = "{}",
    };

    [Theory]
    [InlineData(new[] { "*" }, "payment.succeeded", true)]
    [InlineData(new[] { "*" }, "webhook_endpoint.disabled", true)]
    [InlineData(new[] { "payment.succeeded" }, "payment.succeeded", true)]
    [InlineData(new[] { "payment.failed", "payment.succeeded" }, "payment.succeeded", true)]
    [InlineData(new[] { "payment.succeeded" }, "payment.failed", false)]
    [InlineData(new[] { "payment.succeeded" }, "Payment.Succeeded", false)]
    [InlineData(new[] { "payment.*" }, "payment.succeeded", false)]
    [InlineData(new[] { "refund.succeeded", "payment.failed" }, "payment.succeeded", false)]
    public void Accepts_listed_types_or_every_type_for_a_star(string[] enabled, string type, bool accepts) =>
        Assert.Equal(accepts, WebhookFanOut.Accepts(Endpoint(events: enabled), type));

    public static TheoryData<string, WebhookEndpoint, PendingWebhookEvent, bool> ReceivesCases() => new()
    {
        { "enabled endpoint of the event's merchant and mode, all events", Endpoint(), Pending(), true },
        { "listed type", Endpoint(events: ["payment.succeeded"]), Pending(), true },
        { "type not listed", Endpoint(events: ["payment.failed"]), Pending(), false },
        { "disabled endpoint", Endpoint(status: WebhookEndpointStatus.Disabled), Pending(), false },
        { "another merchant's endpoint", Endpoint(merchant: "mer_2"), Pending(), false },
        { "live endpoint, test event", Endpoint(livemode: true), Pending(livemode: false), false },
        { "live endpoint, live event", Endpoint(livemode: true), Pending(livemode: true), true },
        { "endpoint created after the event", Endpoint(created: T0.AddMilliseconds(1)), Pending(created: T0), false },
        { "endpoint created in the event's millisecond", Endpoint(created: T0.AddTicks(5_000)), Pending(created: T0), true },
        { "endpoint created at the event's instant", Endpoint(created: T0), Pending(created: T0), true },
        { "endpoint created long before", Endpoint(created: T0.AddYears(-1)), Pending(created: T0), true },
    };

    [Theory]
    [MemberData(nameof(ReceivesCases))]
    public void Receives_at_fan_out(string @case, WebhookEndpoint endpoint, PendingWebhookEvent @event, bool receives) =>
        Assert.True(receives == WebhookFanOut.Receives(endpoint, @event), @case);

    [Fact]
    public void Scopes_are_the_distinct_merchants_and_modes_in_first_seen_order()
    {
        var scopes = WebhookFanOut.Scopes([Pending("evt_1", "mer_2"), Pending("evt_2", "mer_1"), Pending("evt_3", "mer_2"), Pending("evt_4", "mer_2", livemode: true)]);

        Assert.Equal([new WebhookScope("mer_2", false), new WebhookScope("mer_1", false), new WebhookScope("mer_2", true)], scopes);
    }

    [Fact]
    public void Deliveries_pair_each_event_with_its_receiving_endpoints_in_order()
    {
        var all = Endpoint("we_a");
        var succeeded = Endpoint("we_b", events: ["payment.succeeded"]);
        var disabled = Endpoint("we_c", status: WebhookEndpointStatus.Disabled);
        var late = Endpoint("we_d", created: T0.AddMinutes(1));
        var other = Endpoint("we_e", merchant: "mer_2");
        var live = Endpoint("we_f", livemode: true);
        var events = new[]
        {
            Pending("evt_1", type: "payment.succeeded"),
            Pending("evt_2", type: "payment.failed"),
            Pending("evt_3", merchant: "mer_2", type: "payment.failed", created: T0.AddMinutes(2)),
        };

        var deliveries = WebhookFanOut.Deliveries(events, [all, succeeded, disabled, late, other, live]);

        Assert.Equal(
            [("evt_1", "we_a"), ("evt_1", "we_b"), ("evt_2", "we_a"), ("evt_3", "we_e")],
            deliveries.Select(d => (d.Event.Id, d.Endpoint.Id)).ToList());
    }

    [Fact]
    public void Deliveries_of_events_without_endpoints_are_none()
    {
        Assert.Empty(WebhookFanOut.Deliveries([Pending()], []));
        Assert.Empty(WebhookFanOut.Deliveries([], [Endpoint()]));
    }

    public static TheoryData<string, string?, string[]> RedeliveryCases() => new()
    {
        // case, endpoint named in the request, endpoints chosen (of we_all, we_failed_only, we_disabled, we_new, we_other, we_live)
        { "none named: every enabled endpoint of the scope that accepts the type, new ones too", null, ["we_all", "we_new"] },
        { "named: that endpoint even if it does not accept the type", "we_failed_only", ["we_failed_only"] },
        { "named and created after the event", "we_new", ["we_new"] },
        { "named but disabled", "we_disabled", [] },
        { "named but another merchant's", "we_other", [] },
        { "named but the other mode's", "we_live", [] },
        { "named but unknown", "we_missing", [] },
    };

    [Theory]
    [MemberData(nameof(RedeliveryCases))]
    public void Redelivery_targets(string @case, string? named, string[] chosen)
    {
        var endpoints = new[]
        {
            Endpoint("we_all"),
            Endpoint("we_failed_only", events: ["payment.failed"]),
            Endpoint("we_disabled", status: WebhookEndpointStatus.Disabled),
            Endpoint("we_new", created: T0.AddDays(1)),
            Endpoint("we_other", merchant: "mer_2"),
            Endpoint("we_live", livemode: true),
        };

        var targets = WebhookFanOut.RedeliveryTargets(Event(), named, endpoints);

        Assert.True(chosen.SequenceEqual(targets.Select(e => e.Id)), $"{@case}: {string.Join(", ", targets.Select(e => e.Id))}");
    }

    [Fact]
    public void A_claimed_delivery_is_sent_only_while_its_endpoint_is_enabled_and_its_event_exists()
    {
        Assert.True(WebhookFanOut.StillReceives(Endpoint(), Event()));
        Assert.False(WebhookFanOut.StillReceives(Endpoint(status: WebhookEndpointStatus.Disabled), Event()));
        Assert.False(WebhookFanOut.StillReceives(null, Event()));
        Assert.False(WebhookFanOut.StillReceives(Endpoint(), null));
        Assert.False(WebhookFanOut.StillReceives(null, null));
    }
}
