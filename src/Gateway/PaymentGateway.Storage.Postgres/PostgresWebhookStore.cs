using System.Text.Json;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Webhooks out on PostgreSQL: endpoints, fan-out from the events table, lease-based claiming of deliveries and the
/// attempt log. Which endpoints get an event is <see cref="WebhookFanOut"/>'s decision; this class reads the rows it
/// needs and writes the deliveries it returns in the same transaction. Fan-out and claiming take rows with
/// FOR UPDATE SKIP LOCKED, so dispatchers on any number of nodes share the work without waiting on each other and
/// never take the same row.
/// </summary>
public sealed class PostgresWebhookStore(PostgresDatabase database) : IWebhookStore
{
    public Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var batch = new CheckedBatch();
        batch.Add(Cmd("INSERT INTO webhook_endpoints (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
            P(endpoint.Id), P(endpoint.MerchantId), P(endpoint.Livemode), P(endpoint.Status.ToWire()), P(endpoint.Created.ToUnixTimeMilliseconds()),
            P(endpoint.Updated.ToUnixTimeMilliseconds()), P(endpoint.Version), Jsonb(EndpointJson(endpoint))));
        AddAudit(batch, audit);
        return database.ExecuteAsync(batch, _ => null, cancellationToken);
    }

    public async Task UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, GatewayEvent? @event, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var batch = new CheckedBatch();
        batch.AddVersionChecked(Cmd("""
            UPDATE webhook_endpoints SET status = $2, updated_at = $3, version = $4 + 1, data = $5,
                failure_streak = CASE WHEN $2 = 'enabled' AND status <> 'enabled' THEN 0 ELSE failure_streak END,
                failing_since = CASE WHEN $2 = 'enabled' AND status <> 'enabled' THEN NULL ELSE failing_since END
            WHERE id = $1 AND version = $4;
            """, P(endpoint.Id), P(endpoint.Status.ToWire()), P(endpoint.Updated.ToUnixTimeMilliseconds()), P(endpoint.Version), Jsonb(EndpointJson(endpoint))), endpoint.Id);
        if (@event is not null)
        {
            batch.Add(PostgresRows.InsertEvent(@event));
        }

        AddAudit(batch, audit);
        await database.ExecuteAsync(batch, _ => null, cancellationToken).ConfigureAwait(false);
        endpoint.Version++;
    }

    public async Task<bool> DeleteWebhookEndpointAsync(string merchantId, bool livemode, string id, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken)
    {
        if (audit is not null)
        {
            // The delete (which must find its row), the cancellation of its pending deliveries and the audit entry: one transaction.
            var batch = new CheckedBatch();
            batch.AddVersionChecked(Cmd("DELETE FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2 AND livemode = $3;", P(id), P(merchantId), P(livemode)), id);
            batch.Add(Cmd("UPDATE webhook_deliveries SET status = 'canceled', updated_at = $2 WHERE endpoint_id = $1 AND status = 'pending';",
                P(id), P(now.ToUnixTimeMilliseconds())));
            batch.Audit.Add(audit);
            try
            {
                await database.ExecuteAsync(batch, _ => null, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }

        // One statement: the delete and the cancellation of its pending deliveries commit together.
        await using var command = database.DataSource.CreateCommand("""
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
        database.QuerySingleAsync($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadEndpoint, cancellationToken);

    public Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        return database.ListAsync("webhook_endpoints", EndpointColumns, sql, query, ReadEndpoint, cancellationToken);
    }

    public async Task<int> FanOutWebhookEventsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var pending = new List<PendingWebhookEvent>();
        await using (var select = new NpgsqlCommand(
            $"SELECT {PendingEventColumns} FROM events WHERE webhook_pending ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED;", connection, transaction))
        {
            select.Parameters.Add(P(Math.Max(1, limit)));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                pending.Add(ReadPendingEvent(reader));
            }
        }

        if (pending.Count == 0)
        {
            return 0;
        }

        var endpoints = new List<WebhookEndpoint>();
        foreach (var scope in WebhookFanOut.Scopes(pending))
        {
            endpoints.AddRange(await ReadEndpointsAsync(connection, transaction, scope.MerchantId, scope.Livemode, cancellationToken).ConfigureAwait(false));
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (e, endpoint) in WebhookFanOut.Deliveries(pending, endpoints))
        {
            var (sql, parameters) = DeliveryInsert(e.Id, endpoint.Id, e.MerchantId, e.Livemode, e.Type, now, upsert: false);
            batch.BatchCommands.Add(Cmd(sql, parameters));
        }

        batch.BatchCommands.Add(Cmd("UPDATE events SET webhook_pending = false WHERE id = ANY($1);", P(pending.Select(e => e.Id).ToArray())));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return pending.Count;
    }

    public async Task<IReadOnlyList<ClaimedWebhookDelivery>> ClaimWebhookDeliveriesAsync(WebhookClaimRequest request, CancellationToken cancellationToken)
    {
        var now = request.Now.ToUnixTimeMilliseconds();
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
            var endpoint = endpoints.GetValueOrDefault(delivery.EndpointId);
            var evt = events.GetValueOrDefault(delivery.EventId);
            if (!WebhookFanOut.StillReceives(endpoint, evt))
            {
                canceled.Add(delivery.Id);
                continue;
            }

            claimed.Add(new ClaimedWebhookDelivery { Delivery = delivery, Event = evt, Endpoint = endpoint });
        }

        if (canceled.Count > 0)
        {
            await PostgresDatabase.ExecuteAsync(connection, transaction,
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
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Cmd($"INSERT INTO webhook_attempts ({AttemptColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13);",
            P(a.Id), P(a.DeliveryId), P(a.EventId), P(a.EndpointId), P(a.MerchantId), P(a.Livemode), P(a.Number), P(a.StartedAt.ToUnixTimeMilliseconds()),
            P(a.DurationMs), Int(a.ResponseStatus), Text(a.Error), Text(a.ResponseSnippet), P(a.Succeeded)));
        // The endpoint's row before the delivery's: the order an endpoint's delete takes them in (the endpoint, then its
        // pending deliveries), so an attempt finishing while its endpoint is deleted waits for the delete instead of
        // deadlocking with it. A delivery the delete canceled meanwhile stays canceled (status = 'pending' no longer holds).
        batch.BatchCommands.Add(a.Succeeded
            ? Cmd("UPDATE webhook_endpoints SET failure_streak = 0, failing_since = NULL WHERE id = $1 RETURNING failure_streak, failing_since;", P(a.EndpointId))
            : Cmd("""
                UPDATE webhook_endpoints SET failure_streak = failure_streak + 1, failing_since = COALESCE(failing_since, $2)
                WHERE id = $1 RETURNING failure_streak, failing_since;
                """, P(a.EndpointId), P(a.StartedAt.ToUnixTimeMilliseconds())));

        var update = Cmd("""
            UPDATE webhook_deliveries SET status = $3, attempt_count = attempt_count + 1,
                retry_count = CASE WHEN $4 THEN retry_count ELSE retry_count + 1 END,
                next_attempt_at = $5, last_attempt_at = $6, last_response_status = $7, last_error = $8,
                locked_until = 0, lease_holder = NULL, updated_at = $6
            WHERE id = $1 AND lease_holder = $2 AND status = 'pending';
            """,
            P(a.DeliveryId), P(completion.Holder), P(completion.Status.ToWire()), P(a.Succeeded),
            Long(completion.Status == WebhookDeliveryStatus.Pending && completion.NextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : null),
            P(finishedAt), Int(a.ResponseStatus), Text(a.Error));
        batch.BatchCommands.Add(update);

        var outcome = new WebhookAttemptOutcome { LeaseHeld = false, FailureStreak = 0 };
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            // Only the streak update returns a row.
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
        database.QuerySingleAsync($"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadDelivery, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> ListWebhookDeliveriesAsync(string merchantId, bool livemode, WebhookDeliveryListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
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

        return database.ListAsync("webhook_deliveries", DeliveryColumns, sql, query, ReadDelivery, cancellationToken);
    }

    public Task<IReadOnlyList<WebhookDeliveryAttempt>> ListWebhookAttemptsAsync(string merchantId, bool livemode, string deliveryId, CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT {AttemptColumns} FROM webhook_attempts WHERE delivery_id = $1 AND merchant_id = $2 AND livemode = $3 ORDER BY number, id;",
            [P(deliveryId), P(merchantId), P(livemode)], ReadAttempt, cancellationToken);

    public async Task<IReadOnlyList<WebhookDelivery>> RedeliverWebhookEventAsync(WebhookRedeliveryRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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

        var endpoints = await ReadEndpointsAsync(connection, transaction, evt.MerchantId, evt.Livemode, cancellationToken).ConfigureAwait(false);
        var queued = new List<WebhookDelivery>();
        foreach (var endpoint in WebhookFanOut.RedeliveryTargets(evt, request.EndpointId, endpoints))
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

    /// <summary>Every endpoint of a merchant and mode, enabled or not (<see cref="WebhookFanOut"/> decides which receive).</summary>
    private static async Task<List<WebhookEndpoint>> ReadEndpointsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string merchantId, bool livemode,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {EndpointColumns} FROM webhook_endpoints WHERE merchant_id = $1 AND livemode = $2 ORDER BY id;", connection, transaction);
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

    private static void AddAudit(CheckedBatch batch, AuditRecord? audit)
    {
        if (audit is not null)
        {
            batch.Audit.Add(audit);
        }
    }
}
