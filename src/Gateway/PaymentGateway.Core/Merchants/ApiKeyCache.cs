using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Merchants;

/// <summary>
/// Resolves presented API keys (and named admin keys, <see cref="AuthenticateAdminAsync"/>) to callers, per node. A
/// key's stored row is cached by hash for <see cref="Lifetime"/>. A revocation or roll takes effect at once on the node
/// that made it (<see cref="Forget"/>) and, on PostgreSQL, on every other node as soon as the change's notification
/// reaches it (<see cref="ForgetKey"/>, from the node's listener); <see cref="Lifetime"/> is the bound when a node's
/// listener is down. Expiry is checked on every request against the cached row. The last use is written at most once
/// per <see cref="LastUsedResolution"/> per key and node, never per request.
/// </summary>
public sealed partial class ApiKeyCache(IMerchantStore store, TimeProvider time, ILogger<ApiKeyCache> logger)
{
    /// <summary>How long a node trusts what it read about a key: the bound on how late a revocation reaches it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>How precise <see cref="KeyRecord.LastUsedAt"/> is: a key is written at most this often per node.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Entry<ApiKeyRecord, CallerContext>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<AdminKeyRecord, AdminKeyRecord>> _adminEntries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);

    // Moves on every eviction: a row read from the store before an eviction is used for its request but not cached,
    // so a read racing a revocation's notification cannot keep the old row for a whole Lifetime.
    private long _generation;

    /// <summary>The caller a presented key authenticates, or null (unknown, revoked or expired).</summary>
    public async Task<CallerContext?> AuthenticateAsync(string presentedKey, CancellationToken ct)
    {
        var entry = await LookupAsync(_entries, presentedKey, store.FindApiKeyByHashAsync,
            record => new CallerContext(record.MerchantId, record.Livemode, record.Kind) { KeyId = record.Id }, ct).ConfigureAwait(false);
        if (entry?.Key is not { } key || !key.IsUsableAt(time.GetUtcNow()))
        {
            return null;
        }

        await TouchAsync(key.Id, key.LastUsedAt, store.TouchApiKeyAsync, ct).ConfigureAwait(false);
        return entry.Caller;
    }

    /// <summary>
    /// The named admin key a presented key is (<see cref="AdminKeyRecord"/>), or null (unknown, revoked or expired):
    /// cached, revoked and touched exactly like a merchant's key.
    /// </summary>
    public async Task<AdminKeyRecord?> AuthenticateAdminAsync(string presentedKey, CancellationToken ct)
    {
        var entry = await LookupAsync(_adminEntries, presentedKey, store.FindAdminKeyByHashAsync, record => record, ct).ConfigureAwait(false);
        if (entry?.Key is not { } key || !key.IsUsableAt(time.GetUtcNow()))
        {
            return null;
        }

        await TouchAsync(key.Id, key.LastUsedAt, store.TouchAdminKeyAsync, ct).ConfigureAwait(false);
        return key;
    }

    /// <summary>The cached row for a presented key (read from the store when absent or older than <see cref="Lifetime"/>); null for a key of an impossible length.</summary>
    private async Task<Entry<TKey, TCaller>?> LookupAsync<TKey, TCaller>(ConcurrentDictionary<string, Entry<TKey, TCaller>> entries, string presentedKey,
        Func<string, CancellationToken, Task<TKey?>> find, Func<TKey, TCaller> caller, CancellationToken ct)
        where TKey : class
        where TCaller : class
    {
        if (presentedKey.Length is < 16 or > 128)
        {
            return null;
        }

        var hash = MerchantService.Hash(presentedKey);
        var now = time.GetUtcNow();
        if (!entries.TryGetValue(hash, out var entry) || entry.Until <= now)
        {
            var generation = Interlocked.Read(ref _generation);
            var record = await find(hash, ct).ConfigureAwait(false);
            entry = new Entry<TKey, TCaller>(record, record is null ? null : caller(record), now + Lifetime);
            if (entries.Count > MaxEntries)
            {
                entries.Clear();
                _touched.Clear();
            }

            if (Interlocked.Read(ref _generation) == generation)
            {
                entries[hash] = entry;
            }
        }

        return entry;
    }

    /// <summary>Drops what this node knows about a key, so its next use reads the store (after a change made here).</summary>
    public void Forget(string keyHash)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(keyHash, out _);
        _adminEntries.TryRemove(keyHash, out _);
    }

    /// <summary>
    /// Drops what this node knows about the API or admin key with this id, so its next use reads the store: a change
    /// made on another node, announced by the engine (PostgreSQL <c>NOTIFY</c>, carrying the key's id, never its secret or hash).
    /// </summary>
    public void ForgetKey(string keyId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Key?.Id == keyId)
            {
                _entries.TryRemove(hash, out _);
            }
        }

        foreach (var (hash, entry) in _adminEntries)
        {
            if (entry.Key?.Id == keyId)
            {
                _adminEntries.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>Drops every cached key: after this node could not hear about changes for a while (its listener reconnected).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        _adminEntries.Clear();
    }

    private async Task TouchAsync(string keyId, DateTimeOffset? lastUsedAt, Func<string, DateTimeOffset, CancellationToken, Task> touch, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var last = lastUsedAt;
        if (_touched.TryGetValue(keyId, out var mine) && (last is null || mine > last))
        {
            last = mine;
        }

        if (last is { } previous && now - previous < LastUsedResolution)
        {
            return;
        }

        // Claimed before the write, so the requests arriving meanwhile do not write too.
        _touched[keyId] = now;
        try
        {
            await touch(keyId, now, ct).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            // The last use is informational: a request is never failed for it.
            LogTouchFailed(logger, keyId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the last use of API key {KeyId}: {Reason}")]
    private static partial void LogTouchFailed(ILogger logger, string keyId, string reason);

    private sealed record Entry<TKey, TCaller>(TKey? Key, TCaller? Caller, DateTimeOffset Until)
        where TKey : class
        where TCaller : class;
}
