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

    public void Add(NpgsqlBatchCommand command) => Commands.Add(command);

    /// <summary>Adds an update that must change exactly one row, else the whole batch is a conflict on <paramref name="id"/>.</summary>
    public void AddVersionChecked(NpgsqlBatchCommand command, string id)
    {
        Commands.Add(command);
        VersionChecks.Add((command, id));
    }
}
