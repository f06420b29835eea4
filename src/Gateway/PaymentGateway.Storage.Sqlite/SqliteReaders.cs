using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Read connections that keep their prepared statements. Opening a pooled connection and preparing the statement
/// again for every read cost more CPU than running it (issue 9 profile); a session here is one open connection with a
/// command per SQL text, so a repeated read only binds and steps. Sessions are rented by one caller at a time; WAL lets
/// them read beside the writer, and a statement is reset when its reader is disposed, so no read transaction is held
/// between rentals.
/// </summary>
internal sealed class SqliteReaders(string connectionString) : IDisposable
{
    private const int MaxIdleSessions = 32;
    private const int MaxStatementsPerSession = 128;
    private readonly ConcurrentBag<Session> _idle = [];
    private volatile bool _disposed;

    public Session Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var session))
        {
            return session;
        }

        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return new Session(this, connection);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Close();
        }
    }

    private void Return(Session session)
    {
        if (_disposed || _idle.Count >= MaxIdleSessions)
        {
            session.Close();
            return;
        }

        _idle.Add(session);
        if (_disposed && _idle.TryTake(out var late))
        {
            late.Close();
        }
    }

    /// <summary>One rented connection; dispose to give it back.</summary>
    internal sealed class Session(SqliteReaders owner, SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
        private SqliteCommand? _uncached;

        /// <summary>The prepared command for <paramref name="sql"/>, its parameters cleared.</summary>
        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                if (_commands.Count < MaxStatementsPerSession)
                {
                    _commands[sql] = command;
                }
                else
                {
                    _uncached?.Dispose();
                    _uncached = command;
                }
            }

            command.Parameters.Clear();
            return command;
        }

        public void Dispose() => owner.Return(this);

        internal void Close()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _uncached?.Dispose();
            connection.Dispose();
        }
    }
}
