using PaymentGateway.Core.Api;
using PaymentGateway.Core.Diagnostics;

namespace PaymentGateway.Core.UnitTests;

public sealed class RequestLogFeedTests
{
    private static RequestLogResource Entry(string id, bool livemode = false) => new()
    {
        Id = id,
        Livemode = livemode,
        Created = DateTimeOffset.UnixEpoch,
        Transport = "rest",
        Method = "GET",
        Path = "/v1/payments",
        Status = 200,
        GrpcStatus = null,
        DurationMs = 1.5,
    };

    [Fact]
    public async Task A_request_published_after_Follow_returned_is_read_even_before_anyone_started_reading()
    {
        var feed = new RequestLogFeed();
        using var subscription = feed.Follow("mer_1", livemode: false);

        // The stream's headers went out here and the client made its requests before the server's first read.
        feed.Publish("mer_1", Entry("req_1"));
        feed.Publish("mer_2", Entry("req_other_merchant"));
        feed.Publish("mer_1", Entry("req_live", livemode: true));
        feed.Publish("mer_1", Entry("req_2"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = new List<string>();
        await foreach (var entry in subscription.ReadAllAsync(cts.Token))
        {
            read.Add(entry.Id);
            if (read.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["req_1", "req_2"], read);
    }

    [Fact]
    public void Disposing_the_subscription_stops_following()
    {
        var feed = new RequestLogFeed();
        var subscription = feed.Follow("mer_1", livemode: false);
        Assert.True(feed.HasFollowers);

        subscription.Dispose();

        Assert.False(feed.HasFollowers);
    }
}
