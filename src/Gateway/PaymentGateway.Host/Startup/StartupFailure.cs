using Microsoft.AspNetCore.Connections;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PaymentGateway.Host.Startup;

/// <summary>
/// Turns an exception that ended start-up into the one line an operator reads: <see cref="StartupException"/>s from
/// the checks as they are, and what can still fail later (options validation, a port taken between the check and the
/// bind, the database) with the setting named. Programming errors are not described and keep their stack trace.
/// </summary>
public static class StartupFailure
{
    /// <summary>The line for <paramref name="exception"/>, or null for a programming error; <paramref name="action"/> is what failed ("start", "migrate", …).</summary>
    public static string? Describe(Exception exception, string action = "start")
    {
        var message = exception switch
        {
            StartupException e => e.Message,
            Core.Storage.SchemaTooNewException e => e.Message,
            Core.Vault.VaultKeysMissingException e => e.Message,
            OptionsValidationException e => string.Join(" ", e.Failures),
            IOException e when e.InnerException is System.Net.Sockets.SocketException or AddressInUseException =>
                $"{e.Message}: stop what listens there or choose another address with --urls / PaymentGateway:GrpcUrl.",
            SqliteException e => $"SQLite failed ({e.Message}) on the database under PaymentGateway:DataDirectory: check that the directory and its files are writable by the gateway's user and the disk is not full.",
            NpgsqlException e => $"PostgreSQL failed ({e.Message}): check PaymentGateway:Storage:ConnectionString and the server.",
            InvalidOperationException e when e.Message.Contains("PaymentGateway:", StringComparison.Ordinal) => e.Message,
            _ => null,
        };
        return message is null ? null : $"PaymentGateway could not {action}: " + message.ReplaceLineEndings(" ");
    }
}
