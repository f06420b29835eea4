using Npgsql;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// One PostgreSQL database and what every store of the engine shares: the pooled <see cref="NpgsqlDataSource"/>, for
/// several stateless gateway nodes on one database. Every operation is a short transaction on a pooled connection;
/// nothing is cached in process memory, so any node can serve any request. Objects are stored as JSON in a <c>data</c>
/// column with the columns that queries need beside it; versions are checked with conditional updates
/// (<c>WHERE version = $v</c>), which under row locks makes exactly one of two concurrent writers win, whichever node
/// they run on.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresGroupCommitter? _groupCommitter;
    private int _disposed;

    /// <summary>Opens a pooled data source on <paramref name="connectionString"/> (with <see cref="WithEngineDefaults"/>); disposed with this object.</summary>
    public PostgresDatabase(string connectionString)
        : this(NpgsqlDataSource.Create(WithEngineDefaults(connectionString)), ownsDataSource: true)
    {
    }

    /// <summary>
    /// Opens a pooled data source on <paramref name="connectionString"/>; with <paramref name="groupCommitWriters"/> above
    /// zero, change sets without audit entries are committed in groups by that many writer loops
    /// (<see cref="PostgresGroupCommitter"/>), else each in its own transaction.
    /// </summary>
    public PostgresDatabase(string connectionString, int groupCommitWriters)
        : this(connectionString)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(groupCommitWriters);
        if (groupCommitWriters > 0)
        {
            _groupCommitter = new PostgresGroupCommitter(_dataSource, groupCommitWriters);
        }
    }

    /// <summary>
    /// The connection settings the engine relies on, over the operator's: <c>No Reset On Close</c>, because no store
    /// changes session state (no <c>SET</c>, temporary tables, <c>LISTEN</c> or session advisory locks; transactions end
    /// before a connection goes back to the pool), so the <c>DISCARD ALL</c> Npgsql otherwise sends when a pooled
    /// connection is reused (four per one-shot payment, measured) is work for nothing. <c>Include Failed Batched
    /// Command</c>, so that a failed version check names its statement (<see cref="CheckedBatch.VersionConflictOf"/>);
    /// the exception that carries it never leaves the engine: it becomes <see cref="ConcurrencyConflictException"/>.
    /// Unless the operator set them: <c>Max Auto Prepare=256</c> and <c>Auto Prepare Min Usages=2</c>, so the statements
    /// every payment runs are parsed and planned once per connection, not on every execution (parsing and planning were
    /// 37 % of the server's CPU per payment; one-shot payments 950 → 1,676/s, bench/RESULTS.md 2026-12-07 20:40). Every
    /// statement names its columns, so a migration that adds a column does not change a prepared statement's result.
    /// </summary>
    public static string WithEngineDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true, IncludeFailedBatchedCommand = true };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>Statements each pooled connection keeps prepared (least recently used first out) unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 256;

    /// <summary>Uses <paramref name="dataSource"/>; disposes it with this object only when <paramref name="ownsDataSource"/>.</summary>
    public PostgresDatabase(NpgsqlDataSource dataSource, bool ownsDataSource = false)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Group commits and the change sets they carried, when change sets are committed in groups; else null.</summary>
    public (long Commits, long Units)? GroupCommitStatistics => _groupCommitter?.Statistics;

    /// <summary>The primary key of idempotency_keys (merchant_id, key), as PostgreSQL names it.</summary>
    private const string IdempotencyKeysPrimaryKey = "idempotency_keys_pkey";

    internal ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    internal async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="batch"/> as one transaction in one round trip and commits it only if every version-checked
    /// update touched its row; otherwise nothing is written and <see cref="ConcurrencyConflictException"/> names the
    /// first that did not. A driver error for which <paramref name="conflictOn"/> names an object (a duplicate key, a
    /// deadlock) is the same conflict, and a claimed idempotency key that exists is
    /// <see cref="IdempotencyKeyTakenException"/>: the transaction was rolled back whole.
    /// </summary>
    /// <remarks>
    /// Without an explicit transaction, the statements of a batch run in one implicit transaction that PostgreSQL
    /// commits at the end of the batch (one Sync) or rolls back at the first error: one round trip and one commit per
    /// change set, where BEGIN … COMMIT with a look at the row counts in between took two.
    /// </remarks>
    internal async Task ExecuteAsync(CheckedBatch batch, Func<PostgresException, string?> conflictOn, CancellationToken cancellationToken)
    {
        if (batch.Commands.Count == 0 && batch.Audit.Count == 0)
        {
            return;
        }

        if (batch.Audit.Count == 0 && _groupCommitter is { } groupCommitter)
        {
            await groupCommitter.ExecuteAsync(batch, e => FailureOf(batch, e, conflictOn), cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // With audit entries: BEGIN, the batch, the entries (they take the chain's advisory lock and read its head, so
        // they need the answer of a statement), COMMIT — two round trips more, on admin writes only.
        await using var transaction = batch.Audit.Count == 0 ? null : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var npgsqlBatch = new NpgsqlBatch(connection, transaction);
        foreach (var command in batch.Commands)
        {
            npgsqlBatch.BatchCommands.Add(command);
        }

        try
        {
            if (npgsqlBatch.BatchCommands.Count > 0)
            {
                await npgsqlBatch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (transaction is not null)
            {
                await PostgresAuditLog.AppendAsync(connection, transaction, batch.Audit, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PostgresException e) when (FailureOf(batch, e, conflictOn) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>What the failure <paramref name="e"/> of <paramref name="batch"/> means to its caller, or null: the driver's exception stands.</summary>
    private static Exception? FailureOf(CheckedBatch batch, PostgresException e, Func<PostgresException, string?> conflictOn)
    {
        if (batch.VersionConflictOf(e) is { } id)
        {
            return new ConcurrencyConflictException(id);
        }

        if (batch.ClaimedKey is { } key && e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == IdempotencyKeysPrimaryKey)
        {
            return new IdempotencyKeyTakenException(key);
        }

        return conflictOn(e) is { } conflict ? new ConcurrencyConflictException(conflict) : null;
    }

    internal async Task<T?> QuerySingleAsync<T>(string sql, IReadOnlyList<NpgsqlParameter> parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(p);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
    }

    internal async Task<IReadOnlyList<T>> QueryListAsync<T>(string sql, IReadOnlyList<NpgsqlParameter> parameters, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken) =>
        await ReadRowsAsync(sql, parameters, read, cancellationToken).ConfigureAwait(false);

    /// <summary>One page of <paramref name="table"/> as <see cref="ListPage"/> says, after the caller's filters in <paramref name="sql"/>.</summary>
    internal Task<IReadOnlyList<T>> ListAsync<T>(string table, string columns, SqlFilter sql, ListQuery query, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken) =>
        ListAsync(table, columns, sql, query, idPrefix: null, read, cancellationToken);

    /// <summary>
    /// As above, for a table whose ids are minted at creation with <paramref name="idPrefix"/>: a created range also
    /// bounds the id, so the page is read through the id index (<see cref="CreatedIdRange"/>).
    /// </summary>
    internal async Task<IReadOnlyList<T>> ListAsync<T>(string table, string columns, SqlFilter sql, ListQuery query, string? idPrefix,
        Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var page = ListPage.For(query, idPrefix);
        foreach (var condition in page.Conditions)
        {
            sql.Add($"{condition.Column} {condition.Operator} {{0}}", P(condition.Value));
        }

        var limit = sql.Parameter(P(page.Limit));
        var text = $"SELECT {columns} FROM {table} WHERE {sql.Where} ORDER BY id {page.IdOrder} LIMIT {limit};";
        return page.InListOrder(await ReadRowsAsync(text, sql.Parameters, read, cancellationToken).ConfigureAwait(false));
    }

    private async Task<List<T>> ReadRowsAsync<T>(string sql, IReadOnlyList<NpgsqlParameter> parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(p);
        }

        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(read(reader));
        }

        return results;
    }

    /// <summary>Disposes the data source if this object owns it; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_groupCommitter is not null)
        {
            await _groupCommitter.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}
