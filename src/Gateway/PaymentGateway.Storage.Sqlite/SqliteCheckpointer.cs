using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Moves committed WAL frames into the database file off the writer's path. SQLite's automatic checkpoint runs inside
/// the commit that crosses 1,000 WAL pages, on the writer's connection: every group commit queued behind it waits for
/// the page copy and the database file's fsync. The writer turns that off (<c>wal_autocheckpoint=0</c>) and tells this
/// class after each commit; a <c>PASSIVE</c> checkpoint then runs on its own connection at most once per
/// <see cref="Interval"/>, concurrently with the writer (WAL mode allows one checkpointer beside one writer). It is the
/// same kind of checkpoint the automatic one is, so what is durable, and when, does not change: a commit is durable
/// when its WAL frames are synced; the checkpoint only moves data that is already durable.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>The least time between two checkpoints while commits keep coming.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly SqliteConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SqliteCheckpointer(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints run so far.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    private long _checkpoints;

    /// <summary>Called by the writer after a commit: a checkpoint will follow within <see cref="Interval"/>.</summary>
    public void Notify() => _signal.Writer.TryWrite(true);

    private async Task RunAsync()
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                Checkpoint();
                await Task.Delay(Interval, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>One PASSIVE checkpoint: copies what it can without waiting for readers or the writer.</summary>
    public void Checkpoint()
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
            Interlocked.Increment(ref _checkpoints);
        }
        catch (SqliteException)
        {
            // A checkpoint that cannot run now (an I/O error, the file locked by another process) loses nothing: the
            // frames stay in the WAL, which readers and recovery use, and the next commit asks again.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _signal.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
