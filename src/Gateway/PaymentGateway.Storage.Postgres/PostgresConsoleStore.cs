using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Console users, links and the data-protection key ring on PostgreSQL. A commit is one transaction: version-checked
/// writes, then the audit entries linked into the chain under its lock, then commit.
/// </summary>
public sealed class PostgresConsoleStore(NpgsqlDataSource dataSource) : IConsoleStore
{
    private const string UserColumns = "data::text, version";

    public async Task CommitAsync(ConsoleChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        var updatedUsers = changes.UpdatedUsers.Distinct().ToList();
        var updatedLinks = changes.UpdatedLinks.Distinct().ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var checks = new List<(NpgsqlBatchCommand Command, string Id)>();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var u in changes.NewUsers)
            {
                batch.BatchCommands.Add(Cmd("INSERT INTO console_users (id, email_key, external_key, status, created_at, version, data) VALUES ($1, $2, $3, $4, $5, 0, $6);",
                    P(u.Id), P(ConsoleUser.EmailKey(u.Email)), PostgresAuditLog.Text(ExternalKey(u)), P(Status(u)), P(u.Created.ToUnixTimeMilliseconds()), Jsonb(Json(u))));
            }

            foreach (var u in updatedUsers)
            {
                var command = Cmd("UPDATE console_users SET email_key = $2, external_key = $3, status = $4, version = $5 + 1, data = $6 WHERE id = $1 AND version = $5;",
                    P(u.Id), P(ConsoleUser.EmailKey(u.Email)), PostgresAuditLog.Text(ExternalKey(u)), P(Status(u)), P(u.Version), Jsonb(Json(u)));
                batch.BatchCommands.Add(command);
                checks.Add((command, u.Id));
            }

            foreach (var l in changes.NewLinks)
            {
                batch.BatchCommands.Add(Cmd("INSERT INTO console_links (id, token_hash, purpose, open, expires_at, version, data) VALUES ($1, $2, $3, $4, $5, 0, $6);",
                    P(l.Id), P(l.TokenHash), P(Purpose(l.Purpose)), P(l.UsedAt is null && l.RevokedAt is null), P(l.ExpiresAt.ToUnixTimeMilliseconds()), Jsonb(Json(l))));
            }

            foreach (var l in updatedLinks)
            {
                var command = Cmd("UPDATE console_links SET open = $2, version = $3 + 1, data = $4 WHERE id = $1 AND version = $3;",
                    P(l.Id), P(l.UsedAt is null && l.RevokedAt is null), P(l.Version), Jsonb(Json(l)));
                batch.BatchCommands.Add(command);
                checks.Add((command, l.Id));
            }

