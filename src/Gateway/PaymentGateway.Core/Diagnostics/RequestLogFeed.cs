using System.Runtime.CompilerServices;
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

    /// <summary>The requests of one merchant in one mode from now on, until <paramref name="ct"/> ends.</summary>
    public async IAsyncEnumerable<RequestLogResource> FollowAsync(string merchantId, bool livemode, [EnumeratorCancellation] CancellationToken ct)
    {
        var follower = new Follower(merchantId, livemode, Channel.CreateBounded<RequestLogResource>(
            new BoundedChannelOptions(FollowerBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));
        lock (_gate)
        {
            _followers = [.. _followers, follower];
        }

        try
        {
            await foreach (var entry in follower.Lines.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
        finally
        {
            lock (_gate)
            {
                _followers = [.. _followers.Where(f => !ReferenceEquals(f, follower))];
            }
        }
    }

    private sealed record Follower(string MerchantId, bool Livemode, Channel<RequestLogResource> Lines);
}
