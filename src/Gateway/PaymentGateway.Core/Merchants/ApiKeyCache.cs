using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Merchants;

/// <summary>
/// Resolves presented API keys to callers, per node. A key's stored row is cached by hash for
/// <see cref="Lifetime"/>, so a revocation or roll made on another node takes effect here within that time (on the
/// node that made it at once, <see cref="Forget"/>); expiry is checked on every request against the cached row. The
/// last use is written at most once per <see cref="LastUsedResolution"/> per key and node, never per request.
/// </summary>
public sealed partial class ApiKeyCache(IMerchantStore store, TimeProvider time, ILogger<ApiKeyCache> logger)
{
    /// <summary>How long a node trusts what it read about a key: the bound on how late a revocation reaches it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>How precise <see cref="ApiKeyRecord.LastUsedAt"/> is: a key is written at most this often per node.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);

    /// <summary>The caller a presented key authenticates, or null (unknown, revoked or expired).</summary>
    public async Task<CallerContext?> AuthenticateAsync(string presentedKey, CancellationToken ct)
    {
        if (presentedKey.Length is < 16 or > 128)
        {
            return null;
        }

        var hash = MerchantService.Hash(presentedKey);
        var now = time.GetUtcNow();
        if (!_entries.TryGetValue(hash, out var entry) || entry.Until <= now)
        {
            var record = await store.FindApiKeyByHashAsync(hash, ct).ConfigureAwait(false);
            entry = new Entry(record, record is null ? null : new CallerContext(record.MerchantId, record.Livemode, record.Kind) { KeyId = record.Id }, now + Lifetime);
            if (_entries.Count > MaxEntries)
            {
                _entries.Clear();
                _touched.Clear();
            }

            _entries[hash] = entry;
        }

        if (entry.Key is not { } key || !key.IsUsableAt(now))
        {
            return null;
        }

        await TouchAsync(key, now, ct).ConfigureAwait(false);
        return entry.Caller;
    }

    /// <summary>Drops what this node knows about a key, so its next use reads the store (after a change made here).</summary>
    public void Forget(string keyHash) => _entries.TryRemove(keyHash, out _);

    private async Task TouchAsync(ApiKeyRecord key, DateTimeOffset now, CancellationToken ct)
    {
        var last = key.LastUsedAt;
        if (_touched.TryGetValue(key.Id, out var mine) && (last is null || mine > last))
        {
            last = mine;
        }

        if (last is { } previous && now - previous < LastUsedResolution)
        {
            return;
        }

        // Claimed before the write, so the requests arriving meanwhile do not write too.
        _touched[key.Id] = now;
        try
        {
            await store.TouchApiKeyAsync(key.Id, now, ct).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            // The last use is informational: a request is never failed for it.
            LogTouchFailed(logger, key.Id, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the last use of API key {KeyId}: {Reason}")]
    private static partial void LogTouchFailed(ILogger logger, string keyId, string reason);

    private sealed record Entry(ApiKeyRecord? Key, CallerContext? Caller, DateTimeOffset Until);
}
