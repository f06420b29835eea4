using PaymentGateway.Core;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- webhooks

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private protected static WebhookEndpoint Endpoint(string merchantId, bool livemode = false, DateTimeOffset? created = null, params string[] events)
    {
        var at = created ?? T0.AddDays(-1);
        var id = Ids.New(Ids.WebhookEndpoint, at);
        return new WebhookEndpoint
        {
            Id = id,
            MerchantId = merchantId,
            Livemode = livemode,
            Url = "https://merchant.example/hooks",
            Description = "orders",
            EnabledEvents = events.Length == 0 ? [WebhookEndpoint.AllEvents] : [.. events],
            Secrets = [new WebhookSecret { Id = "wsk_1", Encrypted = "v1:k1:WRAPPED:CIPHERTEXT", Created = at }],
            Created = at,
            Updated = at,
        };
    }

    private protected WebhookClaimRequest Claim(string holder, DateTimeOffset? now = null) =>
        new() { Holder = holder, Now = now ?? DateTimeOffset.UtcNow, LeaseDuration = Lease, Limit = 100 };

    private protected static WebhookAttemptCompletion Completion(ClaimedWebhookDelivery claimed, string holder, bool succeeded, WebhookDeliveryStatus status,
        DateTimeOffset? next = null, int? responseStatus = null) => new()
        {
            Holder = holder,
            Status = status,
            NextAttemptAt = next,
            Attempt = new WebhookDeliveryAttempt
            {
                Id = Ids.New(WebhookIds.Attempt),
                DeliveryId = claimed.Delivery.Id,
                EventId = claimed.Event.Id,
                EndpointId = claimed.Endpoint.Id,
                MerchantId = claimed.Endpoint.MerchantId,
                Livemode = claimed.Endpoint.Livemode,
                Number = claimed.Delivery.AttemptCount + 1,
                StartedAt = DateTimeOffset.UtcNow,
                DurationMs = 12,
                ResponseStatus = responseStatus ?? (succeeded ? 200 : 500),
                ResponseSnippet = succeeded ? "ok" : "boom",
                Succeeded = succeeded,
            },
        };

    [StoreFact]
    public async Task Webhook_endpoint_round_trips_is_scoped_and_version_checked()
    {
        var merchant = NewMerchantId();
        var endpoint = Endpoint(merchant, livemode: true, events: [EventTypes.PaymentSucceeded, EventTypes.RefundFailed]);
        await Store.Webhooks.CreateWebhookEndpointAsync(endpoint, null, Ct);

        var stored = await Store.Webhooks.GetWebhookEndpointAsync(merchant, true, endpoint.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(endpoint.Url, stored.Url);
        Assert.Equal(endpoint.Description, stored.Description);
        Assert.Equal(endpoint.EnabledEvents, stored.EnabledEvents);
        Assert.Equal(WebhookEndpointStatus.Enabled, stored.Status);
        Assert.Equal("v1:k1:WRAPPED:CIPHERTEXT", Assert.Single(stored.Secrets).Encrypted);
        Assert.Equal(endpoint.Created, stored.Created);
        Assert.Null(await Store.Webhooks.GetWebhookEndpointAsync(merchant, false, endpoint.Id, Ct));
        Assert.Null(await Store.Webhooks.GetWebhookEndpointAsync(NewMerchantId(), true, endpoint.Id, Ct));
        Assert.Equal([endpoint.Id], (await Store.Webhooks.ListWebhookEndpointsAsync(merchant, true, new ListQuery(), Ct)).Select(e => e.Id));

        var stale = await Store.Webhooks.GetWebhookEndpointAsync(merchant, true, endpoint.Id, Ct);
        Assert.NotNull(stale);
        stored.Url = "https://merchant.example/v2";
        stored.Status = WebhookEndpointStatus.Disabled;
        stored.DisabledReason = "test";
        var evt = Event(merchant, endpoint.Id, EventTypes.WebhookEndpointDisabled, livemode: true);
        await Store.Webhooks.UpdateWebhookEndpointAsync(stored, evt, null, Ct);
        Assert.NotNull(await Store.Events.GetEventAsync(merchant, true, evt.Id, Ct));

        stale.Url = "https://merchant.example/lost-update";
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Webhooks.UpdateWebhookEndpointAsync(stale, null, null, Ct));
        var after = await Store.Webhooks.GetWebhookEndpointAsync(merchant, true, endpoint.Id, Ct);
        Assert.Equal("https://merchant.example/v2", after?.Url);
        Assert.Equal(WebhookEndpointStatus.Disabled, after?.Status);
        Assert.Equal("test", after?.DisabledReason);

        Assert.False(await Store.Webhooks.DeleteWebhookEndpointAsync(NewMerchantId(), true, endpoint.Id, DateTimeOffset.UtcNow, null, Ct));
        Assert.True(await Store.Webhooks.DeleteWebhookEndpointAsync(merchant, true, endpoint.Id, DateTimeOffset.UtcNow, null, Ct));
        Assert.Null(await Store.Webhooks.GetWebhookEndpointAsync(merchant, true, endpoint.Id, Ct));
    }

    [StoreFact]
    public async Task Fan_out_creates_one_delivery_per_matching_enabled_endpoint_once()
    {
        var merchant = NewMerchantId();
        var all = Endpoint(merchant);
        var refundsOnly = Endpoint(merchant, events: EventTypes.RefundCreated);
        var disabled = Endpoint(merchant);
        disabled.Status = WebhookEndpointStatus.Disabled;
        var later = Endpoint(merchant, created: T0.AddDays(1));
        var otherMode = Endpoint(merchant, livemode: true);
        var otherMerchant = Endpoint(NewMerchantId());
        foreach (var e in new[] { all, refundsOnly, disabled, later, otherMode, otherMerchant })
        {
            await Store.Webhooks.CreateWebhookEndpointAsync(e, null, Ct);
        }

        var evt = Event(merchant, "pay_1", EventTypes.PaymentSucceeded);
        await CommitAsync(c => c.Events.Add(evt));

        Assert.Equal(1, await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct));
        Assert.Equal(0, await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct));

        var deliveries = await Store.Webhooks.ListWebhookDeliveriesAsync(merchant, false, new WebhookDeliveryListQuery { EventId = evt.Id }, Ct);
        var delivery = Assert.Single(deliveries);
        Assert.Equal(all.Id, delivery.EndpointId);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal(EventTypes.PaymentSucceeded, delivery.EventType);
        Assert.Equal(0, delivery.AttemptCount);
        Assert.Equal(delivery, await Store.Webhooks.GetWebhookDeliveryAsync(merchant, false, delivery.Id, Ct));
        Assert.Null(await Store.Webhooks.GetWebhookDeliveryAsync(NewMerchantId(), false, delivery.Id, Ct));
    }

    [StoreFact]
    public async Task An_event_waits_for_fan_out_only_when_its_scope_had_an_endpoint_when_it_happened()
    {
        // No endpoint, one in the other mode, one of another merchant, one created after the event: fan-out would give
        // none of them a delivery, so the event is written as already fanned out and never updated again.
        var merchant = NewMerchantId();
        await CommitAsync(c => c.Events.Add(Event(merchant, "pay_none")));
        await Store.Webhooks.CreateWebhookEndpointAsync(Endpoint(merchant, livemode: true), null, Ct);
        await Store.Webhooks.CreateWebhookEndpointAsync(Endpoint(NewMerchantId()), null, Ct);
        await Store.Webhooks.CreateWebhookEndpointAsync(Endpoint(merchant, created: T0.AddHours(1)), null, Ct);
        await CommitAsync(c => c.Events.Add(Event(merchant, "pay_before_endpoint")));
        Assert.Equal(0, await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct));

        // A disabled endpoint that existed then still makes the event wait: it may be enabled before fan-out runs.
        var disabled = Endpoint(merchant, created: T0.AddSeconds(-1));
        disabled.Status = WebhookEndpointStatus.Disabled;
        await Store.Webhooks.CreateWebhookEndpointAsync(disabled, null, Ct);
        await CommitAsync(c => c.Events.Add(Event(merchant, "pay_disabled")));
        Assert.Equal(1, await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct));
        Assert.Empty(await Store.Webhooks.ListWebhookDeliveriesAsync(merchant, false, new WebhookDeliveryListQuery(), Ct));

        // An endpoint created in the same millisecond as the event receives it, as fan-out decides.
        var enabled = Endpoint(merchant, created: T0.AddSeconds(2));
        await Store.Webhooks.CreateWebhookEndpointAsync(enabled, null, Ct);
        var evt = Event(merchant, "pay_after_endpoint", created: T0.AddSeconds(2));
        await CommitAsync(c => c.Events.Add(evt));
        Assert.Equal(1, await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct));
        var delivery = Assert.Single(await Store.Webhooks.ListWebhookDeliveriesAsync(merchant, false, new WebhookDeliveryListQuery { EventId = evt.Id }, Ct));
        Assert.Equal(enabled.Id, delivery.EndpointId);
    }

    [StoreFact]
    public async Task Events_pending_fan_out_survive_a_reopen()
    {
        var merchant = NewMerchantId();
        await Store.Webhooks.CreateWebhookEndpointAsync(Endpoint(merchant), null, Ct);
        await CommitAsync(c => c.Events.Add(Event(merchant, "pay_1")));
        await ReopenAsync();
        Assert.Equal(1, await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct));
    }

    [StoreFact]
    public async Task A_claimed_delivery_is_held_by_one_claimer_until_completed_or_its_lease_expires()
    {
        var merchant = NewMerchantId();
        var endpoint = Endpoint(merchant);
        await Store.Webhooks.CreateWebhookEndpointAsync(endpoint, null, Ct);
        var evt = Event(merchant, "pay_1");
        await CommitAsync(c => c.Events.Add(evt));
        await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct);

        var now = DateTimeOffset.UtcNow;
        var claims = await Task.WhenAll(Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a", now), Ct), Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("b", now), Ct));
        Assert.Equal(1, claims.Sum(c => c.Count));
        var (winner, claimed) = claims[0].Count == 1 ? ("a", claims[0][0]) : ("b", claims[1][0]);
        Assert.Equal(evt.Id, claimed.Event.Id);
        Assert.Equal(evt.DataJson, claimed.Event.DataJson);
        Assert.Equal(endpoint.Id, claimed.Endpoint.Id);

        Assert.Empty(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("c", now.AddSeconds(5)), Ct));

        // The winner "crashed": after the lease, another claimer takes over and the old holder's late answer does not move the delivery.
        var takeover = Assert.Single(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("c", now + Lease + TimeSpan.FromSeconds(1)), Ct));
        var late = await Store.Webhooks.CompleteWebhookAttemptAsync(Completion(claimed, winner, succeeded: true, WebhookDeliveryStatus.Succeeded), Ct);
        Assert.False(late.LeaseHeld);
        Assert.Equal(WebhookDeliveryStatus.Pending, (await Store.Webhooks.GetWebhookDeliveryAsync(merchant, false, claimed.Delivery.Id, Ct))?.Status);

        var done = await Store.Webhooks.CompleteWebhookAttemptAsync(Completion(takeover, "c", succeeded: true, WebhookDeliveryStatus.Succeeded), Ct);
        Assert.True(done.LeaseHeld);
        var delivery = await Store.Webhooks.GetWebhookDeliveryAsync(merchant, false, claimed.Delivery.Id, Ct);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, delivery?.Status);
        Assert.Equal(200, delivery?.LastResponseStatus);
        Assert.Empty(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("d", now + (Lease * 3)), Ct));
        Assert.Equal(2, (await Store.Webhooks.ListWebhookAttemptsAsync(merchant, false, claimed.Delivery.Id, Ct)).Count);
    }

    [StoreFact]
    public async Task Failed_attempts_reschedule_the_delivery_and_track_the_endpoint_failure_streak()
    {
        var merchant = NewMerchantId();
        var endpoint = Endpoint(merchant);
        await Store.Webhooks.CreateWebhookEndpointAsync(endpoint, null, Ct);
        await CommitAsync(c => c.Events.Add(Event(merchant, "pay_1")));
        await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct);

        var now = DateTimeOffset.UtcNow;
        var first = Assert.Single(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a", now), Ct));
        var next = now.AddMinutes(5);
        var outcome = await Store.Webhooks.CompleteWebhookAttemptAsync(Completion(first, "a", succeeded: false, WebhookDeliveryStatus.Pending, next), Ct);
        Assert.True(outcome.LeaseHeld);
        Assert.Equal(1, outcome.FailureStreak);
        Assert.NotNull(outcome.FailingSince);

        var delivery = await Store.Webhooks.GetWebhookDeliveryAsync(merchant, false, first.Delivery.Id, Ct);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery?.Status);
        Assert.Equal(1, delivery?.AttemptCount);
        Assert.Equal(1, delivery?.RetryCount);
        Assert.Equal(next.ToUnixTimeMilliseconds(), delivery?.NextAttemptAt?.ToUnixTimeMilliseconds());
        Assert.Equal(500, delivery?.LastResponseStatus);

        Assert.Empty(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a", now.AddMinutes(1)), Ct));
        var second = Assert.Single(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a", next.AddSeconds(1)), Ct));
        Assert.Equal(1, second.Delivery.RetryCount);
        Assert.Equal(2, (await Store.Webhooks.CompleteWebhookAttemptAsync(Completion(second, "a", succeeded: false, WebhookDeliveryStatus.Failed), Ct)).FailureStreak);

        var attempts = await Store.Webhooks.ListWebhookAttemptsAsync(merchant, false, first.Delivery.Id, Ct);
        Assert.Equal([1, 2], attempts.Select(a => a.Number));
        Assert.Equal("boom", attempts[0].ResponseSnippet);
        Assert.Empty(await Store.Webhooks.ListWebhookAttemptsAsync(NewMerchantId(), false, first.Delivery.Id, Ct));
        Assert.Single(await Store.Webhooks.ListWebhookDeliveriesAsync(merchant, false, new WebhookDeliveryListQuery { Status = WebhookDeliveryStatus.Failed, EndpointId = endpoint.Id }, Ct));

        // A success ends the streak.
        var queued = Assert.Single(await Store.Webhooks.RedeliverWebhookEventAsync(new WebhookRedeliveryRequest
        {
            MerchantId = merchant,
            Livemode = false,
            EventId = first.Event.Id,
            Now = DateTimeOffset.UtcNow,
        }, Ct));
        Assert.Equal(WebhookDeliveryStatus.Pending, queued.Status);
        Assert.Equal(0, queued.RetryCount);
        Assert.Equal(2, queued.AttemptCount);
        var third = Assert.Single(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a", DateTimeOffset.UtcNow.AddSeconds(1)), Ct));
        var ok = await Store.Webhooks.CompleteWebhookAttemptAsync(Completion(third, "a", succeeded: true, WebhookDeliveryStatus.Succeeded), Ct);
        Assert.Equal(0, ok.FailureStreak);
        Assert.Null(ok.FailingSince);
    }

    [StoreFact]
    public async Task Deliveries_of_disabled_or_deleted_endpoints_are_canceled_not_claimed()
    {
        var merchant = NewMerchantId();
        var toDisable = Endpoint(merchant);
        var toDelete = Endpoint(merchant);
        await Store.Webhooks.CreateWebhookEndpointAsync(toDisable, null, Ct);
        await Store.Webhooks.CreateWebhookEndpointAsync(toDelete, null, Ct);
        await CommitAsync(c => c.Events.Add(Event(merchant, "pay_1")));
        await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct);

        var stored = await Store.Webhooks.GetWebhookEndpointAsync(merchant, false, toDisable.Id, Ct);
        Assert.NotNull(stored);
        stored.Status = WebhookEndpointStatus.Disabled;
        await Store.Webhooks.UpdateWebhookEndpointAsync(stored, null, null, Ct);
        Assert.True(await Store.Webhooks.DeleteWebhookEndpointAsync(merchant, false, toDelete.Id, DateTimeOffset.UtcNow, null, Ct));

        Assert.Empty(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a"), Ct));
        var deliveries = await Store.Webhooks.ListWebhookDeliveriesAsync(merchant, false, new WebhookDeliveryListQuery(), Ct);
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.Canceled, d.Status));
    }

    [StoreFact]
    public async Task An_attempt_finishing_after_its_endpoint_was_deleted_leaves_the_delivery_canceled()
    {
        var merchant = NewMerchantId();
        var endpoint = Endpoint(merchant);
        await Store.Webhooks.CreateWebhookEndpointAsync(endpoint, null, Ct);
        await CommitAsync(c => c.Events.Add(Event(merchant, "pay_1")));
        await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct);
        var claimed = Assert.Single(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a"), Ct));

        // The endpoint is deleted while the attempt is on the wire; the attempt's answer comes back afterwards.
        Assert.True(await Store.Webhooks.DeleteWebhookEndpointAsync(merchant, false, endpoint.Id, DateTimeOffset.UtcNow, null, Ct));
        var late = await Store.Webhooks.CompleteWebhookAttemptAsync(
            Completion(claimed, "a", succeeded: false, WebhookDeliveryStatus.Pending, DateTimeOffset.UtcNow.AddMinutes(5)), Ct);

        Assert.False(late.LeaseHeld);
        Assert.Equal(WebhookDeliveryStatus.Canceled, (await Store.Webhooks.GetWebhookDeliveryAsync(merchant, false, claimed.Delivery.Id, Ct))?.Status);
        Assert.Single(await Store.Webhooks.ListWebhookAttemptsAsync(merchant, false, claimed.Delivery.Id, Ct));
        Assert.Empty(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("b", DateTimeOffset.UtcNow.AddMinutes(10)), Ct));
    }

    [StoreFact]
    public async Task Redelivery_creates_missing_deliveries_for_the_chosen_endpoint_and_ignores_other_merchants_events()
    {
        var merchant = NewMerchantId();
        var evt = Event(merchant, "pay_1");
        await CommitAsync(c => c.Events.Add(evt));
        await Store.Webhooks.FanOutWebhookEventsAsync(DateTimeOffset.UtcNow, 100, Ct);
        var endpoint = Endpoint(merchant, created: T0.AddDays(2)); // created after the event: fan-out skipped it
        var second = Endpoint(merchant, created: T0.AddDays(2));
        await Store.Webhooks.CreateWebhookEndpointAsync(endpoint, null, Ct);
        await Store.Webhooks.CreateWebhookEndpointAsync(second, null, Ct);

        var queued = await Store.Webhooks.RedeliverWebhookEventAsync(new WebhookRedeliveryRequest
        {
            MerchantId = merchant,
            Livemode = false,
            EventId = evt.Id,
            EndpointId = endpoint.Id,
            Now = DateTimeOffset.UtcNow,
        }, Ct);
        Assert.Equal(endpoint.Id, Assert.Single(queued).EndpointId);
        Assert.Equal(evt.Id, Assert.Single(await Store.Webhooks.ClaimWebhookDeliveriesAsync(Claim("a", DateTimeOffset.UtcNow.AddSeconds(1)), Ct)).Event.Id);

        Assert.Empty(await Store.Webhooks.RedeliverWebhookEventAsync(new WebhookRedeliveryRequest
        {
            MerchantId = NewMerchantId(),
            Livemode = false,
            EventId = evt.Id,
            Now = DateTimeOffset.UtcNow,
        }, Ct));
    }
}
