using System.Globalization;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Audit;

/// <summary>The result of walking the chain.</summary>
public sealed record AuditVerification(bool Valid, long Entries, string HeadHash, long? BrokenAt = null, string? BrokenId = null, string? Problem = null);

/// <summary>
/// Reading the audit trail: the console's list (owners and finance; scoped to the merchants their grants cover), the
/// admin API's list, CSV export, and verification of the hash chain.
/// </summary>
public sealed class AuditService(IAuditStore store, IConsoleStore consoleStore, TimeProvider time)
{
    public const int MaxLimit = 100;

    public Task<IReadOnlyList<AuditEntry>> ListAsync(ConsoleCaller caller, AuditQuery query, CancellationToken ct)
    {
        caller.DemandAnywhere(ConsolePermission.ViewAudit);
        return store.ListAsync(Scoped(caller, query), ct);
    }

    /// <summary>For the admin key: everything.</summary>
    public Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken ct) => store.ListAsync(Bounded(query), ct);

    /// <summary>Writes the caller's filtered entries as CSV (up to <paramref name="maxRows"/>), and audits the export itself.</summary>
    public async Task ExportCsvAsync(ConsoleCaller caller, AuditQuery query, TextWriter output, int maxRows, CancellationToken ct)
    {
        var role = caller.DemandAnywhere(ConsolePermission.ViewAudit);
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(new AuditRecord
        {
            Created = time.GetUtcNow(),
            Action = ConsoleAudit.AuditExported,
            Actor = caller.Actor(role),
            After = new Dictionary<string, string?>
            {
                ["action"] = query.Action,
                ["actor_id"] = query.ActorId,
                ["target_id"] = query.TargetId,
                ["merchant_id"] = query.MerchantId,
                ["created_gte"] = query.CreatedGte?.ToString("O", CultureInfo.InvariantCulture),
                ["created_lt"] = query.CreatedLt?.ToString("O", CultureInfo.InvariantCulture),
            },
            Context = caller.Context,
        });
        await consoleStore.CommitAsync(changes, ct).ConfigureAwait(false);

        await output.WriteLineAsync("id,sequence,created,action,outcome,actor_type,actor_id,actor_email,actor_role,merchant_id,target_type,target_id,before,after,ip,user_agent,request_id,hash").ConfigureAwait(false);
        var scoped = Scoped(caller, query) with { Limit = MaxLimit, EndingBefore = null };
        var written = 0;
        while (written < maxRows)
        {
            var page = await store.ListAsync(scoped, ct).ConfigureAwait(false);
            foreach (var entry in page.Take(maxRows - written))
            {
                await output.WriteLineAsync(CsvLine(entry)).ConfigureAwait(false);
                written++;
            }

            if (page.Count < scoped.Limit)
            {
                break;
            }

            scoped = scoped with { StartingAfter = page[^1].Id };
        }
    }

    /// <summary>Walks the whole chain in order: every entry's hash must follow from the previous hash and its canonical text, and positions must be consecutive.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        var previous = AuditChain.Genesis;
        long expected = 1;
        long count = 0;
        while (true)
        {
            var page = await store.ReadChainAsync(expected - 1, 1000, ct).ConfigureAwait(false);
            foreach (var entry in page)
            {
                string? problem = null;
                if (entry.Sequence != expected)
                {
                    problem = $"expected position {expected}, found {entry.Sequence} (an entry is missing)";
                }
                else if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal))
                {
                    problem = "its previous hash does not match the entry before it";
                }
                else if (!string.Equals(AuditChain.Hash(previous, entry.Canonical), entry.Hash, StringComparison.Ordinal))
                {
                    problem = "its content does not match its hash (changed after it was written)";
                }
                else if (!string.Equals(AuditChain.Canonical(entry.Sequence, entry.Record), entry.Canonical, StringComparison.Ordinal))
                {
                    problem = "its indexed columns do not match its content";
                }

                if (problem is not null)
                {
                    return new AuditVerification(false, count, previous, entry.Sequence, entry.Id, problem);
                }

                previous = entry.Hash;
                expected++;
                count++;
            }

            if (page.Count < 1000)
            {
                return new AuditVerification(true, count, previous);
            }
        }
    }

    public static string CsvLine(AuditEntry entry)
    {
        var r = entry.Record;
        string[] fields =
        [
            r.Id, entry.Sequence.ToString(CultureInfo.InvariantCulture), r.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            r.Action, r.Outcome, AuditChain.ActorType(r.Actor.Type), r.Actor.Id ?? string.Empty, r.Actor.Email ?? string.Empty, r.Actor.Role ?? string.Empty,
            r.MerchantId ?? string.Empty, r.TargetType ?? string.Empty, r.TargetId ?? string.Empty, Summary(r.Before), Summary(r.After),
            r.Context.Ip ?? string.Empty, r.Context.UserAgent ?? string.Empty, r.Context.RequestId ?? string.Empty, entry.Hash,
        ];
        return string.Join(',', fields.Select(Csv));
    }

    public static string Summary(IReadOnlyDictionary<string, string?>? summary) =>
        summary is null ? string.Empty : string.Join("; ", summary.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value ?? "null"}"));

    private static AuditQuery Scoped(ConsoleCaller caller, AuditQuery query)
    {
        var scope = caller.MerchantsAllowing(ConsolePermission.ViewAudit);
        return Bounded(scope is null ? query : query with { MerchantScope = scope });
    }

    private static AuditQuery Bounded(AuditQuery query) => query with { Limit = Math.Clamp(query.Limit, 1, MaxLimit + 1) };

    /// <summary>RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula.</summary>
    private static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
