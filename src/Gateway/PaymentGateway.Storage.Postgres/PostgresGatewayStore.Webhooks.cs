using System.Text.Json;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Storage.Postgres;

// Webhooks out: endpoints, fan-out from the events table, lease-based claiming of deliveries, and the attempt log.
// Fan-out and claiming take rows with FOR UPDATE SKIP LOCKED, so dispatchers on any number of nodes share the work
// without waiting on each other and never take the same row.
public sealed partial class PostgresGatewayStore
{
    private const string EndpointColumns = "data, version, failure_streak, failing_since";

    private const string DeliveryColumns =
        "id, event_id, endpoint_id, merchant_id, livemode, event_type, status, attempt_count, retry_count, next_attempt_at, " +
        "last_attempt_at, last_response_status, last_error, created_at, updated_at";

    private const string AttemptColumns =
        "id, delivery_id, event_id, endpoint_id, merchant_id, livemode, number, started_at, duration_ms, response_status, error, response_snippet, succeeded";

    public Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO webhook_endpoints (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
            cancellationToken, P(endpoint.Id), P(endpoint.MerchantId), P(endpoint.Livemode), P(endpoint.Status.ToWire()), P(endpoint.Created.ToUnixTimeMilliseconds()),
            P(endpoint.Updated.ToUnixTimeMilliseconds()), P(endpoint.Version), Jsonb(EndpointJson(endpoint)));

    public async Task UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, GatewayEvent? @event, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var update = Cmd("""
            UPDATE webhook_endpoints SET status = $2, updated_at = $3, version = $4 + 1, data = $5,
                failure_streak = CASE WHEN $2 = 'enabled' AND status <> 'enabled' THEN 0 ELSE failure_streak END,
                failing_since = CASE WHEN $2 = 'enabled' AND status <> 'enabled' THEN NULL ELSE failing_since END
            WHERE id = $1 AND version = $4;
            """, P(endpoint.Id), P(endpoint.Status.ToWire()), P(endpoint.Updated.ToUnixTimeMilliseconds()), P(endpoint.Version), Jsonb(EndpointJson(endpoint)));
        batch.BatchCommands.Add(update);
        if (@event is not null)
        {
            batch.BatchCommands.Add(InsertEventCommand(@event));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (update.RecordsAffected != 1)
        {
            throw new ConcurrencyConflictException(endpoint.Id);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        endpoint.Version++;
    }

    public async Task<bool> DeleteWebhookEndpointAsync(string merchantId, bool livemode, string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One statement: the delete and the cancellation of its pending deliveries commit together.
        await using var command = _dataSource.CreateCommand("""
            WITH deleted AS (
                DELETE FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2 AND livemode = $3 RETURNING id
            ), canceled AS (
                UPDATE webhook_deliveries SET status = 'canceled', updated_at = $4
                WHERE endpoint_id IN (SELECT id FROM deleted) AND status = 'pending'
            )
            SELECT COUNT(*) FROM deleted;
            """);
        command.Parameters.AddRange(new NpgsqlParameter[] { P(id), P(merchantId), P(livemode), P(now.ToUnixTimeMilliseconds()) });
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public Task<WebhookEndpoint?> GetWebhookEndpointAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadEndpoint, cancellationToken);

    public Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = new SqlFilter();
        sql.Add("merchant_id = {0}", P(merchantId));
        sql.Add("livemode = {0}", P(livemode));
        return ListAsync("webhook_endpoints", EndpointColumns, sql, query, ReadEndpoint, cancellationToken);
    }

