using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Moves committed WAL frames into the database file off the writer's path. SQLite's automatic checkpoint runs inside
/// the commit that crosses 1,000 WAL pages, on the writer's connection: every group commit queued behind it waits for
/// the page copy and the database file's fsync. The writer turns that off (<c>wal_autocheckpoint=0</c>) and tells this
/// class after each commit; a <c>PASSIVE</c> checkpoint then runs on its own connection at most once per
/// <see cref="Interval"/>, concurrently with the writer (WAL mode allows one checkpointer beside one writer).
/// <para>
/// A passive checkpoint never restarts the WAL while readers and the writer keep going (measured: it grew to 590 MB in
/// a test of 40,000 commits beside four readers, and to 16 GB in a 3-minute benchmark; SQLite's automatic checkpoint
/// does no better, 290 MB in the same test). So once the WAL holds <see cref="RestartFrames"/> frames, the checkpoint
/// is a <c>RESTART</c>: it holds the write lock while it copies the last frames and waits (busy timeout) for readers
/// still on old frames, so the next commit starts the WAL from its beginning. The writer waits for it in its busy
/// handler, a few milliseconds every ~16 MB of WAL.
/// </para>
/// What is durable, and when, does not change: a commit is durable when its WAL frames are synced; a checkpoint only
/// moves data that is already durable.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>The least time between two checkpoints while commits keep coming.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>WAL frames (about 16 MB of 4 KB pages) from which a checkpoint also restarts the WAL.</summary>
    public const long RestartFrames = 4000;

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
        using (var timeout = _connection.CreateCommand())
        {
            // How long a RESTART waits for readers still on old frames (they finish in milliseconds).
            timeout.CommandText = "PRAGMA busy_timeout=2000;";
            timeout.ExecuteNonQuery();
        }

        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints run so far.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    private long _checkpoints;
    private long _restarts;

    /// <summary>Checkpoints that restarted the WAL.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

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
            long walFrames;
            using (var command = _connection.CreateCommand())
            {
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                using var reader = command.ExecuteReader();

                // Columns: busy, frames in the WAL, frames checkpointed.
                walFrames = reader.Read() ? reader.GetInt64(1) : 0;
            }

            if (walFrames >= RestartFrames)
            {
                using var restart = _connection.CreateCommand();
                restart.CommandText = "PRAGMA wal_checkpoint(RESTART);";
                restart.ExecuteNonQuery();
                Interlocked.Increment(ref _restarts);
            }

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
