using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Vault;

/// <summary>Where a re-encryption stands after a batch: the column, what this run examined and re-wrapped so far, and whether every column is done.</summary>
public sealed record VaultRewrapProgress(string Column, long Examined, long Rewrapped, long Changed, bool Completed);

/// <summary>
/// Re-encrypts every stored secret under the vault's active key: walks <see cref="VaultColumn.All"/> in batches, re-wraps
/// each ciphertext's data key (the ciphertext itself is unchanged, so no secret is ever decrypted into memory) and
/// writes the row back only if nobody changed it meanwhile. A cursor in the database (active key id, column, last row)
/// is saved after every batch, so an interrupted run, on this node or another, continues where it stopped; a changed
/// active key starts over. Used by <c>host vault rewrap</c> and the leased background job.
/// </summary>
public sealed partial class VaultRewrapService(IVaultRecordStore store, CardVault vault, ILogger<VaultRewrapService> logger)
{
    private const string Done = "done";
    private const char Separator = '\u001f';

    /// <summary>True when a completed pass under the current active key is recorded (the background job then has nothing to do).</summary>
    public async Task<bool> IsCompleteAsync(CancellationToken ct) =>
        await store.GetRewrapCursorAsync(ct).ConfigureAwait(false) == $"{vault.KeyRing.ActiveKeyId}\n{Done}";

    /// <summary>
    /// Runs batches of <paramref name="batchSize"/> rows from the saved cursor (from the first row when there is none,
    /// it was saved under another active key, or the last pass completed) until every column is done or
    /// <paramref name="maxBatches"/> batches ran. <paramref name="progress"/> hears about every batch.
    /// </summary>
    public async Task<VaultRewrapProgress> RunAsync(int batchSize, int? maxBatches, Action<VaultRewrapProgress>? progress, CancellationToken ct)
    {
        var active = vault.KeyRing.ActiveKeyId;
        var (columnIndex, after) = Parse(await store.GetRewrapCursorAsync(ct).ConfigureAwait(false), active);
        long examined = 0, rewrapped = 0, changed = 0;
        var batches = 0;
        while (columnIndex < VaultColumn.All.Count)
        {
            var column = VaultColumn.All[columnIndex];
            if (maxBatches is { } max && batches >= max)
            {
                return new VaultRewrapProgress(column.Name, examined, rewrapped, changed, Completed: false);
            }

            var rows = await store.ListAsync(column, after, batchSize, ct).ConfigureAwait(false);
            foreach (var row in rows)
            {
                examined++;
                var replacement = column.Rewrap(row.Key, row.Value, vault.Rewrap);
                if (replacement == row.Value)
                {
                    continue;
                }

                if (await store.ReplaceAsync(column, row.Key, row.Value, replacement, ct).ConfigureAwait(false))
                {
                    rewrapped++;
                }
                else
                {
                    changed++; // written meanwhile (by the current code, so under the active key) or deleted
                }
            }

            batches++;
            if (rows.Count < batchSize)
            {
                columnIndex++;
                after = null;
                await store.SaveRewrapCursorAsync(columnIndex < VaultColumn.All.Count ? $"{active}\n{VaultColumn.All[columnIndex].Name}\n" : $"{active}\n{Done}", ct).ConfigureAwait(false);
            }
            else
            {
                after = rows[^1].Key;
                await store.SaveRewrapCursorAsync($"{active}\n{column.Name}\n{string.Join(Separator, after)}", ct).ConfigureAwait(false);
            }

            var report = new VaultRewrapProgress(column.Name, examined, rewrapped, changed, columnIndex >= VaultColumn.All.Count);
            if (rows.Count > 0)
            {
                LogBatch(logger, column.Name, rows.Count, examined, rewrapped, active);
            }

            progress?.Invoke(report);
        }

        LogCompleted(logger, active, examined, rewrapped);
        return new VaultRewrapProgress(VaultColumn.All[^1].Name, examined, rewrapped, changed, Completed: true);
    }

    /// <summary>Every key id that wraps a stored secret, with the columns it is found in.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindKeyIdsInUseAsync(CancellationToken ct)
    {
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var column in VaultColumn.All)
        {
            IEnumerable<string> ids;
            if (column.Shape == VaultColumnShape.Ciphertext)
            {
                ids = await store.ListKeyIdsAsync(column, ct).ConfigureAwait(false);
            }
            else
            {
                var all = new HashSet<string>(StringComparer.Ordinal);
                IReadOnlyList<string>? after = null;
                while (true)
                {
                    var rows = await store.ListAsync(column, after, 500, ct).ConfigureAwait(false);
                    all.UnionWith(rows.SelectMany(r => VaultColumn.KeyIdsIn(r.Value)));
                    if (rows.Count < 500)
                    {
                        break;
                    }

                    after = rows[^1].Key;
                }

                ids = all;
            }

            foreach (var id in ids)
            {
                (found.TryGetValue(id, out var columns) ? columns : found[id] = []).Add(column.Name);
            }
        }

        return found.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value, StringComparer.Ordinal);
    }

    /// <summary>The key ids in use that the key ring does not hold (each with where it was found); empty when all are configured.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindMissingKeyIdsAsync(CancellationToken ct)
    {
        var inUse = await FindKeyIdsInUseAsync(ct).ConfigureAwait(false);
        return inUse.Where(k => !vault.KeyRing.KeyIds.Contains(k.Key)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
    }

    private static (int Column, IReadOnlyList<string>? After) Parse(string? cursor, string active)
    {
        var parts = (cursor ?? string.Empty).Split('\n');
        if (parts.Length < 2 || parts[0] != active || parts[1] == Done)
        {
            return (0, null); // nothing saved, a pass under another key, or a finished pass: from the start
        }

        var index = VaultColumn.All.ToList().FindIndex(c => c.Name == parts[1]);
        if (index < 0)
        {
            return (0, null);
        }

        return (index, parts.Length > 2 && parts[2].Length > 0 ? parts[2].Split(Separator) : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Vault re-encryption: {Column}, {Rows} rows in this batch; {Examined} examined and {Rewrapped} re-wrapped under {ActiveKeyId} so far")]
    private static partial void LogBatch(ILogger logger, string column, int rows, long examined, long rewrapped, string activeKeyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vault re-encryption complete: every stored secret is under {ActiveKeyId} ({Examined} rows examined, {Rewrapped} re-wrapped in this run)")]
    private static partial void LogCompleted(ILogger logger, string activeKeyId, long examined, long rewrapped);
}

/// <summary>Secrets in the database under vault key ids that are not configured.</summary>
public sealed class VaultKeysMissingException(IReadOnlyDictionary<string, IReadOnlyList<string>> missing)
    : CryptographicException($"The database holds secrets under vault key id{(missing.Count == 1 ? string.Empty : "s")} {string.Join(", ", missing.Keys.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))} (in {string.Join(", ", missing.Values.SelectMany(v => v).Distinct().Order(StringComparer.Ordinal))}), which PaymentGateway:Vault:Keys or the key file (PaymentGateway:Vault:KeyFile) does not hold: add {(missing.Count == 1 ? "it" : "them")} back; retire a key only after `host vault rewrap` (docs/operations.md, Vault key rotation).");
