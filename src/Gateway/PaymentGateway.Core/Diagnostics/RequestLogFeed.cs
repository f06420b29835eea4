using System.Threading.Channels;
using PaymentGateway.Core.Api;

namespace PaymentGateway.Core.Diagnostics;

/// <summary>
/// The live request log of this node: each finished REST request and gRPC call of an authenticated merchant, handed
/// to whoever follows it (<c>GET /v1/request_logs/stream</c>) and then forgotten — nothing is stored. With nobody
/// following, publishing costs one volatile read. A follower that reads too slowly loses its oldest lines (a bounded
/// buffer per follower), never slows the requests.
/// </summary>
public sealed class RequestLogFeed
{
    /// <summary>Lines kept for one follower that has not read them yet; older ones are dropped first.</summary>
    public const int FollowerBuffer = 1000;

    private readonly object _gate = new();
    private volatile Follower[] _followers = [];

    /// <summary>Whether anyone follows the log: requests skip building their entry when nobody does.</summary>
    public bool HasFollowers => _followers.Length > 0;

    /// <summary>Hands one finished request of <paramref name="merchantId"/> (in its mode) to that merchant's followers.</summary>
    public void Publish(string merchantId, RequestLogResource entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        foreach (var follower in _followers)
        {
            if (follower.MerchantId == merchantId && follower.Livemode == entry.Livemode)
            {
                follower.Lines.Writer.TryWrite(entry);
            }
        }
    }

    /// <summary>
    /// Follows one merchant's requests in one mode from this call on: the subscription is in place when this returns,
    /// so a caller that subscribes before telling its client it is ready (the stream's headers) misses no request made
    /// after that. Disposing it stops following.
    /// </summary>
    public Subscription Follow(string merchantId, bool livemode)
    {
        var follower = new Follower(merchantId, livemode, Channel.CreateBounded<RequestLogResource>(
            new BoundedChannelOptions(FollowerBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));
        lock (_gate)
        {
            _followers = [.. _followers, follower];
        }

        return new Subscription(this, follower);
    }

    private void Remove(Follower follower)
    {
        lock (_gate)
        {
            _followers = [.. _followers.Where(f => !ReferenceEquals(f, follower))];
        }
    }

    /// <summary>One follower of the log: its lines as they come, until disposed.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly RequestLogFeed _feed;
        private readonly Follower _follower;

        internal Subscription(RequestLogFeed feed, Follower follower) => (_feed, _follower) = (feed, follower);

        /// <summary>The lines published since the subscription began, until <paramref name="ct"/> ends.</summary>
        public IAsyncEnumerable<RequestLogResource> ReadAllAsync(CancellationToken ct) => _follower.Lines.Reader.ReadAllAsync(ct);

        public void Dispose() => _feed.Remove(_follower);
    }

    internal sealed record Follower(string MerchantId, bool Livemode, Channel<RequestLogResource> Lines);
}
