using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// The users behind live sessions, re-read from the store at most every <see cref="ConsoleOptions.SessionCheckInterval"/>
/// (5 s by default), so a change made on another node reaches this one within that; changes made here take effect at
/// once (<see cref="Invalidate"/>).
/// </summary>
public sealed class ConsoleSessionCache(ConsoleSignInService signIn, IOptions<ConsoleOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (ConsoleUser User, DateTimeOffset Until)> _users = new(StringComparer.Ordinal);

    /// <summary>The active user whose stamp still matches the session's, or null.</summary>
    public async Task<ConsoleUser?> FindAsync(string userId, string stamp, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!_users.TryGetValue(userId, out var cached) || cached.Until <= now)
        {
            var user = await signIn.FindSessionUserAsync(userId, stamp, ct);
            if (user is null)
            {
                _users.TryRemove(userId, out _);
                return null;
            }

            if (_users.Count > 10_000)
            {
                _users.Clear();
            }

            cached = (user, now + options.Value.SessionCheckInterval);
            _users[userId] = cached;
        }

        return string.Equals(cached.User.SecurityStamp, stamp, StringComparison.Ordinal) ? cached.User : null;
    }

    public void Invalidate(string userId) => _users.TryRemove(userId, out _);
}
