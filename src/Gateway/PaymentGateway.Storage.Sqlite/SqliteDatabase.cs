using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// One SQLite database file and what every store of the engine shares: the single writer with its group commit
/// (<see cref="SqliteWriter"/>) and the read sessions (<see cref="SqliteReaders"/>). Reads use pooled connections
/// (WAL lets them run beside the writer); every write goes through the writer. Objects are stored as JSON in a
/// <c>data</c> column with the columns that queries need beside it; versions are checked with conditional updates.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaders _readers;
    private static readonly string[] PageParameters = ["$page0", "$page1", "$page2", "$page3", "$page4", "$page5"];
    private int _disposed;

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="busyTimeout">How long a statement waits for a lock held by another process before failing (default 30 s).</param>
    public SqliteDatabase(string databasePath, TimeSpan? busyTimeout = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Max(1, (busyTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds),
        }.ToString();
        _writer = new SqliteWriter(_connectionString);
        _readers = new SqliteReaders(_connectionString);
    }

    public string DatabasePath => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <summary>Group-commit statistics: transactions committed and units of work in them.</summary>
    public (long Commits, long Units) WriterStatistics => (_writer.Commits, _writer.Units);

    /// <summary>Checkpoints run beside the writer so far (see <see cref="SqliteCheckpointer"/>).</summary>
    public long Checkpoints => _writer.Checkpoints;

    /// <summary>Restarting checkpoints the writer ran between two commits, and those that completed (the WAL started again from its beginning).</summary>
    public (long Attempts, long Completed) RestartCheckpoints => _writer.RestartCheckpoints;

    /// <summary>Runs <paramref name="work"/> atomically inside the writer's next group commit.</summary>
    /// <summary>The single writer, for stores that batch their own units (console, audit).</summary>
    internal SqliteWriter Writer => _writer;

    /// <summary>The connection string for reads outside the pooled read sessions.</summary>
    internal string ConnectionString => _connectionString;

    internal Task<T> WriteAsync<T>(Func<WriterContext, T> work, CancellationToken cancellationToken) => _writer.WriteAsync(work, cancellationToken);

    /// <summary>
    /// Writes <paramref name="changes"/> as one writer unit: a unique-constraint violation (another writer stored one of
    /// its new objects first) leaves nothing of it written and is a conflict on <see cref="IChangeSet.ConflictObjectId"/>;
    /// after the commit the set's updated copies move to their stored versions.
    /// </summary>
    internal async Task CommitChangesAsync(IChangeSet changes, Action<WriterContext> write, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.WriteAsync(ctx =>
            {
                write(ctx);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteRows.ConstraintError)
        {
            throw new ConcurrencyConflictException(changes.ConflictObjectId);
        }

        changes.MarkCommitted();
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    internal async Task<T?> QuerySingleAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var session = _readers.Rent();
        var command = session.Command(sql);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
    }

    internal async Task<IReadOnlyList<T>> QueryListAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        await ReadRowsAsync(sql, bind, read, cancellationToken).ConfigureAwait(false);

    /// <summary>One page of <paramref name="table"/> as <see cref="ListPage"/> says, after the caller's <paramref name="filters"/>.</summary>
    internal Task<IReadOnlyList<T>> ListAsync<T>(string table, string columns, List<string> filters, ListQuery query, Action<SqliteCommand> bind,
        Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        ListAsync(table, columns, filters, query, idPrefix: null, bind, read, cancellationToken);

    /// <summary>
    /// As above, for a table whose ids are minted at creation with <paramref name="idPrefix"/>: a created range also
    /// bounds the id, so the page is read through the id index (<see cref="CreatedIdRange"/>).
    /// </summary>
    internal async Task<IReadOnlyList<T>> ListAsync<T>(string table, string columns, List<string> filters, ListQuery query, string? idPrefix,
        Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var page = ListPage.For(query, idPrefix);
        for (var i = 0; i < page.Conditions.Count; i++)
        {
            filters.Add($"{page.Conditions[i].Column} {page.Conditions[i].Operator} {PageParameters[i]}");
        }

        var sql = $"SELECT {columns} FROM {table} WHERE {string.Join(" AND ", filters)} ORDER BY id {page.IdOrder} LIMIT $limit;";
        var rows = await ReadRowsAsync(sql, c =>
        {
            bind(c);
            for (var i = 0; i < page.Conditions.Count; i++)
            {
                c.Parameters.AddWithValue(PageParameters[i], page.Conditions[i].Value);
            }

            c.Parameters.AddWithValue("$limit", page.Limit);
        }, read, cancellationToken).ConfigureAwait(false);
        return page.InListOrder(rows);
    }

    private async Task<List<T>> ReadRowsAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var session = _readers.Rent();
        var command = session.Command(sql);
        bind(command);
        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(read(reader));
        }

        return results;
    }

    /// <summary>Stops the writer after the work queued so far and closes every connection; idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _readers.Dispose();
        return _writer.DisposeAsync();
    }
}
