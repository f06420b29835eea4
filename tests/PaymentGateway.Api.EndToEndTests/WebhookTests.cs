using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>A gateway with a fast webhook dispatcher: 50 ms polling, 1 s attempt timeout, retries after 0.2 s (four attempts in all).</summary>
public sealed class WebhookGatewayFixture : IAsyncLifetime
{
    public static Dictionary<string, string?> FastWebhooks() => new()
    {
        ["PaymentGateway:Webhooks:PollInterval"] = "00:00:00.050",
        ["PaymentGateway:Webhooks:AttemptTimeout"] = "00:00:01",
        ["PaymentGateway:Webhooks:LeaseDuration"] = "00:00:03",
        ["PaymentGateway:Webhooks:RetryJitter"] = "0",
        ["PaymentGateway:Webhooks:RetrySchedule:0"] = "00:00:00.200",
        ["PaymentGateway:Webhooks:RetrySchedule:1"] = "00:00:00.200",
        ["PaymentGateway:Webhooks:RetrySchedule:2"] = "00:00:00.200",
    };

    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(FastWebhooks());

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public static class Webhooks
{
    public static async Task<(string Id, string Secret)> CreateEndpointAsync(GatewayClient client, string url, params string[] events)
    {
        var created = await client.PostAsync("/v1/webhook_endpoints", new { url, enabled_events = events.Length == 0 ? ["*"] : events });
        created.EnsureStatus(200);
        return (created.Str("id") ?? throw new InvalidOperationException("no id"), created.Str("secret") ?? throw new InvalidOperationException("no secret"));
    }

    public static async Task<JsonElement> DeliveriesOfEventAsync(GatewayClient client, string eventId) =>
        (await client.GetAsync($"/v1/events/{eventId}/deliveries")).EnsureStatus(200).Json.GetProperty("data");

    /// <summary>Polls the delivery of <paramref name="eventId"/> until its status is <paramref name="status"/>.</summary>
    public static async Task<JsonElement> WaitForDeliveryStatusAsync(GatewayClient client, string eventId, string status, TimeSpan? timeout = null)
    {
        var until = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        JsonElement last = default;
        while (DateTimeOffset.UtcNow < until)
        {
            var data = await DeliveriesOfEventAsync(client, eventId);
            if (data.GetArrayLength() > 0)
            {
                last = data[0];
                if (last.GetProperty("status").GetString() == status)
                {
                    return last;
                }
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"Delivery of {eventId} never became {status}; last: {last}");
    }

    public static async Task<string> CreatePaymentEventAsync(GatewayServer server, TestMerchant merchant)
    {
        var payment = await server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 1500, currency = "EUR" });
        payment.EnsureStatus(200);
        var events = await server.Client(merchant.SecretKey).GetAsync($"/v1/events?object_id={payment.Str("id")}&type=payment.created");
        return events.EnsureStatus(200).Json.GetProperty("data")[0].GetProperty("id").GetString() ?? throw new InvalidOperationException("no event");
    }
}