    public async Task<int> FanOutWebhookEventsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var pending = new List<(string Id, string MerchantId, bool Livemode, string Type, long Created)>();
        await using (var select = new NpgsqlCommand(
            "SELECT id, merchant_id, livemode, type, created_at FROM events WHERE webhook_pending ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED;", connection, transaction))
        {
            select.Parameters.Add(P(Math.Max(1, limit)));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                pending.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3), reader.GetInt64(4)));
            }
        }

        if (pending.Count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        var endpointsByMerchant = new Dictionary<(string, bool), List<WebhookEndpoint>>();
        foreach (var e in pending)
        {
            if (!endpointsByMerchant.TryGetValue((e.MerchantId, e.Livemode), out var endpoints))
            {
                endpoints = await ReadEnabledEndpointsAsync(connection, transaction, e.MerchantId, e.Livemode, cancellationToken).ConfigureAwait(false);
                endpointsByMerchant[(e.MerchantId, e.Livemode)] = endpoints;
            }

            foreach (var endpoint in endpoints)
            {
                if (endpoint.Created.ToUnixTimeMilliseconds() <= e.Created && endpoint.Accepts(e.Type))
                {
                    var (sql, parameters) = DeliveryInsert(e.Id, endpoint.Id, e.MerchantId, e.Livemode, e.Type, now, upsert: false);
                    batch.BatchCommands.Add(Cmd(sql, parameters));
                }
            }
        }

        batch.BatchCommands.Add(Cmd("UPDATE events SET webhook_pending = false WHERE id = ANY($1);", P(pending.Select(e => e.Id).ToArray())));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return pending.Count;
    }

    public async Task<IReadOnlyList<ClaimedWebhookDelivery>> ClaimWebhookDeliveriesAsync(WebhookClaimRequest request, CancellationToken cancellationToken)
    {
        var now = request.Now.ToUnixTimeMilliseconds();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Due rows another claimer is taking right now are skipped, not waited for; the outer conditions are checked
        // again on the locked row, so a lease is only ever taken while it is free.
        var due = new List<WebhookDelivery>();
        await using (var claim = new NpgsqlCommand($"""
            UPDATE webhook_deliveries SET locked_until = $2, lease_holder = $3
            WHERE id IN (
                SELECT id FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= $1 AND locked_until <= $1
                ORDER BY next_attempt_at LIMIT $4
                FOR UPDATE SKIP LOCKED)
              AND status = 'pending' AND locked_until <= $1
            RETURNING {DeliveryColumns};
            """, connection, transaction))
        {
            claim.Parameters.AddRange(new NpgsqlParameter[] { P(now), P(now + (long)request.LeaseDuration.TotalMilliseconds), P(request.Holder), P(Math.Max(1, request.Limit)) });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                due.Add(ReadDelivery(reader));
            }
        }

        if (due.Count == 0)
        {
            return [];
        }

        due.Sort((a, b) => a.NextAttemptAt == b.NextAttemptAt ? string.CompareOrdinal(a.Id, b.Id) : Nullable.Compare(a.NextAttemptAt, b.NextAttemptAt));
        var endpoints = new Dictionary<string, WebhookEndpoint>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand($"SELECT id, {EndpointColumns} FROM webhook_endpoints WHERE id = ANY($1);", connection, transaction))
        {
            read.Parameters.Add(P(due.Select(d => d.EndpointId).Distinct(StringComparer.Ordinal).ToArray()));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                endpoints[reader.GetString(0)] = ReadEndpoint(reader, 1);
            }
        }

        var events = new Dictionary<string, GatewayEvent>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand($"SELECT {EventColumns} FROM events WHERE id = ANY($1);", connection, transaction))
        {
            read.Parameters.Add(P(due.Select(d => d.EventId).Distinct(StringComparer.Ordinal).ToArray()));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var evt = ReadEvent(reader);
                events[evt.Id] = evt;
            }
        }

        var claimed = new List<ClaimedWebhookDelivery>();
        var canceled = new List<string>();
        foreach (var delivery in due)
        {
            if (!endpoints.TryGetValue(delivery.EndpointId, out var endpoint) || endpoint.Status != WebhookEndpointStatus.Enabled
                || !events.TryGetValue(delivery.EventId, out var evt))
            {
                canceled.Add(delivery.Id);
                continue;
            }

            claimed.Add(new ClaimedWebhookDelivery { Delivery = delivery, Event = evt, Endpoint = endpoint });
        }

        if (canceled.Count > 0)
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE webhook_deliveries SET status = 'canceled', locked_until = 0, lease_holder = NULL, updated_at = $2 WHERE id = ANY($1);",
                cancellationToken, P(canceled.ToArray()), P(now)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    public async Task<WebhookAttemptOutcome> CompleteWebhookAttemptAsync(WebhookAttemptCompletion completion, CancellationToken cancellationToken)
    {
        var a = completion.Attempt;
        var finishedAt = a.StartedAt.AddMilliseconds(a.DurationMs).ToUnixTimeMilliseconds();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Cmd($"INSERT INTO webhook_attempts ({AttemptColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13);",
            P(a.Id), P(a.DeliveryId), P(a.EventId), P(a.EndpointId), P(a.MerchantId), P(a.Livemode), P(a.Number), P(a.StartedAt.ToUnixTimeMilliseconds()),
            P(a.DurationMs), Int(a.ResponseStatus), Text(a.Error), Text(a.ResponseSnippet), P(a.Succeeded)));
        var update = Cmd("""
            UPDATE webhook_deliveries SET status = $3, attempt_count = attempt_count + 1,
                retry_count = CASE WHEN $4 THEN retry_count ELSE retry_count + 1 END,
                next_attempt_at = $5, last_attempt_at = $6, last_response_status = $7, last_error = $8,
                locked_until = 0, lease_holder = NULL, updated_at = $6
            WHERE id = $1 AND lease_holder = $2;
            """,
            P(a.DeliveryId), P(completion.Holder), P(completion.Status.ToWire()), P(a.Succeeded),
            Long(completion.Status == WebhookDeliveryStatus.Pending && completion.NextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : null),
            P(finishedAt), Int(a.ResponseStatus), Text(a.Error));
        batch.BatchCommands.Add(update);
        batch.BatchCommands.Add(a.Succeeded
            ? Cmd("UPDATE webhook_endpoints SET failure_streak = 0, failing_since = NULL WHERE id = $1 RETURNING failure_streak, failing_since;", P(a.EndpointId))
            : Cmd("""
                UPDATE webhook_endpoints SET failure_streak = failure_streak + 1, failing_since = COALESCE(failing_since, $2)
                WHERE id = $1 RETURNING failure_streak, failing_since;
                """, P(a.EndpointId), P(a.StartedAt.ToUnixTimeMilliseconds())));

        var outcome = new WebhookAttemptOutcome { LeaseHeld = false, FailureStreak = 0 };
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            // The two statements before the streak update return no rows; the reader is positioned on the last one.
            do
            {
                if (reader.FieldCount == 2 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    outcome = new WebhookAttemptOutcome
                    {
                        LeaseHeld = false,
                        FailureStreak = reader.GetInt32(0),
                        FailingSince = reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    };
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return outcome with { LeaseHeld = update.RecordsAffected == 1 };
    }

    public Task<WebhookDelivery?> GetWebhookDeliveryAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadDelivery, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> ListWebhookDeliveriesAsync(string merchantId, bool livemode, WebhookDeliveryListQuery query, CancellationToken cancellationToken)
    {
        var sql = new SqlFilter();
        sql.Add("merchant_id = {0}", P(merchantId));
        sql.Add("livemode = {0}", P(livemode));
        if (query.EventId is not null)
        {
            sql.Add("event_id = {0}", P(query.EventId));
        }

        if (query.EndpointId is not null)
        {
            sql.Add("endpoint_id = {0}", P(query.EndpointId));
        }

        if (query.Status is { } status)
        {
            sql.Add("status = {0}", P(status.ToWire()));
        }

        return ListAsync("webhook_deliveries", DeliveryColumns, sql, query, ReadDelivery, cancellationToken);
    }

    public Task<IReadOnlyList<WebhookDeliveryAttempt>> ListWebhookAttemptsAsync(string merchantId, bool livemode, string deliveryId, CancellationToken cancellationToken) =>
        QueryListAsync($"SELECT {AttemptColumns} FROM webhook_attempts WHERE delivery_id = $1 AND merchant_id = $2 AND livemode = $3 ORDER BY number, id;",
            [P(deliveryId), P(merchantId), P(livemode)], ReadAttempt, cancellationToken);

    public async Task<IReadOnlyList<WebhookDelivery>> RedeliverWebhookEventAsync(WebhookRedeliveryRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        GatewayEvent? evt = null;
        await using (var read = new NpgsqlCommand($"SELECT {EventColumns} FROM events WHERE id = $1 AND merchant_id = $2 AND livemode = $3;", connection, transaction))
        {
            read.Parameters.AddRange(new NpgsqlParameter[] { P(request.EventId), P(request.MerchantId), P(request.Livemode) });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                evt = ReadEvent(reader);
            }
        }

        if (evt is null)
        {
            return [];
        }

        var endpoints = (await ReadEnabledEndpointsAsync(connection, transaction, request.MerchantId, request.Livemode, cancellationToken).ConfigureAwait(false))
            .Where(e => request.EndpointId is null ? e.Accepts(evt.Type) : e.Id == request.EndpointId)
            .ToList();
        var queued = new List<WebhookDelivery>();
        foreach (var endpoint in endpoints)
        {
            var (sql, parameters) = DeliveryInsert(evt.Id, endpoint.Id, evt.MerchantId, evt.Livemode, evt.Type, request.Now, upsert: true);
            await using var upsert = new NpgsqlCommand($"{sql} RETURNING {DeliveryColumns};", connection, transaction);
            upsert.Parameters.AddRange(parameters);
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                queued.Add(ReadDelivery(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return queued;
    }

    private static (string Sql, NpgsqlParameter[] Parameters) DeliveryInsert(string eventId, string endpointId, string merchantId, bool livemode, string type,
        DateTimeOffset now, bool upsert) =>
        (upsert
                ? """
                  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, merchant_id, livemode, event_type, status, attempt_count, retry_count, next_attempt_at, created_at, updated_at)
                  VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, 0, $7, $7, $7)
                  ON CONFLICT (event_id, endpoint_id) DO UPDATE SET status = 'pending', retry_count = 0, next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at
                  """
                : """
                  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, merchant_id, livemode, event_type, status, attempt_count, retry_count, next_attempt_at, created_at, updated_at)
                  VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, 0, $7, $7, $7)
                  ON CONFLICT (event_id, endpoint_id) DO NOTHING
                  """,
            [P(Ids.New(WebhookIds.Delivery)), P(eventId), P(endpointId), P(merchantId), P(livemode), P(type), P(now.ToUnixTimeMilliseconds())]);

    private static async Task<List<WebhookEndpoint>> ReadEnabledEndpointsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string merchantId, bool livemode,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {EndpointColumns} FROM webhook_endpoints WHERE merchant_id = $1 AND livemode = $2 AND status = 'enabled' ORDER BY id;", connection, transaction);
        command.Parameters.AddRange(new NpgsqlParameter[] { P(merchantId), P(livemode) });
        var list = new List<WebhookEndpoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadEndpoint(reader));
        }

        return list;
    }

    private static string EndpointJson(WebhookEndpoint endpoint) => JsonSerializer.Serialize(endpoint, WebhookStorageJsonContext.Default.WebhookEndpoint);

    private static WebhookEndpoint ReadEndpoint(NpgsqlDataReader r) => ReadEndpoint(r, 0);

    private static WebhookEndpoint ReadEndpoint(NpgsqlDataReader r, int offset)
    {
        var endpoint = JsonSerializer.Deserialize(r.GetString(offset), WebhookStorageJsonContext.Default.WebhookEndpoint)
                       ?? throw new InvalidDataException("Empty webhook endpoint row.");
        endpoint.Version = r.GetInt64(offset + 1);
        endpoint.FailureStreak = r.GetInt32(offset + 2);
        endpoint.FailingSince = r.IsDBNull(offset + 3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(offset + 3));
        return endpoint;
    }

    private static WebhookDelivery ReadDelivery(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        EventId = r.GetString(1),
        EndpointId = r.GetString(2),
        MerchantId = r.GetString(3),
        Livemode = r.GetBoolean(4),
        EventType = r.GetString(5),
        Status = WebhookWire.ParseDeliveryStatus(r.GetString(6)) ?? throw new InvalidDataException("Unknown delivery status."),
        AttemptCount = r.GetInt32(7),
        RetryCount = r.GetInt32(8),
        NextAttemptAt = r.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        LastAttemptAt = r.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        LastResponseStatus = r.IsDBNull(11) ? null : r.GetInt32(11),
        LastError = r.IsDBNull(12) ? null : r.GetString(12),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
        Updated = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(14)),
    };

    private static WebhookDeliveryAttempt ReadAttempt(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        DeliveryId = r.GetString(1),
        EventId = r.GetString(2),
        EndpointId = r.GetString(3),
        MerchantId = r.GetString(4),
        Livemode = r.GetBoolean(5),
        Number = r.GetInt32(6),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
        DurationMs = r.GetInt32(8),
        ResponseStatus = r.IsDBNull(9) ? null : r.GetInt32(9),
        Error = r.IsDBNull(10) ? null : r.GetString(10),
        ResponseSnippet = r.IsDBNull(11) ? null : r.GetString(11),
        Succeeded = r.GetBoolean(12),
    };
}
