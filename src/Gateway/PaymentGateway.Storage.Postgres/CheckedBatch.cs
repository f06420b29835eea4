using Npgsql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// The statements of one transaction, some of them version-checked updates: <see cref="PostgresDatabase.ExecuteAsync(CheckedBatch, Func{PostgresException, string}, CancellationToken)"/>
/// sends them as one <see cref="NpgsqlBatch"/> and commits only if every checked update touched its row.
/// </summary>
internal sealed class CheckedBatch
{
    public List<NpgsqlBatchCommand> Commands { get; } = [];

    public List<(NpgsqlBatchCommand Command, string Id)> VersionChecks { get; } = [];

    /// <summary>The idempotency key this batch claims, if any: a unique violation on it is <see cref="Core.Storage.IdempotencyKeyTakenException"/>.</summary>
    public string? ClaimedKey { get; private set; }

    public void Add(NpgsqlBatchCommand command) => Commands.Add(command);

    /// <summary>Adds the insert of an idempotency key's first claim.</summary>
    public void AddClaim(NpgsqlBatchCommand command, string key)
    {
        Commands.Add(command);
        ClaimedKey = key;
    }

    /// <summary>Adds an update that must change exactly one row, else the whole batch is a conflict on <paramref name="id"/>.</summary>
    public void AddVersionChecked(NpgsqlBatchCommand command, string id)
    {
        Commands.Add(command);
        VersionChecks.Add((command, id));
    }
}
