using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Online, consistent copies of a live SQLite database: <c>VACUUM INTO</c> reads one snapshot of the database (WAL
/// included) in a single read transaction, so a gateway can keep writing while it runs and the copy holds exactly the
/// transactions committed before it began. A file copy of a live WAL database is never consistent; this is the way.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Writes a consistent copy of <paramref name="databasePath"/> to <paramref name="targetPath"/> (which must not exist) and checks it.</summary>
    public static async Task CopyAsync(string databasePath, string targetPath, CancellationToken ct)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException($"There is no database at {databasePath}.", databasePath);
        }

        await using (var source = new SqliteConnection(ConnectionString(databasePath, SqliteOpenMode.ReadWrite)))
        {
            await source.OpenAsync(ct).ConfigureAwait(false);
            await using var vacuum = source.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $target;";
            vacuum.Parameters.AddWithValue("$target", targetPath);
            await vacuum.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var check = await QuickCheckAsync(targetPath, ct).ConfigureAwait(false);
        if (check != "ok")
        {
            throw new InvalidDataException($"The copy {targetPath} failed SQLite's quick_check: {check}");
        }
    }

    /// <summary>SQLite's <c>PRAGMA quick_check</c> of a database that nothing else uses: "ok", or the first problem.</summary>
    public static async Task<string> QuickCheckAsync(string databasePath, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(ConnectionString(databasePath, SqliteOpenMode.ReadOnly));
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        return Convert.ToString(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? "no answer";
    }

    /// <summary>The highest migration applied to the database file (0 when it has none), read without changing it.</summary>
    public static async Task<int> ReadSchemaVersionAsync(string databasePath, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(ConnectionString(databasePath, SqliteOpenMode.ReadOnly));
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";
        if (Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();
}
