using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class EventsTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task ManualFlow_WritesOneEventPerStateChange()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 2000);
        (await api.PostAsync($"/v1/payments/{id}/capture", new { })).EnsureStatus(200);

        var types = await Steps.EventTypesAsync(Server, merchant, id);

        Assert.Equal(["payment.created", "payment.processing", "payment.authorized", "payment.succeeded"], Steps.InLifecycleOrder(types));
        Assert.Equal("payment.succeeded", types[^1]);
    }

    [Fact]
    public async Task CancelAndDecline_WriteCanceledAndFailedEvents()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var open = (await Steps.CreateUnconfirmedAsync(Server, merchant)).Str("id")!;
        (await api.PostAsync($"/v1/payments/{open}/cancel", new { })).EnsureStatus(200);
        var declined = (await Steps.PayAsync(Server, merchant, TestCards.GenericDecline)).Json.GetProperty("payment").GetProperty("id").GetString()!;

        Assert.Equal(["payment.created", "payment.canceled"], await Steps.EventTypesAsync(Server, merchant, open));
        Assert.Equal(["payment.created", "payment.processing", "payment.failed"], Steps.InLifecycleOrder(await Steps.EventTypesAsync(Server, merchant, declined)));
    }

    [Fact]
    public async Task Refund_WritesRefundEventsAndNoPaymentStatusEvent()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant);
        var before = await Steps.EventTypesAsync(Server, merchant, id);
        var refund = (await api.PostAsync("/v1/refunds", new { payment = id, amount = 300 })).EnsureStatus(200).Str("id")!;

        var refundEvents = await Steps.EventTypesAsync(Server, merchant, refund);

        Assert.Equal(["refund.created", "refund.succeeded"], Steps.InLifecycleOrder(refundEvents));
        Assert.Equal(before, await Steps.EventTypesAsync(Server, merchant, id));
        var succeeded = (await api.GetAsync($"/v1/events?object_id={refund}&type=refund.succeeded")).EnsureStatus(200).Json.GetProperty("data")[0];
        Assert.Equal("succeeded", succeeded.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(300, succeeded.GetProperty("data").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task GetEvent_ReturnsObjectAsOfTheEvent()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 2000);
        (await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 1500 })).EnsureStatus(200);
        var authorizedId = (await api.GetAsync($"/v1/events?object_id={id}&type=payment.authorized")).EnsureStatus(200)
            .Json.GetProperty("data")[0].GetProperty("id").GetString();

        var evt = (await api.GetAsync($"/v1/events/{authorizedId}")).EnsureStatus(200);

        Assert.Equal("event", evt.Str("object"));
        Assert.Equal("payment.authorized", evt.Str("type"));
        Assert.False(evt.Json.GetProperty("livemode").GetBoolean());
        Assert.Matches("^evt_[0-9a-z]{29}$", evt.Str("id"));
        var data = evt.Json.GetProperty("data");
        Assert.Equal(id, data.GetProperty("id").GetString());
        Assert.Equal("payment", data.GetProperty("object").GetString());
        Assert.Equal("requires_capture", data.GetProperty("status").GetString());
        Assert.Equal(2000, data.GetProperty("amount_capturable").GetInt64());
        Assert.Equal(0, data.GetProperty("amount_received").GetInt64());
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));

        var succeededEvent = (await api.GetAsync($"/v1/events?object_id={id}&type=payment.succeeded")).Json.GetProperty("data")[0];
        Assert.Equal(1500, succeededEvent.GetProperty("data").GetProperty("amount_received").GetInt64());
    }

    [Fact]
    public async Task Events_NeverContainCardData()
    {
        var merchant = await Server.CreateMerchantAsync();
        await Steps.SucceededPaymentAsync(Server, merchant);
        await Steps.PayAsync(Server, merchant, TestCards.GenericDecline);

        var events = (await Server.Client(merchant.SecretKey).GetAsync("/v1/events?limit=100")).EnsureStatus(200);

        Assert.NotEmpty(events.Json.GetProperty("data").EnumerateArray());
        Assert.DoesNotContain(TestCards.Visa, events.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCards.GenericDecline, events.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("cvc", Steps.PropertyNames(events.Json), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TypeFilter_ReturnsOnlyThatType()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        await Steps.SucceededPaymentAsync(Server, merchant);
        await Steps.SucceededPaymentAsync(Server, merchant);
        var open = (await Steps.CreateUnconfirmedAsync(Server, merchant)).Str("id");
        (await api.PostAsync($"/v1/payments/{open}/cancel", new { })).EnsureStatus(200);

        var succeeded = (await api.GetAsync("/v1/events?type=payment.succeeded")).EnsureStatus(200);
        var created = (await api.GetAsync("/v1/events?type=payment.created")).EnsureStatus(200);
        var canceled = (await api.GetAsync("/v1/events?type=payment.canceled")).EnsureStatus(200);
        var none = (await api.GetAsync("/v1/events?type=payment.nonsense")).EnsureStatus(200);

        Assert.Equal(2, succeeded.Json.GetProperty("data").GetArrayLength());
        Assert.All(succeeded.Json.GetProperty("data").EnumerateArray(), e => Assert.Equal("payment.succeeded", e.GetProperty("type").GetString()));
        Assert.Equal(3, created.Json.GetProperty("data").GetArrayLength());
        Assert.Equal(open, Assert.Single(canceled.Json.GetProperty("data").EnumerateArray()).GetProperty("data").GetProperty("id").GetString());
        Assert.Empty(none.Json.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Pagination_WalksAllEventsWithoutDuplicates()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        for (var i = 0; i < 3; i++)
        {
            await Steps.SucceededPaymentAsync(Server, merchant);
        }

        var all = Steps.Ids((await api.GetAsync("/v1/events?limit=100")).EnsureStatus(200)).ToList();
        var walked = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = (await api.GetAsync("/v1/events?limit=2" + (cursor is null ? string.Empty : $"&starting_after={cursor}"))).EnsureStatus(200);
            var ids = Steps.Ids(page).ToList();
            Assert.True(ids.Count <= 2);
            walked.AddRange(ids);
            if (!page.Json.GetProperty("has_more").GetBoolean())
            {
                break;
            }

            cursor = ids[^1];
        }

        Assert.Equal(9 + 2, all.Count); // three payments' events, and api_key.created for the merchant's two test keys
        Assert.Equal(all, walked);
        Assert.Equal(all.Count, walked.Distinct().Count());
        Assert.Equal(all.Order(StringComparer.Ordinal).Reverse(), all);
        Problem.Assert(await api.GetAsync("/v1/events?limit=0"), 400, "parameter_invalid", "limit");
        Problem.Assert(await api.GetAsync("/v1/events?starting_after=pay_00000000000000000000000000000"), 400, "parameter_invalid", "starting_after");
    }

    [Fact]
    public async Task UnknownEvent_Returns404()
    {
        var merchant = await Server.CreateMerchantAsync();

        Problem.Assert(await Server.Client(merchant.SecretKey).GetAsync("/v1/events/evt_00000000000000000000000000000"), 404, "resource_missing");
    }

    [Fact]
    public async Task Events_FromOneTransaction_ListInTheOrderTheyHappened()
    {
        var merchant = await Server.CreateMerchantAsync();
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await Steps.SucceededPaymentAsync(Server, merchant, 100 + i));
        }

        foreach (var id in ids)
        {
            // Newest first: succeeded, processing, created.
            Assert.Equal(["payment.created", "payment.processing", "payment.succeeded"], await Steps.EventTypesAsync(Server, merchant, id));
        }
    }

    [Fact]
    public async Task EventData_IsThePaymentResourceShape()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant);
        var payment = (await api.GetAsync($"/v1/payments/{id}")).EnsureStatus(200);

        var succeeded = (await api.GetAsync($"/v1/events?object_id={id}&type=payment.succeeded")).Json.GetProperty("data")[0].GetProperty("data");

        var expected = payment.Json.EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(expected, succeeded.EnumerateObject().Select(p => p.Name).Order().ToList());
        Assert.Equal(JsonValueKind.Object, succeeded.GetProperty("metadata").ValueKind);
    }
}
