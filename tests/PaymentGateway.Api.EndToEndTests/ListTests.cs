using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>Lists on one fresh merchant with seven payments: the three oldest succeeded, the four newest unconfirmed.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ListTests(GatewayFixture fixture) : IAsyncLifetime
{
    private GatewayServer Server => fixture.Server;

    private TestMerchant _merchant = null!;

    /// <summary>Payment ids, oldest first.</summary>
    private readonly List<string> _created = [];

    private readonly List<string> _createdAt = [];

    private GatewayClient ApiClient => Server.Client(_merchant.SecretKey);

    /// <summary>Newest first, as the API returns them.</summary>
    private List<string> Expected => Enumerable.Reverse(_created).ToList();

    public async Task InitializeAsync()
    {
        _merchant = await Server.CreateMerchantAsync("List merchant");
        for (var i = 0; i < 7; i++)
        {
            var response = i < 3
                ? (await Steps.PayAsync(Server, _merchant, TestCards.Visa, 100 + i)).EnsureStatus(200)
                : await Steps.CreateUnconfirmedAsync(Server, _merchant, 100 + i);
            _created.Add(response.Str("id")!);
            _createdAt.Add(response.Str("created")!);

            // Ids are time-sortable at millisecond resolution; keep the creations in distinct milliseconds.
            await Task.Delay(5);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task List_Default_NewestFirstWithoutMore()
    {
        var list = (await ApiClient.GetAsync("/v1/payments")).EnsureStatus(200);

        Assert.Equal("list", list.Str("object"));
        Assert.Equal(Expected, Steps.Ids(list));
        Assert.False(list.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task List_Limit_ReturnsNewestAndHasMore()
    {
        var list = (await ApiClient.GetAsync("/v1/payments?limit=3")).EnsureStatus(200);

        Assert.Equal(Expected.Take(3), Steps.Ids(list));
        Assert.True(list.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task List_LimitEqualToCount_HasMoreFalse()
    {
        var list = (await ApiClient.GetAsync("/v1/payments?limit=7")).EnsureStatus(200);

        Assert.Equal(Expected, Steps.Ids(list));
        Assert.False(list.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task StartingAfter_WalksFullSetWithoutDuplicatesOrGaps()
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var page = (await ApiClient.GetAsync("/v1/payments?limit=3" + (cursor is null ? string.Empty : $"&starting_after={cursor}"))).EnsureStatus(200);
            var ids = Steps.Ids(page).ToList();
            seen.AddRange(ids);
            pages++;
            if (!page.Json.GetProperty("has_more").GetBoolean() || pages > 10)
            {
                break;
            }

            cursor = ids[^1];
        }

        Assert.Equal(Expected, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task EndingBefore_ReturnsThePageJustNewerThanTheCursor_NewestFirst()
    {
        // Oldest-first ids p0..p6; the page ending before p0 with limit 3 is p3, p2, p1.
        var page = (await ApiClient.GetAsync($"/v1/payments?limit=3&ending_before={_created[0]}")).EnsureStatus(200);

        Assert.Equal(new[] { _created[3], _created[2], _created[1] }, Steps.Ids(page));
    }

    [Fact]
    public async Task EndingBefore_WalksBackwardsFromOldestWithoutDuplicatesOrGaps()
    {
        var seen = new List<string>();
        var cursor = _created[0];
        for (var pages = 0; pages < 10; pages++)
        {
            var page = (await ApiClient.GetAsync($"/v1/payments?limit=3&ending_before={cursor}")).EnsureStatus(200);
            var ids = Steps.Ids(page).ToList();
            if (ids.Count == 0)
            {
                break;
            }

            seen.InsertRange(0, ids);
            cursor = ids[0];
            if (!page.Json.GetProperty("has_more").GetBoolean())
            {
                break;
            }
        }

        Assert.Equal(Expected.Take(6), seen);
    }

    [Fact]
    public async Task EndingBefore_WithRoomForAll_ReturnsEveryNewerPaymentNewestFirst()
    {
        var page = (await ApiClient.GetAsync($"/v1/payments?limit=10&ending_before={_created[3]}")).EnsureStatus(200);

        Assert.Equal(new[] { _created[6], _created[5], _created[4] }, Steps.Ids(page));
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task StartingAfter_OldestId_ReturnsEmpty()
    {
        var page = (await ApiClient.GetAsync($"/v1/payments?starting_after={_created[0]}")).EnsureStatus(200);

        Assert.Empty(Steps.Ids(page));
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task EndingBefore_NewestId_ReturnsEmpty()
    {
        var page = (await ApiClient.GetAsync($"/v1/payments?ending_before={_created[^1]}")).EnsureStatus(200);

        Assert.Empty(Steps.Ids(page));
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task StatusFilter_ReturnsOnlyThatStatus()
    {
        var succeeded = (await ApiClient.GetAsync("/v1/payments?status=succeeded")).EnsureStatus(200);
        var open = (await ApiClient.GetAsync("/v1/payments?status=requires_payment_method&limit=2")).EnsureStatus(200);
        var none = (await ApiClient.GetAsync("/v1/payments?status=canceled")).EnsureStatus(200);

        Assert.Equal(new[] { _created[2], _created[1], _created[0] }, Steps.Ids(succeeded));
        Assert.All(succeeded.Json.GetProperty("data").EnumerateArray(), p => Assert.Equal("succeeded", p.GetProperty("status").GetString()));
        Assert.Equal(new[] { _created[6], _created[5] }, Steps.Ids(open));
        Assert.True(open.Json.GetProperty("has_more").GetBoolean());
        Assert.Empty(Steps.Ids(none));
    }

    [Theory]
    [InlineData("SUCCEEDED")]
    [InlineData("paid")]
    [InlineData("")]
    public async Task StatusFilter_Unknown_Returns400(string status)
    {
        Problem.Assert(await ApiClient.GetAsync($"/v1/payments?status={status}"), 400, "parameter_invalid", "status");
    }

    [Fact]
    public async Task CreatedRange_IsoTimestamps_FilterGteInclusiveLtExclusive()
    {
        var gte = Steps.Q(_createdAt[2]);
        var lt = Steps.Q(_createdAt[5]);

        var page = (await ApiClient.GetAsync($"/v1/payments?created%5Bgte%5D={gte}&created%5Blt%5D={lt}")).EnsureStatus(200);

        Assert.Equal(new[] { _created[4], _created[3], _created[2] }, Steps.Ids(page));
    }

    [Fact]
    public async Task CreatedRange_UnixSeconds_Accepted()
    {
        var future = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        var past = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();

        var none = (await ApiClient.GetAsync($"/v1/payments?created[gte]={future}")).EnsureStatus(200);
        var all = (await ApiClient.GetAsync($"/v1/payments?created[gte]={past}&created[lt]={future}")).EnsureStatus(200);

        Assert.Empty(Steps.Ids(none));
        Assert.Equal(Expected, Steps.Ids(all));
    }

    [Theory]
    [InlineData("created[gte]", "yesterday")]
    [InlineData("created[lt]", "2026-13-45")]
    public async Task CreatedRange_Malformed_Returns400(string name, string value)
    {
        Problem.Assert(await ApiClient.GetAsync($"/v1/payments?{name}={value}"), 400, "parameter_invalid", name);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("1.5")]
    public async Task InvalidLimit_Returns400WithParamLimit(string limit)
    {
        Problem.Assert(await ApiClient.GetAsync($"/v1/payments?limit={limit}"), 400, "parameter_invalid", "limit");
    }

    [Fact]
    public async Task Limit100_IsAccepted()
    {
        var list = (await ApiClient.GetAsync("/v1/payments?limit=100")).EnsureStatus(200);

        Assert.Equal(7, Steps.Ids(list).Count());
    }

    [Theory]
    [InlineData("starting_after", "pay_xyz")]
    [InlineData("starting_after", "re_00000000000000000000000000000")]
    [InlineData("ending_before", "garbage")]
    [InlineData("ending_before", "pay_0000000000000000000000000000I")]
    public async Task MalformedCursor_Returns400(string name, string cursor)
    {
        Problem.Assert(await ApiClient.GetAsync($"/v1/payments?{name}={cursor}"), 400, "parameter_invalid", name);
    }

    [Fact]
    public async Task BothCursors_Returns400()
    {
        var response = await ApiClient.GetAsync($"/v1/payments?starting_after={_created[5]}&ending_before={_created[1]}");

        Problem.Assert(response, 400, "parameter_invalid");
    }

    [Fact]
    public async Task AnotherMerchant_SeesNoneOfThesePayments()
    {
        var other = await Server.CreateMerchantAsync();

        var list = (await Server.Client(other.SecretKey).GetAsync("/v1/payments?limit=100")).EnsureStatus(200);

        Assert.Empty(Steps.Ids(list));
    }
}
