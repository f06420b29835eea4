using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Console users, links and the data-protection key ring on SQLite. Commits run as one unit of the engine's single
/// writer, with their audit entries appended to the chain in the same transaction; reads use their own connections.
/// </summary>
public sealed class SqliteConsoleStore(SqliteDatabase engine) : IConsoleStore
{
    private const string UserColumns = "data, version";

    public async Task CommitAsync(ConsoleChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        var newUsers = changes.NewUsers.Select(u => (u, Json(u))).ToList();
        var updatedUsers = changes.UpdatedUsers.Distinct().Select(u => (u, Json(u))).ToList();
        var newLinks = changes.NewLinks.Select(l => (l, Json(l))).ToList();
        var updatedLinks = changes.UpdatedLinks.Distinct().Select(l => (l, Json(l))).ToList();
        var records = changes.AuditRecords.ToList();
        await engine.Writer.WriteAsync(ctx =>
        {
            foreach (var (u, json) in newUsers)
            {
                var c = ctx.Command("INSERT INTO console_users (id, email_key, external_key, status, created_at, version, data) VALUES ($id, $e, $x, $s, $c, 0, $d);");
                BindUser(c, u, json);
                c.ExecuteNonQuery();
            }

            foreach (var (u, json) in updatedUsers)
            {
                var c = ctx.Command("UPDATE console_users SET email_key = $e, external_key = $x, status = $s, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
                BindUser(c, u, json);
                c.Parameters.AddWithValue("$v", u.Version);
                SqliteRows.ExecuteVersioned(c, u.Id);
            }

            foreach (var (l, json) in newLinks)
            {
                var c = ctx.Command("INSERT INTO console_links (id, token_hash, purpose, open, expires_at, version, data) VALUES ($id, $h, $p, $o, $x, 0, $d);");
                BindLink(c, l, json);
                c.ExecuteNonQuery();
            }

            foreach (var (l, json) in updatedLinks)
            {
                var c = ctx.Command("UPDATE console_links SET open = $o, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
                c.Parameters.AddWithValue("$id", l.Id);
                c.Parameters.AddWithValue("$o", l.UsedAt is null && l.RevokedAt is null ? 1 : 0);
                c.Parameters.AddWithValue("$v", l.Version);
                c.Parameters.AddWithValue("$d", json);
                SqliteRows.ExecuteVersioned(c, l.Id);
            }

            SqliteAuditLog.Append(ctx, records);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        foreach (var (u, _) in updatedUsers)
        {
            u.Version++;
        }

        foreach (var (l, _) in updatedLinks)
        {
            l.Version++;
        }
    }

    public Task<ConsoleUser?> GetUserAsync(string id, CancellationToken cancellationToken) =>
        SingleUserAsync($"SELECT {UserColumns} FROM console_users WHERE id = $p;", id, cancellationToken);

    public Task<ConsoleUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) =>
        SingleUserAsync($"SELECT {UserColumns} FROM console_users WHERE email_key = $p;", ConsoleUser.EmailKey(email), cancellationToken);

    public Task<ConsoleUser?> FindUserByExternalIdAsync(string issuer, string subject, CancellationToken cancellationToken) =>
        SingleUserAsync($"SELECT {UserColumns} FROM console_users WHERE external_key = $p;", ExternalKey(issuer, subject), cancellationToken);

    public async Task<IReadOnlyList<ConsoleUser>> ListUsersAsync(string? startingAfter, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {UserColumns} FROM console_users WHERE status <> 'removed' AND id > $after ORDER BY id LIMIT $limit;";
        command.Parameters.AddWithValue("$after", startingAfter ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit);
        var users = new List<ConsoleUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM console_users);";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public Task<ConsoleLink?> GetLinkAsync(string id, CancellationToken cancellationToken) =>
        SingleLinkAsync("SELECT data, version FROM console_links WHERE id = $p;", id, cancellationToken);

    public Task<ConsoleLink?> FindLinkByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        SingleLinkAsync("SELECT data, version FROM console_links WHERE token_hash = $p;", tokenHash, cancellationToken);

    public async Task<IReadOnlyList<ConsoleLink>> ListOpenLinksAsync(ConsoleLinkPurpose purpose, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, version FROM console_links WHERE purpose = $p AND open = 1 AND expires_at > $now ORDER BY id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$p", Purpose(purpose));
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        var links = new List<ConsoleLink>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            links.Add(ReadLink(reader));
        }

        return links;
    }

    public Task<IReadOnlyList<string>> ListDataProtectionKeysAsync()
    {
        using var connection = new SqliteConnection(engine.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM data_protection_keys ORDER BY created_at, name;";
        var values = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return Task.FromResult<IReadOnlyList<string>>(values);
    }

    /// <summary>On its own connection (the caller cannot wait for the writer asynchronously); SQLite's busy timeout orders it with the writer.</summary>
    public Task StoreDataProtectionKeyAsync(string name, string value)
    {
        using var connection = new SqliteConnection(engine.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO data_protection_keys (name, value, created_at) VALUES ($n, $v, $c) ON CONFLICT (name) DO NOTHING;";
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$v", value);
        command.Parameters.AddWithValue("$c", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    internal static string ExternalKey(string issuer, string subject) => issuer + "|" + subject;

    internal static string Purpose(ConsoleLinkPurpose purpose) => purpose switch
    {
        ConsoleLinkPurpose.Invitation => "invitation",
        ConsoleLinkPurpose.PasswordReset => "password_reset",
        _ => "owner_setup",
    };

    private static string Json(ConsoleUser user) => JsonSerializer.Serialize(user, ConsoleStorageJsonContext.Default.ConsoleUser);

    private static string Json(ConsoleLink link) => JsonSerializer.Serialize(link, ConsoleStorageJsonContext.Default.ConsoleLink);

    private static void BindUser(SqliteCommand c, ConsoleUser u, string json)
    {
        c.Parameters.AddWithValue("$id", u.Id);
        c.Parameters.AddWithValue("$e", ConsoleUser.EmailKey(u.Email));
        c.Parameters.AddWithValue("$x", u.ExternalSubject is { } subject ? ExternalKey(u.ExternalIssuer ?? string.Empty, subject) : DBNull.Value);
        c.Parameters.AddWithValue("$s", u.Status.ToString().ToLowerInvariant());
        c.Parameters.AddWithValue("$c", u.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$d", json);
    }

    private static void BindLink(SqliteCommand c, ConsoleLink l, string json)
    {
        c.Parameters.AddWithValue("$id", l.Id);
        c.Parameters.AddWithValue("$h", l.TokenHash);
        c.Parameters.AddWithValue("$p", Purpose(l.Purpose));
        c.Parameters.AddWithValue("$o", l.UsedAt is null && l.RevokedAt is null ? 1 : 0);
        c.Parameters.AddWithValue("$x", l.ExpiresAt.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$d", json);
    }

    private static ConsoleUser ReadUser(SqliteDataReader reader)
    {
        var user = JsonSerializer.Deserialize(reader.GetString(0), ConsoleStorageJsonContext.Default.ConsoleUser) ?? throw new InvalidDataException("Empty console user row.");
        user.Version = reader.GetInt64(1);
        return user;
    }

    private static ConsoleLink ReadLink(SqliteDataReader reader)
    {
        var link = JsonSerializer.Deserialize(reader.GetString(0), ConsoleStorageJsonContext.Default.ConsoleLink) ?? throw new InvalidDataException("Empty console link row.");
        link.Version = reader.GetInt64(1);
        return link;
    }

    private async Task<ConsoleUser?> SingleUserAsync(string sql, string value, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", value);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadUser(reader) : null;
    }

    private async Task<ConsoleLink?> SingleLinkAsync(string sql, string value, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", value);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadLink(reader) : null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(engine.ConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }
}
