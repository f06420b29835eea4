using Npgsql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// The statements of one transaction, some of them version-checked updates: <see cref="PostgresDatabase.ExecuteAsync(CheckedBatch, Func{PostgresException, string}, CancellationToken)"/>
/// sends them as one <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction) that commits only if every
/// checked update touched its row.
/// </summary>
internal sealed class CheckedBatch
{
    public List<NpgsqlBatchCommand> Commands { get; } = [];

    public List<(NpgsqlBatchCommand Command, string Id)> VersionChecks { get; } = [];

    /// <summary>The idempotency key this batch claims, if any: a unique violation on it is <see cref="Core.Storage.IdempotencyKeyTakenException"/>.</summary>
    public string? ClaimedKey { get; private set; }

    /// <summary>
    /// Audit entries recording this batch's changes: <see cref="PostgresDatabase.ExecuteAsync(CheckedBatch, Func{PostgresException, string?}, CancellationToken)"/>
    /// then runs the batch in an explicit transaction and appends them (under the chain's lock) before it commits.
    /// </summary>
    public List<Core.Audit.AuditRecord> Audit { get; } = [];

    public void Add(NpgsqlBatchCommand command) => Commands.Add(command);

    /// <summary>
    /// Replaces every statement with a fresh copy (same text, cloned parameters) before the batch is sent again after a
    /// failed send. A statement object remembers the prepared statement it was bound to on its last connection; with
    /// auto-preparation on, sending it again, on another connection or after a failure skipped its Parse, fails with
    /// <c>26000 prepared statement "_autoN" does not exist</c> (npgsql/npgsql#6432).
    /// </summary>
    public void Renew()
    {
        for (var i = 0; i < Commands.Count; i++)
        {
            var old = Commands[i];
            var fresh = new NpgsqlBatchCommand(old.CommandText);
            foreach (NpgsqlParameter parameter in old.Parameters)
            {
                fresh.Parameters.Add(parameter.Clone());
            }

            Commands[i] = fresh;
            var check = VersionChecks.FindIndex(c => ReferenceEquals(c.Command, old));
            if (check >= 0)
            {
                VersionChecks[check] = (fresh, VersionChecks[check].Id);
            }
        }
    }

    /// <summary>Adds the insert of an idempotency key's first claim.</summary>
    public void AddClaim(NpgsqlBatchCommand command, string key)
    {
        Commands.Add(command);
        ClaimedKey = key;
    }

    /// <summary>
    /// Adds an update that must change exactly one row, else the whole batch is a conflict on <paramref name="id"/>. The
    /// check runs in the database, in the same statement: the update becomes
    /// <c>WITH checked AS (UPDATE … RETURNING 1) SELECT 1 / count(*)::int FROM checked</c>, which fails with
    /// <c>division_by_zero</c> when no row matched, and a failed statement aborts the batch's transaction. So the batch
    /// needs no look at row counts before its commit, and is sent and committed in one round trip.
    /// </summary>
    public void AddVersionChecked(NpgsqlBatchCommand command, string id)
    {
        command.CommandText = $"WITH checked AS ({command.CommandText.TrimEnd().TrimEnd(';')} RETURNING 1) SELECT 1 / count(*)::int FROM checked;";
        Commands.Add(command);
        VersionChecks.Add((command, id));
    }

    /// <summary>
    /// The object whose version check failed, when <paramref name="e"/> is that failure: the failed statement's, when
    /// the data source includes it (<c>Include Failed Batched Command</c>, set by
    /// <see cref="PostgresDatabase.WithEngineDefaults"/>), else the batch's first checked object.
    /// </summary>
    public string? VersionConflictOf(PostgresException e)
    {
        if (e.SqlState != PostgresErrorCodes.DivisionByZero || VersionChecks.Count == 0)
        {
            return null;
        }

        if (e.BatchCommand is null)
        {
            return VersionChecks[0].Id;
        }

        foreach (var (command, id) in VersionChecks)
        {
            if (ReferenceEquals(command, e.BatchCommand))
            {
                return id;
            }
        }

        return null;
    }
}
