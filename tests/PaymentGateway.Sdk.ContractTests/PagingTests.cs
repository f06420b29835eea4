using WireMock.RequestBuilders;

namespace PaymentGateway.Sdk.ContractTests;

public sealed class PagingTests : IDisposable
{
    private readonly FakeGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private void GivenTwoPagesOfPayments()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingGet().WithParam("starting_after", "pay_2"))
            .AtPriority(1)
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(false, FakeGateway.PaymentJson("pay_1")), requestId: "req_page2"));
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingGet())
            .AtPriority(2)
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(true, FakeGateway.PaymentJson("pay_3"), FakeGateway.PaymentJson("pay_2")), requestId: "req_page1"));
    }

    [Fact]
    public async Task ListAsync_ReturnsOnePageWithItsRequestId()
    {
        GivenTwoPagesOfPayments();
        using var client = _gateway.CreateClient();

        var page = await client.Payments.ListAsync(new ListPaymentsRequest { Limit = 2 });

        Assert.True(page.HasMore);
        Assert.Equal(["pay_3", "pay_2"], page.Data.Select(p => p.Id));
        Assert.Equal("req_page1", page.RequestId);
        Assert.Single(_gateway.Requests);
    }

    [Fact]
    public async Task ListAutoPaging_FollowsStartingAfterAcrossPages()
    {
        GivenTwoPagesOfPayments();
        using var client = _gateway.CreateClient();

        var ids = new List<string>();
        await foreach (var payment in client.Payments.ListAutoPagingAsync(new ListPaymentsRequest { Limit = 2, Status = PaymentStatus.RequiresCapture }))
        {
            ids.Add(payment.Id);
        }

        Assert.Equal(["pay_3", "pay_2", "pay_1"], ids);
        var requests = _gateway.Requests;
        Assert.Equal(2, requests.Count);
        Assert.False(requests[0].Query?.ContainsKey("starting_after") ?? false);
        Assert.Equal("pay_2", requests[1].Query?["starting_after"].Single());
        Assert.All(requests, r => Assert.Equal("requires_capture", r.Query?["status"].Single()));
        Assert.All(requests, r => Assert.Equal("2", r.Query?["limit"].Single()));
    }

    [Fact]
    public async Task ListAutoPaging_IsLazy()
    {
        GivenTwoPagesOfPayments();
        using var client = _gateway.CreateClient();

        var enumerable = client.Payments.ListAutoPagingAsync();
        Assert.Empty(_gateway.Requests);

        await foreach (var payment in enumerable)
        {
            Assert.Equal("pay_3", payment.Id);
            break;
        }

        Assert.Single(_gateway.Requests);
    }

    [Fact]
    public async Task ListAutoPaging_StopsOnAnEmptyPage()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/refunds").UsingGet()).RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(true)));
        using var client = _gateway.CreateClient();

        var count = 0;
        await foreach (var refund in client.Refunds.ListAutoPagingAsync(new ListRefundsRequest { Payment = "pay_1" }))
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Equal("pay_1", Assert.Single(_gateway.Requests).Query?["payment"].Single());
    }

    [Fact]
    public async Task Events_ListAndGet_ReadTheEventShape()
    {
        const string evt = """{"id":"evt_1","object":"event","livemode":false,"type":"payment.succeeded","data":{"id":"pay_1"},"created":"2025-01-02T03:04:05Z"}""";
        _gateway.Server.Given(Request.Create().WithPath("/v1/events").UsingGet()).RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(false, evt)));
        _gateway.Server.Given(Request.Create().WithPath("/v1/events/evt_1").UsingGet()).RespondWith(FakeGateway.Json(200, evt));
        using var client = _gateway.CreateClient();

        var all = new List<Event>();
        await foreach (var e in client.Events.ListAutoPagingAsync())
        {
            all.Add(e);
        }

        var single = await client.Events.GetAsync("evt_1");

        Assert.Equal(EventType.PaymentSucceeded, Assert.Single(all).Type);
        Assert.Equal("pay_1", single.Data.GetProperty("id").GetString());
    }
}
