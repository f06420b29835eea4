using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Group commit on PostgreSQL, the scheme of the SQLite writer: concurrent change sets queue up; a writer loop takes
/// everything waiting (up to a limit) and sends the statements of all of them as one <see cref="NpgsqlBatch"/> — one
/// round trip, one implicit transaction, one commit (one WAL flush; <c>synchronous_commit</c> is left as the server
/// has it). Each caller is answered once that commit is known.
/// </summary>
/// <remarks>
/// <para>A failing statement aborts the whole group's transaction, so nothing of it was written. The statement is
/// named by the server (<c>Include Failed Batched Command</c>): its change set alone is answered with its failure (a
/// version conflict, a claimed idempotency key, whatever its store maps the error to), and the rest are sent again as
/// a group — they are exactly as unwritten as before. A deadlock or serialization failure is not the named statement's
/// fault in a group (the group holds more locks than the change set would alone): every change set of such a group is
/// then sent alone, and answered as it would have been without grouping. An error that names no statement (the
/// connection broke, the commit's outcome is unknown) is every change set's answer, as it would be for each alone.</para>
/// <para>Change sets touching the same rows in one group are applied in queue order, as if committed one after the
/// other: a second version-checked update of the same row fails its check, a second claim of the same key is taken.</para>
/// </remarks>
internal sealed class PostgresGroupCommitter : IAsyncDisposable
{
    /// <summary>Change sets per group at most, and statements per group at most (a group stops growing at either).</summary>
    private const int MaxUnits = 128;

    private const int MaxCommands = 2048;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _loops;
    private long _commits;
    private long _units;

    public PostgresGroupCommitter(NpgsqlDataSource dataSource, int writers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _dataSource = dataSource;
        _loops = new Task[writers];
        for (var i = 0; i < writers; i++)
        {
            _loops[i] = Task.Run(RunAsync);
        }
    }

    /// <summary>Group commits so far, and the change sets they carried (units ÷ commits = the mean group size).</summary>
    public (long Commits, long Units) Statistics => (Interlocked.Read(ref _commits), Interlocked.Read(ref _units));

    /// <summary>Commits <paramref name="batch"/> in the next group; throws what the batch would have thrown alone.</summary>
    public Task ExecuteAsync(CheckedBatch batch, Func<PostgresException, Exception?> failureOf, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var unit = new Unit(batch, failureOf, cancellationToken);
        if (!_queue.Writer.TryWrite(unit))
        {
            throw new ObjectDisposedException(nameof(PostgresGroupCommitter));
        }

        return unit.Completion.Task;
    }

    private async Task RunAsync()
    {
        var group = new List<Unit>(MaxUnits);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var commands = 0;
            while (group.Count < MaxUnits && commands < MaxCommands && _queue.Reader.TryRead(out var unit))
            {
                if (unit.CancellationToken.IsCancellationRequested)
                {
                    unit.Completion.TrySetCanceled(unit.CancellationToken);
                    continue;
                }

                group.Add(unit);
                commands += unit.Batch.Commands.Count;
            }

            if (group.Count == 0)
            {
                continue;
            }

            // The driver's span of the group's round trip belongs to the trace of the group's first change set (of the
            // only one, when there is no contention); the others' traces show their wait in the store's own span.
            Activity.Current = group[0].Activity;
            try
            {
                await CommitAsync(group).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Not expected (CommitAsync answers every unit itself); no caller is left waiting all the same.
                foreach (var unit in group)
                {
                    unit.Completion.TrySetException(e);
                }
            }
            finally
            {
                Activity.Current = null;
            }
        }
    }

    /// <summary>Commits <paramref name="group"/>, taking out a failing change set and sending the rest again.</summary>
    private async Task CommitAsync(List<Unit> group)
    {
        var pending = group;
        while (pending.Count > 0)
        {
            var failed = await TryCommitAsync(pending).ConfigureAwait(false);
            if (failed is null)
            {
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _units, pending.Count);
                foreach (var unit in pending)
                {
                    unit.Completion.TrySetResult();
                }

                return;
            }

            var (error, culprit) = failed.Value;
            if (culprit < 0)
            {
                // Named no statement (the connection, the commit itself): the outcome is each one's answer.
                foreach (var unit in pending)
                {
                    unit.Completion.TrySetException(Translate(unit, error));
                }

                return;
            }

            if (pending.Count > 1 && error is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
            {
                // A deadlock or serialization failure of the group: each change set alone, as without grouping.
                foreach (var unit in pending)
                {
                    await CommitAloneAsync(unit).ConfigureAwait(false);
                }

                return;
            }

            pending[culprit].Completion.TrySetException(Translate(pending[culprit], error));
            pending = [.. pending.Where((_, i) => i != culprit)];
        }
    }

    private async Task CommitAloneAsync(Unit unit)
    {
        Activity.Current = unit.Activity;
        var failed = await TryCommitAsync([unit]).ConfigureAwait(false);
        if (failed is null)
        {
            Interlocked.Increment(ref _commits);
            Interlocked.Increment(ref _units);
            unit.Completion.TrySetResult();
        }
        else
        {
            unit.Completion.TrySetException(Translate(unit, failed.Value.Error));
        }
    }

    /// <summary>Sends <paramref name="units"/> as one batch; null when committed, else the error and the index of the change set it names (-1: none).</summary>
    private async Task<(Exception Error, int Culprit)?> TryCommitAsync(List<Unit> units)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var npgsqlBatch = new NpgsqlBatch(connection);
            foreach (var unit in units)
            {
                if (unit.Sent)
                {
                    unit.Batch.Renew(); // sent before in a group that failed: fresh statements (CheckedBatch.Renew)
                }

                unit.Sent = true;
                foreach (var command in unit.Batch.Commands)
                {
                    npgsqlBatch.BatchCommands.Add(command);
                }
            }

            await npgsqlBatch.ExecuteNonQueryAsync().ConfigureAwait(false);
            return null;
        }
        catch (PostgresException e) when (e.BatchCommand is { } command)
        {
            for (var i = 0; i < units.Count; i++)
            {
                if (units[i].Batch.Commands.Exists(c => ReferenceEquals(c, command)))
                {
                    return (e, i);
                }
            }

            return (e, -1);
        }
        catch (Exception e)
        {
            return (e, -1);
        }
    }

    private static Exception Translate(Unit unit, Exception error) =>
        error is PostgresException postgres ? unit.FailureOf(postgres) ?? postgres : error;

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    private sealed class Unit(CheckedBatch batch, Func<PostgresException, Exception?> failureOf, CancellationToken cancellationToken)
    {
        public CheckedBatch Batch { get; } = batch;

        public Func<PostgresException, Exception?> FailureOf { get; } = failureOf;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Whether its statements were sent in a batch already (a group that failed sends the others again).</summary>
        public bool Sent { get; set; }

        /// <summary>The caller's activity when it queued the change set.</summary>
        public Activity? Activity { get; } = Activity.Current;
    }
}
