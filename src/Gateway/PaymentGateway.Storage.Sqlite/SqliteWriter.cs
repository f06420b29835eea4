using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// The single writer. Concurrent write requests queue up; the writer takes everything waiting (up to a batch limit),
/// runs each in its own SAVEPOINT inside one transaction, and commits once: one fsync (synchronous=FULL) for the
/// whole group. A failing unit rolls back to its savepoint alone and gets its own exception; the others commit.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly int _busyTimeoutMs;

    public SqliteWriter(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");

        // Checkpoints run beside the writer, not inside a commit (see SqliteCheckpointer); the writer finishes one between
        // two commits when the WAL has grown long, so that the next commit restarts it. Another process holding the
        // write lock is waited for in SQLite's busy handler rather than in the driver's coarser retry loop. The WAL file
        // is cut back to 64 MB when it restarts.
        Execute("PRAGMA wal_autocheckpoint=0;");
        _busyTimeoutMs = new SqliteConnectionStringBuilder(connectionString).DefaultTimeout * 1000;
        Execute("PRAGMA busy_timeout=" + _busyTimeoutMs + ";");
        Execute("PRAGMA journal_size_limit=67108864;");

        // Savepoint sub-journals (one per unit in a group commit) stay in memory instead of a temporary file each.
        Execute("PRAGMA temp_store=MEMORY;");
        _checkpointer = new SqliteCheckpointer(connectionString);

        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public long Commits { get; private set; }

    public long Units { get; private set; }

    /// <summary>Background checkpoints run so far.</summary>
    public long Checkpoints => _checkpointer.Checkpoints;

    /// <summary>Restarting checkpoints the writer ran between commits, and those that completed (the WAL restarted).</summary>
    public (long Attempts, long Completed) RestartCheckpoints => (_checkpointer.Attempts, _checkpointer.Completed);

    /// <summary>Runs <paramref name="work"/> atomically inside the next group commit.</summary>
    public Task<T> WriteAsync<T>(Func<WriterContext, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new WorkItem<T>(work);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter));
        }

        return item.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<WorkItem>(MaxBatch);
        var context = new WriterContext(this);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            // Per unit: Pending until it runs, Ran when its savepoint was released, Failed once told so.
            var states = new UnitState[batch.Count];
            try
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                context.Transaction = transaction;
                for (var i = 0; i < batch.Count; i++)
                {
                    Execute("SAVEPOINT unit;", transaction);
                    try
                    {
                        batch[i].Run(context);
                        Execute("RELEASE unit;", transaction);
                        states[i] = UnitState.Ran;
                    }
                    catch (Exception e)
                    {
                        states[i] = UnitState.Failed;
                        batch[i].Fail(e);
                        Execute("ROLLBACK TO unit;", transaction);
                        Execute("RELEASE unit;", transaction);
                    }
                }

                transaction.Commit();
                Commits++;
                Units += batch.Count;
                _checkpointer.Notify();
            }
            catch (Exception e)
            {
                // The transaction as a whole failed (could not begin, roll back a unit, or commit): nothing in this
                // batch was written, so every unit not yet told it failed is told now. No caller is left waiting.
                for (var i = 0; i < batch.Count; i++)
                {
                    if (states[i] != UnitState.Failed)
                    {
                        batch[i].Fail(e);
                        states[i] = UnitState.Failed;
                    }
                }
            }
            finally
            {
                context.Transaction = null;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                if (states[i] == UnitState.Ran)
                {
                    batch[i].Succeed();
                }
            }

            if (_checkpointer.RestartWanted)
            {
                // After the callers were told: the units queued meanwhile wait for the last frames' copy (and at most a
                // few milliseconds for readers), not them.
                _checkpointer.CompleteOnWriter(_connection, _busyTimeoutMs);
            }
        }
    }

    internal SqliteCommand Command(string sql, SqliteTransaction? transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    private void Execute(string sql, SqliteTransaction? transaction = null) => Command(sql, transaction).ExecuteNonQuery();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private enum UnitState
    {
        Pending,
        Ran,
        Failed,
    }

    private abstract class WorkItem
    {
        public abstract void Run(WriterContext context);

        public abstract void Fail(Exception e);

        public abstract void Succeed();
    }

    private sealed class WorkItem<T>(Func<WriterContext, T> work) : WorkItem
    {
        private Box? _result;

        private sealed record Box(T Value);

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(WriterContext context) => _result = new Box(work(context));

        public override void Fail(Exception e) => Completion.TrySetException(e);

        public override void Succeed()
        {
            if (_result is not null)
            {
                Completion.TrySetResult(_result.Value);
            }
        }
    }
}

/// <summary>What a unit of work sees: prepared, cached commands bound to the open transaction.</summary>
internal sealed class WriterContext(SqliteWriter writer)
{
    public SqliteTransaction? Transaction { get; set; }

    public SqliteCommand Command(string sql) => writer.Command(sql, Transaction);
}