public sealed class WebhookTests(WebhookGatewayFixture fixture) : IClassFixture<WebhookGatewayFixture>
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Endpoint_is_created_with_a_secret_shown_once_listed_updated_and_deleted()
    {
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);

        var created = await client.PostAsync("/v1/webhook_endpoints", new
        {
            url = "https://merchant.example/hooks",
            enabled_events = new[] { "payment.succeeded", "refund.succeeded" },
            description = "orders",
        });
        created.EnsureStatus(200);
        var id = created.Str("id");
        Assert.StartsWith("we_", id);
        Assert.Equal("webhook_endpoint", created.Str("object"));
        Assert.Equal("enabled", created.Str("status"));
        var secret = created.Str("secret");
        Assert.StartsWith("whsec_", secret);
        Assert.True(Convert.FromBase64String(secret!["whsec_".Length..]).Length >= 24);

        var fetched = (await client.GetAsync($"/v1/webhook_endpoints/{id}")).EnsureStatus(200);
        Assert.False(fetched.Json.TryGetProperty("secret", out _), "secret must not be shown again");
        Assert.Equal(["payment.succeeded", "refund.succeeded"], fetched.Json.GetProperty("enabled_events").EnumerateArray().Select(e => e.GetString()));

        var list = (await client.GetAsync("/v1/webhook_endpoints")).EnsureStatus(200);
        Assert.Contains(list.Json.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.DoesNotContain("whsec_", list.Body, StringComparison.Ordinal);

        var updated = (await client.PostAsync($"/v1/webhook_endpoints/{id}", new { enabled_events = new[] { "*" }, disabled = true })).EnsureStatus(200);
        Assert.Equal("disabled", updated.Str("status"));
        Assert.Equal("Disabled by the merchant.", updated.Str("disabled_reason"));
        var enabled = (await client.PostAsync($"/v1/webhook_endpoints/{id}", new { disabled = false })).EnsureStatus(200);
        Assert.Equal("enabled", enabled.Str("status"));

        // Another merchant cannot see it.
        var other = await Server.CreateMerchantAsync();
        Problem.Assert(await Server.Client(other.SecretKey).GetAsync($"/v1/webhook_endpoints/{id}"), 404, "resource_missing");

        var deleted = (await client.SendAsync(HttpMethod.Delete, $"/v1/webhook_endpoints/{id}", null, null)).EnsureStatus(200);
        Assert.True(deleted.Json.GetProperty("deleted").GetBoolean());
        Problem.Assert(await client.GetAsync($"/v1/webhook_endpoints/{id}"), 404, "resource_missing");

        // The secret is stored only encrypted.
        var database = await File.ReadAllBytesAsync(Path.Combine(Server.DataDirectory, "gateway.db"));
        var wal = Path.Combine(Server.DataDirectory, "gateway.db-wal");
        var walBytes = File.Exists(wal) ? await ReadSharedAsync(wal) : [];
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(database) + Encoding.UTF8.GetString(walBytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_endpoint_requests_are_400s_with_stable_codes()
    {
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        Problem.Assert(await client.PostAsync("/v1/webhook_endpoints", new { url = "https://a.example/h", enabled_events = new[] { "payment.exploded" } }),
            400, "event_type_unknown", "enabled_events");
        Problem.Assert(await client.PostAsync("/v1/webhook_endpoints", new { url = "https://a.example/h", enabled_events = Array.Empty<string>() }),
            400, "parameter_invalid", "enabled_events");
        Problem.Assert(await client.PostAsync("/v1/webhook_endpoints", new { url = "ftp://a.example/h", enabled_events = new[] { "*" } }),
            400, "url_invalid", "url");
        Problem.Assert(await client.PostAsync("/v1/webhook_endpoints", new { url = "https://user:pw@a.example/h", enabled_events = new[] { "*" } }),
            400, "url_invalid", "url");
        Problem.Assert(await client.PostAsync("/v1/webhook_endpoints", new { enabled_events = new[] { "*" } }), 400, "parameter_missing", "url");
        Problem.Assert(await Server.Client(merchant.PublishableKey).GetAsync("/v1/webhook_endpoints"), 403, "secret_key_required");
    }

    [Fact]
    public async Task A_payments_whole_life_arrives_signed_with_the_event_id_as_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        var (_, secret) = await Webhooks.CreateEndpointAsync(client, receiver.Url);

        var payment = await Flows.PayAsync(Server, merchant, amount: 2000, captureMethod: "manual");
        payment.EnsureStatus(200);
        var paymentId = payment.Str("id");
        (await client.PostAsync($"/v1/payments/{paymentId}/capture", new { amount_to_capture = 1500 })).EnsureStatus(200);
        (await client.PostAsync("/v1/refunds", new { payment = paymentId, amount = 500 })).EnsureStatus(200);

        string[] expected = ["payment.created", "payment.processing", "payment.authorized", "payment.succeeded", "refund.created", "refund.succeeded"];
        var events = (await client.GetAsync("/v1/events?limit=100")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray()
            .Select(e => (Id: e.GetProperty("id").GetString(), Type: e.GetProperty("type").GetString()))
            .Where(e => e.Type?.StartsWith("api_key.", StringComparison.Ordinal) != true) // the merchant's keys, made before the endpoint
            .ToList();
        foreach (var type in expected)
        {
            Assert.Contains(events, e => e.Type == type);
        }

        // Ordering is not assumed and duplicates are allowed: compare sets of ids.
        var received = await receiver.WaitForAsync(r => events.All(e => r.Any(h => h.Id == e.Id)), what: "every event");
        foreach (var hook in received)
        {
            Assert.True(SpecVerifier.Verify(secret, hook.Id, hook.Timestamp, hook.Body, hook.Signature), $"signature of {hook.Id} does not verify");
            Assert.Matches("^v1,[A-Za-z0-9+/]+=*$", hook.Signature);
            Assert.InRange(long.Parse(hook.Timestamp!, System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
            using var body = JsonDocument.Parse(hook.Body);
            Assert.Equal(hook.Id, body.RootElement.GetProperty("id").GetString());
            Assert.Equal("event", body.RootElement.GetProperty("object").GetString());
            Assert.False(SpecVerifier.Verify(secret, hook.Id, hook.Timestamp, hook.Body + " ", hook.Signature), "a changed body must not verify");
        }

        // The payload is the event as the Events API returns it: the object as of the event.
        var succeeded = received.First(r => r.Type == "payment.succeeded");
        var apiEvent = (await client.GetAsync($"/v1/events/{succeeded.Id}")).EnsureStatus(200);
        using var payload = JsonDocument.Parse(succeeded.Body);
        Assert.Equal(apiEvent.Json.GetProperty("data").GetRawText(), payload.RootElement.GetProperty("data").GetRawText());
        Assert.Equal(1500, payload.RootElement.GetProperty("data").GetProperty("amount_received").GetInt64());

        var delivery = await Webhooks.WaitForDeliveryStatusAsync(client, succeeded.Id!, "succeeded");
        Assert.Equal(200, delivery.GetProperty("last_response_status").GetInt32());
        var attempt = delivery.GetProperty("attempts")[0];
        Assert.True(attempt.GetProperty("succeeded").GetBoolean());
        Assert.True(attempt.GetProperty("duration_ms").GetInt32() >= 0);
    }

    [Fact]
    public async Task Event_type_filter_sends_only_the_chosen_types()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        await Webhooks.CreateEndpointAsync(client, receiver.Url, "payment.succeeded");

        (await Flows.PayAsync(Server, merchant)).EnsureStatus(200);
        (await Flows.PayAsync(Server, merchant)).EnsureStatus(200);

        await receiver.WaitForAsync(r => r.Select(h => h.Id).Distinct().Count() >= 2, what: "two payment.succeeded");
        await Task.Delay(300);
        Assert.All(receiver.Received, r => Assert.Equal("payment.succeeded", r.Type));
    }

    [Fact]
    public async Task Retries_after_500_and_timeout_carry_the_same_webhook_id_until_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Handler = async (_, n, context) =>
        {
            switch (n)
            {
                case 0:
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync("boom: database down");
                    break;
                case 1:
                    await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted); // longer than the 1 s attempt timeout
                    break;
                default:
                    context.Response.StatusCode = 204;
                    break;
            }
        };
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        var (endpointId, secret) = await Webhooks.CreateEndpointAsync(client, receiver.Url, "payment.created");
        var eventId = await Webhooks.CreatePaymentEventAsync(Server, merchant);

        var received = await receiver.WaitForAsync(r => r.Count >= 3, what: "three attempts");
        Assert.All(received, r => Assert.Equal(eventId, r.Id));
        Assert.All(received, r => Assert.True(SpecVerifier.Verify(secret, r.Id, r.Timestamp, r.Body, r.Signature)));
        Assert.Single(received.Select(r => r.Body).Distinct());

        var delivery = await Webhooks.WaitForDeliveryStatusAsync(client, eventId, "succeeded");
        Assert.Equal(3, delivery.GetProperty("attempt_count").GetInt32());
        Assert.Equal(endpointId, delivery.GetProperty("webhook_endpoint").GetString());
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(500, attempts[0].GetProperty("response_status").GetInt32());
        Assert.Equal("boom: database down", attempts[0].GetProperty("response_snippet").GetString());
        Assert.Equal("timeout", attempts[1].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, attempts[1].GetProperty("response_status").ValueKind);
        Assert.Equal(204, attempts[2].GetProperty("response_status").GetInt32());
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task Failed_delivery_is_visible_after_the_last_retry_and_can_be_redelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var failing = true;
        receiver.Handler = (_, _, context) =>
        {
            context.Response.StatusCode = Volatile.Read(ref failing) ? 503 : 200;
            return Task.CompletedTask;
        };
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        var (endpointId, _) = await Webhooks.CreateEndpointAsync(client, receiver.Url, "payment.created");
        var eventId = await Webhooks.CreatePaymentEventAsync(Server, merchant);

        var failed = await Webhooks.WaitForDeliveryStatusAsync(client, eventId, "failed");
        Assert.Equal(4, failed.GetProperty("attempt_count").GetInt32());
        Assert.Equal(503, failed.GetProperty("last_response_status").GetInt32());
        var failedList = (await client.GetAsync($"/v1/webhook_endpoints/{endpointId}/deliveries?status=failed")).EnsureStatus(200);
        Assert.Contains(failedList.Json.GetProperty("data").EnumerateArray(), d => d.GetProperty("event").GetString() == eventId);

        Volatile.Write(ref failing, false);
        var queued = (await client.PostAsync($"/v1/events/{eventId}/redeliver", new { webhook_endpoint = endpointId })).EnsureStatus(200);
        Assert.Equal("pending", queued.Json.GetProperty("data")[0].GetProperty("status").GetString());
        var delivered = await Webhooks.WaitForDeliveryStatusAsync(client, eventId, "succeeded");
        Assert.Equal(5, delivered.GetProperty("attempt_count").GetInt32());
        Assert.All(receiver.Received, r => Assert.Equal(eventId, r.Id));

        // Redelivering a delivered event sends it again, with the same id (a duplicate the receiver must tolerate).
        (await client.PostAsync($"/v1/events/{eventId}/redeliver", null)).EnsureStatus(200);
        await receiver.WaitForAsync(r => r.Count >= 6, what: "the redelivered duplicate");
        Assert.All(receiver.Received, r => Assert.Equal(eventId, r.Id));

        Problem.Assert(await client.PostAsync("/v1/events/evt_00000000000000000000000000000/redeliver", null), 404, "resource_missing");
    }

    [Fact]
    public async Task Gone_410_disables_the_endpoint_with_a_reason_and_an_event()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Handler = (_, _, context) =>
        {
            context.Response.StatusCode = 410;
            return Task.CompletedTask;
        };
        await using var watcher = await WebhookReceiver.StartAsync();
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        var (endpointId, _) = await Webhooks.CreateEndpointAsync(client, receiver.Url, "payment.created");
        await Webhooks.CreateEndpointAsync(client, watcher.Url, "webhook_endpoint.disabled");
        var eventId = await Webhooks.CreatePaymentEventAsync(Server, merchant);

        var delivery = await Webhooks.WaitForDeliveryStatusAsync(client, eventId, "failed");
        Assert.Equal(1, delivery.GetProperty("attempt_count").GetInt32());
        // The attempt is recorded first, the endpoint disabled in the next commit: wait for it.
        var endpoint = (await client.GetAsync($"/v1/webhook_endpoints/{endpointId}")).EnsureStatus(200);
        for (var i = 0; i < 100 && endpoint.Str("status") != "disabled"; i++)
        {
            await Task.Delay(50);
            endpoint = (await client.GetAsync($"/v1/webhook_endpoints/{endpointId}")).EnsureStatus(200);
        }

        Assert.Equal("disabled", endpoint.Str("status"));
        Assert.Contains("410", endpoint.Str("disabled_reason"), StringComparison.Ordinal);

        var disabledEvents = (await client.GetAsync($"/v1/events?type=webhook_endpoint.disabled&object_id={endpointId}")).EnsureStatus(200);
        Assert.Equal(1, disabledEvents.Json.GetProperty("data").GetArrayLength());
        var notice = await watcher.WaitForAsync(r => r.Count >= 1, what: "the webhook_endpoint.disabled event");
        Assert.Equal("webhook_endpoint.disabled", notice[0].Type);
        Assert.DoesNotContain("whsec_", notice[0].Body, StringComparison.Ordinal);

        // Nothing more goes to a disabled endpoint.
        await Webhooks.CreatePaymentEventAsync(Server, merchant);
        await Task.Delay(500);
        Assert.Single(receiver.Received);
        Problem.Assert(await client.PostAsync($"/v1/events/{eventId}/redeliver", new { webhook_endpoint = endpointId }), 409, "webhook_endpoint_disabled");
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Handler = (_, n, context) =>
        {
            if (n == 0)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "2";
            }

            return Task.CompletedTask;
        };
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        await Webhooks.CreateEndpointAsync(client, receiver.Url, "payment.created");
        await Webhooks.CreatePaymentEventAsync(Server, merchant);

        var received = await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(10), "the retry");
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {received[1].At - received[0].At} despite Retry-After: 2");
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Handler = (hook, _, context) =>
        {
            if (hook.Path == "/hooks")
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = new Uri(receiver.BaseAddress, "/redirected").ToString();
            }

            return Task.CompletedTask;
        };
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        await Webhooks.CreateEndpointAsync(client, receiver.Url, "payment.created");
        var eventId = await Webhooks.CreatePaymentEventAsync(Server, merchant);

        var delivery = await Webhooks.WaitForDeliveryStatusAsync(client, eventId, "failed");
        Assert.Equal(302, delivery.GetProperty("last_response_status").GetInt32());
        Assert.All(receiver.Received, r => Assert.Equal("/hooks", r.Path));
    }

    [Fact]
    public async Task Rotation_signs_with_both_secrets_during_the_overlap_then_only_the_new_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        var (endpointId, oldSecret) = await Webhooks.CreateEndpointAsync(client, receiver.Url, "payment.created");

        var rotated = (await client.PostAsync($"/v1/webhook_endpoints/{endpointId}/rotate_secret", new { overlap_seconds = 3600 })).EnsureStatus(200);
        var newSecret = rotated.Str("secret") ?? throw new InvalidOperationException("no secret");
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(JsonValueKind.String, rotated.Json.GetProperty("previous_secret_expires_at").ValueKind);

        var first = await Webhooks.CreatePaymentEventAsync(Server, merchant);
        var hook = (await receiver.WaitForAsync(r => r.Any(h => h.Id == first), what: "the first event")).First(h => h.Id == first);
        var signatures = hook.Signature!.Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.True(SpecVerifier.Verify(newSecret, hook.Id, hook.Timestamp, hook.Body, signatures[0]), "first signature is the new secret's");
        Assert.True(SpecVerifier.Verify(oldSecret, hook.Id, hook.Timestamp, hook.Body, signatures[1]), "second signature is the old secret's");

        var again = (await client.PostAsync($"/v1/webhook_endpoints/{endpointId}/rotate_secret", new { overlap_seconds = 0 })).EnsureStatus(200);
        var newest = again.Str("secret") ?? throw new InvalidOperationException("no secret");
        var second = await Webhooks.CreatePaymentEventAsync(Server, merchant);
        var hook2 = (await receiver.WaitForAsync(r => r.Any(h => h.Id == second), what: "the second event")).First(h => h.Id == second);
        Assert.Single(hook2.Signature!.Split(' '));
        Assert.True(SpecVerifier.Verify(newest, hook2.Id, hook2.Timestamp, hook2.Body, hook2.Signature));
        Assert.False(SpecVerifier.Verify(newSecret, hook2.Id, hook2.Timestamp, hook2.Body, hook2.Signature));
        Assert.False(SpecVerifier.Verify(oldSecret, hook2.Id, hook2.Timestamp, hook2.Body, hook2.Signature));

        Problem.Assert(await client.PostAsync($"/v1/webhook_endpoints/{endpointId}/rotate_secret", new { overlap_seconds = -1 }), 400, "parameter_invalid", "overlap_seconds");
    }

    [Fact]
    public async Task Create_and_rotate_replays_are_stored_encrypted_and_return_the_same_secret()
    {
        var merchant = await Server.CreateMerchantAsync();
        var client = Server.Client(merchant.SecretKey);
        var body = new { url = "https://merchant.example/replay", enabled_events = new[] { "*" } };
        var first = (await client.PostAsync("/v1/webhook_endpoints", body, "we-create-1")).EnsureStatus(200);
        var replay = (await client.PostAsync("/v1/webhook_endpoints", body, "we-create-1")).EnsureStatus(200);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(first.Str("id"), replay.Str("id"));
        Assert.Equal(first.Str("secret"), replay.Str("secret"));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
