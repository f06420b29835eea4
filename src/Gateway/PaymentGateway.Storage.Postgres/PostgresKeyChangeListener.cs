using Microsoft.Extensions.Logging;
using Npgsql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Hears, on one dedicated connection, the API and admin keys other nodes change (<c>LISTEN</c> on <see cref="Channel"/>;
/// <see cref="PostgresMerchantStore.CommitApiKeysAsync"/> sends <c>pg_notify</c> with the key's id in the change's own
/// transaction, so a notification means the change is committed). Reconnects on its own after a lost connection, with
/// a growing pause (up to <see cref="MaxRetryDelay"/>); checks an idle connection every <see cref="IdleCheck"/> so a
/// silently dropped one is found. While it is not listening, changes are missed: after every (re)connect the caller is
/// told (<c>onListening</c>) so it can drop what it cached meanwhile; its cache lifetime bounds the gap.
/// </summary>
public sealed partial class PostgresKeyChangeListener(string connectionString, ILogger<PostgresKeyChangeListener> logger)
{
    public const string Channel = "gateway_key_changes";

    /// <summary>The connection's name in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "gateway-key-listener";

    public static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);

    private int _listening;

    /// <summary>True while the connection is open and subscribed.</summary>
    public bool IsListening => Volatile.Read(ref _listening) == 1;

    /// <summary>
    /// Listens until <paramref name="ct"/> is canceled: <paramref name="onKeyChanged"/> gets each changed key's id;
    /// <paramref name="onListening"/> runs after each successful (re)subscription.
    /// </summary>
    public async Task RunAsync(Action<string> onKeyChanged, Action onListening, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onKeyChanged);
        ArgumentNullException.ThrowIfNull(onListening);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = ApplicationName };
        var delay = FirstRetryDelay;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == Channel && e.Payload.Length > 0)
                    {
                        onKeyChanged(e.Payload);
                    }
                };
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                Volatile.Write(ref _listening, 1);
                onListening();
                LogListening(logger, Channel);
                delay = FirstRetryDelay;
                while (true)
                {
                    if (!await connection.WaitAsync(IdleCheck, ct).ConfigureAwait(false))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1;", connection);
                        await ping.ExecuteScalarAsync(ct).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                Volatile.Write(ref _listening, 0);
                LogLost(logger, delay.TotalMilliseconds, e.Message);
                try
                {
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }

        Volatile.Write(ref _listening, 0);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for API key changes on PostgreSQL channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key change listener lost its connection; reconnecting in {DelayMs} ms (keys cached meanwhile expire within the cache lifetime): {Reason}")]
    private static partial void LogLost(ILogger logger, double delayMs, string reason);
}