            if (batch.BatchCommands.Count > 0)
            {
                try
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException e) when (checks.Count > 0 && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
                {
                    throw new ConcurrencyConflictException(checks[0].Id);
                }

                foreach (var (command, id) in checks)
                {
                    if (command.RecordsAffected != 1)
                    {
                        throw new ConcurrencyConflictException(id);
                    }
                }
            }
        }

        await PostgresAuditLog.AppendAsync(connection, transaction, changes.AuditRecords, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var u in updatedUsers)
        {
            u.Version++;
        }

        foreach (var l in updatedLinks)
        {
            l.Version++;
        }
    }

    public Task<ConsoleUser?> GetUserAsync(string id, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {UserColumns} FROM console_users WHERE id = $1;", id, ReadUser, cancellationToken);

    public Task<ConsoleUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {UserColumns} FROM console_users WHERE email_key = $1;", ConsoleUser.EmailKey(email), ReadUser, cancellationToken);

    public Task<ConsoleUser?> FindUserByExternalIdAsync(string issuer, string subject, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {UserColumns} FROM console_users WHERE external_key = $1;", issuer + "|" + subject, ReadUser, cancellationToken);

    public async Task<IReadOnlyList<ConsoleUser>> ListUsersAsync(ConsoleUserQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        string Add(object value)
        {
            command.Parameters.Add(P(value));
            return "$" + command.Parameters.Count;
        }

        var where = new List<string> { "status <> 'removed'", "id > " + Add(query.StartingAfter ?? string.Empty) };
        if (query.Status is { } status)
        {
            where.Add("status = " + Add(status.ToString().ToLowerInvariant()));
        }

        if (query.Search is { Length: > 0 } search)
        {
            var q = Add(search.Trim().ToLowerInvariant());
            where.Add($"(strpos(email_key, {q}) > 0 OR strpos(lower(coalesce(data->>'name', '')), {q}) > 0)");
        }

        // One grant must meet the scope, merchant and role filters together.
        var grant = new List<string>();
        if (query.MerchantScope is { } scope)
        {
            grant.Add("g->>'merchant_id' = ANY(" + Add(scope.ToArray()) + ")");
        }

        if (query.MerchantId is { } merchantId)
        {
            grant.Add("g->>'merchant_id' = " + Add(merchantId));
        }

        if (query.Role is { } role)
        {
            grant.Add("g->>'role' = " + Add(role.ToWire()));
        }

        if (grant.Count > 0)
        {
            where.Add($"EXISTS (SELECT 1 FROM jsonb_array_elements(data->'grants') g WHERE {string.Join(" AND ", grant)})");
        }

        command.CommandText = $"SELECT {UserColumns} FROM console_users WHERE {string.Join(" AND ", where)} ORDER BY id LIMIT {Add(query.Limit)};";
        return await ListAsync(command, ReadUser, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM console_users);");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? false);
    }

    public Task<ConsoleLink?> GetLinkAsync(string id, CancellationToken cancellationToken) =>
        SingleAsync("SELECT data::text, version FROM console_links WHERE id = $1;", id, ReadLink, cancellationToken);

    public Task<ConsoleLink?> FindLinkByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        SingleAsync("SELECT data::text, version FROM console_links WHERE token_hash = $1;", tokenHash, ReadLink, cancellationToken);

    public async Task<IReadOnlyList<ConsoleLink>> ListOpenLinksAsync(ConsoleLinkPurpose purpose, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT data::text, version FROM console_links WHERE purpose = $1 AND open AND expires_at > $2 ORDER BY id DESC LIMIT $3;");
        command.Parameters.Add(P(Purpose(purpose)));
        command.Parameters.Add(P(now.ToUnixTimeMilliseconds()));
        command.Parameters.Add(P(limit));
        return await ListAsync(command, ReadLink, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<string>> ListDataProtectionKeysAsync()
    {
        using var command = dataSource.CreateCommand("SELECT value FROM data_protection_keys ORDER BY created_at, name;");
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return Task.FromResult<IReadOnlyList<string>>(values);
    }

    public Task StoreDataProtectionKeyAsync(string name, string value)
    {
        using var command = dataSource.CreateCommand("INSERT INTO data_protection_keys (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING;");
        command.Parameters.Add(P(name));
        command.Parameters.Add(P(value));
        command.Parameters.Add(P(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    private static string? ExternalKey(ConsoleUser u) => u.ExternalSubject is { } subject ? (u.ExternalIssuer ?? string.Empty) + "|" + subject : null;

    private static string Status(ConsoleUser u) => u.Status.ToString().ToLowerInvariant();

    private static string Purpose(ConsoleLinkPurpose purpose) => purpose switch
    {
        ConsoleLinkPurpose.Invitation => "invitation",
        ConsoleLinkPurpose.PasswordReset => "password_reset",
        _ => "owner_setup",
    };

    private static string Json(ConsoleUser user) => JsonSerializer.Serialize(user, ConsoleStorageJsonContext.Default.ConsoleUser);

    private static string Json(ConsoleLink link) => JsonSerializer.Serialize(link, ConsoleStorageJsonContext.Default.ConsoleLink);

    private static ConsoleUser ReadUser(NpgsqlDataReader reader)
    {
        var user = JsonSerializer.Deserialize(reader.GetString(0), ConsoleStorageJsonContext.Default.ConsoleUser) ?? throw new InvalidDataException("Empty console user row.");
        user.Version = reader.GetInt64(1);
        return user;
    }

    private static ConsoleLink ReadLink(NpgsqlDataReader reader)
    {
        var link = JsonSerializer.Deserialize(reader.GetString(0), ConsoleStorageJsonContext.Default.ConsoleLink) ?? throw new InvalidDataException("Empty console link row.");
        link.Version = reader.GetInt64(1);
        return link;
    }

    private static NpgsqlParameter P(object value) => new() { Value = value };

    private static NpgsqlParameter Jsonb(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlBatchCommand Cmd(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private async Task<T?> SingleAsync<T>(string sql, string value, Func<NpgsqlDataReader, T> read, CancellationToken ct)
        where T : class
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(P(value));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? read(reader) : null;
    }

    private static async Task<IReadOnlyList<T>> ListAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            items.Add(read(reader));
        }

        return items;
    }
}
