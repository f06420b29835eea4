using System.Text.Json;
using WireMock.RequestBuilders;

namespace PaymentGateway.Sdk.ContractTests;

/// <summary>What the SDK sends for webhook endpoints, delivery logs and redelivery, and how it reads the answers.</summary>
public sealed class WebhookEndpointsTests : IDisposable
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly FakeGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    public static string EndpointJson(string id = "we_1", string status = "enabled", string? secret = null) => $$"""
        {"id":"{{id}}","object":"webhook_endpoint","livemode":false,"url":"https://shop.example/hooks","description":"shop",
         "enabled_events":["payment.succeeded","refund.succeeded"],"status":"{{status}}","disabled_reason":null,"disabled_at":null,
         {{(secret is null ? "" : $"\"secret\":\"{secret}\",")}}"previous_secret_expires_at":null,
         "created":"2025-01-02T03:04:05Z","updated":"2025-01-02T03:04:06Z"}
        """;

    public static string DeliveryJson(string id = "wd_1", string status = "failed") => $$"""
        {"id":"{{id}}","object":"webhook_delivery","livemode":false,"event":"evt_1","event_type":"payment.succeeded",
         "webhook_endpoint":"we_1","status":"{{status}}","attempt_count":2,"next_attempt_at":null,
         "last_attempt_at":"2025-01-02T03:05:00Z","last_response_status":500,"last_error":null,
         "attempts":[
           {"id":"wa_1","number":1,"succeeded":false,"response_status":null,"error":"timeout","response_snippet":null,"duration_ms":15000,"created":"2025-01-02T03:04:10Z"},
           {"id":"wa_2","number":2,"succeeded":false,"response_status":500,"error":null,"response_snippet":"oops","duration_ms":12,"created":"2025-01-02T03:05:00Z"}],
         "created":"2025-01-02T03:04:05Z","updated":"2025-01-02T03:05:00Z"}
        """;

    [Fact]
    public async Task Create_SendsUrlEnabledEventsAndDescription_WithIdempotencyKey_AndReturnsTheSecretOnce()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints").UsingPost())
            .RespondWith(FakeGateway.Json(200, EndpointJson(secret: Secret), requestId: "req_we"));
        using var client = _gateway.CreateClient();

        var endpoint = await client.WebhookEndpoints.CreateAsync(new CreateWebhookEndpointRequest
        {
            Url = "https://shop.example/hooks",
            EnabledEvents = [EventType.PaymentSucceeded, EventType.RefundSucceeded],
            Description = "shop",
        });

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/webhook_endpoints", sent.Path);
        Assert.Equal($"Bearer {FakeGateway.SecretKey}", FakeGateway.Header(sent, "Authorization"));
        Assert.False(string.IsNullOrEmpty(FakeGateway.Header(sent, "Idempotency-Key")));
        Assert.Equal(
            """{"url":"https://shop.example/hooks","enabled_events":["payment.succeeded","refund.succeeded"],"description":"shop"}""",
            sent.Body);

        Assert.Equal("we_1", endpoint.Id);
        Assert.Equal(Secret, endpoint.Secret);
        Assert.Equal(WebhookEndpointStatus.Enabled, endpoint.Status);
        Assert.Equal([EventType.PaymentSucceeded, EventType.RefundSucceeded], endpoint.EnabledEvents);
        Assert.Equal("shop", endpoint.Description);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.Zero), endpoint.Updated);
        Assert.Equal("req_we", endpoint.RequestId);
        Assert.DoesNotContain(Secret, endpoint.ToString(), StringComparison.Ordinal);
        Assert.Contains("Secret = ***", endpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithTheWildcard_SendsStar_AndOmitsAnUnsetDescription()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints").UsingPost()).RespondWith(FakeGateway.Json(200, EndpointJson(secret: Secret)));
        using var client = _gateway.CreateClient();

        await client.WebhookEndpoints.CreateAsync(
            new CreateWebhookEndpointRequest { Url = "https://shop.example/hooks", EnabledEvents = [EventType.All] },
            new RequestOptions { IdempotencyKey = "we-create-1" });

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("""{"url":"https://shop.example/hooks","enabled_events":["*"]}""", sent.Body);
        Assert.Equal("we-create-1", FakeGateway.Header(sent, "Idempotency-Key"));
    }

    [Fact]
    public async Task Create_RetriedAfter503_ReusesTheIdempotencyKey()
    {
        _gateway.RespondInSequence(
            Request.Create().WithPath("/v1/webhook_endpoints").UsingPost(),
            FakeGateway.Problem(503, "provider_unavailable"),
            FakeGateway.Json(200, EndpointJson(secret: Secret)));
        using var client = _gateway.CreateClient();

        var endpoint = await client.WebhookEndpoints.CreateAsync(
            new CreateWebhookEndpointRequest { Url = "https://shop.example/hooks", EnabledEvents = [EventType.PaymentSucceeded] });

        Assert.Equal(Secret, endpoint.Secret);
        var keys = _gateway.Requests.Select(r => FakeGateway.Header(r, "Idempotency-Key")).ToList();
        Assert.Equal(2, keys.Count);
        Assert.False(string.IsNullOrEmpty(keys[0]));
        Assert.Equal(keys[0], keys[1]);
    }

    [Fact]
    public async Task Create_RefusedUrl_MapsToUrlNotAllowed()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints").UsingPost())
            .RespondWith(FakeGateway.Problem(400, "url_not_allowed", param: "url", requestId: "req_ssrf"));
        using var client = _gateway.CreateClient();

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.WebhookEndpoints.CreateAsync(
            new CreateWebhookEndpointRequest { Url = "http://169.254.169.254/", EnabledEvents = [EventType.All] }));

        Assert.Equal(400, error.Status);
        Assert.Equal(ErrorCode.UrlNotAllowed, error.Code);
        Assert.Equal("url", error.Param);
        Assert.Equal("req_ssrf", error.RequestId);
        Assert.Equal(FakeGateway.Header(Assert.Single(_gateway.Requests), "Idempotency-Key"), error.IdempotencyKey);
    }

    [Fact]
    public async Task Get_SendsGetWithoutIdempotencyKey_AndHasNoSecret()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints/we_1").UsingGet()).RespondWith(FakeGateway.Json(200, EndpointJson()));
        using var client = _gateway.CreateClient();

        var endpoint = await client.WebhookEndpoints.GetAsync("we_1");

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Null(FakeGateway.Header(sent, "Idempotency-Key"));
        Assert.Null(endpoint.Secret);
        Assert.Equal("https://shop.example/hooks", endpoint.Url);
    }

    [Fact]
    public async Task Get_Missing_MapsTo404ResourceMissing()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints/we_x").UsingGet())
            .RespondWith(FakeGateway.Problem(404, "resource_missing", param: "id"));
        using var client = _gateway.CreateClient();

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.WebhookEndpoints.GetAsync("we_x"));

        Assert.Equal(404, error.Status);
        Assert.Equal(ErrorCode.ResourceMissing, error.Code);
        Assert.Null(error.IdempotencyKey);
    }

    [Fact]
    public async Task ListAutoPaging_FollowsCursors()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints").UsingGet().WithParam("starting_after", "we_2"))
            .AtPriority(1)
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(false, EndpointJson("we_3"))));
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints").UsingGet())
            .AtPriority(2)
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(true, EndpointJson("we_1"), EndpointJson("we_2"))));
        using var client = _gateway.CreateClient();

        var ids = new List<string>();
        await foreach (var endpoint in client.WebhookEndpoints.ListAutoPagingAsync(new ListWebhookEndpointsRequest { Limit = 2 }))
        {
            ids.Add(endpoint.Id);
        }

        Assert.Equal(["we_1", "we_2", "we_3"], ids);
        var queries = _gateway.Requests.Select(FakeGateway.DecodedQuery).ToList();
        Assert.Equal("2", queries[0]["limit"]);
        Assert.False(queries[0].ContainsKey("starting_after"));
        Assert.Equal("we_2", queries[1]["starting_after"]);
    }

    [Fact]
    public async Task Update_SendsOnlyTheSetFields_ToPostId_WithIdempotencyKey()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints/we_1").UsingPost())
            .RespondWith(FakeGateway.Json(200, EndpointJson(status: "disabled")));
        using var client = _gateway.CreateClient();

        await client.WebhookEndpoints.UpdateAsync("we_1", new UpdateWebhookEndpointRequest
        {
            Url = "https://shop.example/hooks2",
            EnabledEvents = [EventType.PaymentFailed],
        });
        var endpoint = await client.WebhookEndpoints.UpdateAsync("we_1", new UpdateWebhookEndpointRequest { Disabled = true });

        var requests = _gateway.Requests;
        Assert.All(requests, r => Assert.Equal("POST", r.Method));
        Assert.All(requests, r => Assert.Equal("/v1/webhook_endpoints/we_1", r.Path));
        Assert.Equal("""{"url":"https://shop.example/hooks2","enabled_events":["payment.failed"]}""", requests[0].Body);
        Assert.Equal("""{"disabled":true}""", requests[1].Body);
        var keys = requests.Select(r => FakeGateway.Header(r, "Idempotency-Key")).ToList();
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty(k)));
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Equal(WebhookEndpointStatus.Disabled, endpoint.Status);
    }

    [Fact]
    public async Task Delete_SendsDelete_AndReadsTheDeletedObject()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints/we_1").UsingDelete())
            .RespondWith(FakeGateway.Json(200, """{"id":"we_1","object":"webhook_endpoint","deleted":true}"""));
        using var client = _gateway.CreateClient();

        var deleted = await client.WebhookEndpoints.DeleteAsync("we_1");

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("DELETE", sent.Method);
        Assert.Equal("/v1/webhook_endpoints/we_1", sent.Path);
        Assert.True(string.IsNullOrEmpty(sent.Body));
        Assert.Equal("we_1", deleted.Id);
        Assert.Equal("webhook_endpoint", deleted.Object);
        Assert.True(deleted.Deleted);
    }

    [Fact]
    public async Task RotateSecret_SendsOverlapSeconds_OrAnEmptyObject_WithIdempotencyKeys()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints/we_1/rotate_secret").UsingPost())
            .RespondWith(FakeGateway.Json(200, EndpointJson(secret: "whsec_bmV3c2VjcmV0").Replace(
                "\"previous_secret_expires_at\":null", "\"previous_secret_expires_at\":\"2025-01-03T03:04:05Z\"", StringComparison.Ordinal)));
        using var client = _gateway.CreateClient();

        var rotated = await client.WebhookEndpoints.RotateSecretAsync("we_1", new RotateWebhookSecretRequest { OverlapSeconds = 3600 });
        await client.WebhookEndpoints.RotateSecretAsync("we_1");

        var requests = _gateway.Requests;
        Assert.Equal("""{"overlap_seconds":3600}""", requests[0].Body);
        Assert.Equal("{}", requests[1].Body);
        Assert.All(requests, r => Assert.False(string.IsNullOrEmpty(FakeGateway.Header(r, "Idempotency-Key"))));
        Assert.Equal("whsec_bmV3c2VjcmV0", rotated.Secret);
        Assert.Equal(new DateTimeOffset(2025, 1, 3, 3, 4, 5, TimeSpan.Zero), rotated.PreviousSecretExpiresAt);
    }

    [Fact]
    public async Task ListDeliveries_SendsStatusFilter_AndReadsAttempts()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/webhook_endpoints/we_1/deliveries").UsingGet())
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(false, DeliveryJson(), DeliveryJson("wd_2", status: "quarantined"))));
        using var client = _gateway.CreateClient();

        var page = await client.WebhookEndpoints.ListDeliveriesAsync(
            "we_1", new ListWebhookDeliveriesRequest { Status = WebhookDeliveryStatus.Failed, Limit = 10 });

        var query = FakeGateway.DecodedQuery(Assert.Single(_gateway.Requests));
        Assert.Equal("failed", query["status"]);
        Assert.Equal("10", query["limit"]);
        var delivery = page.Data[0];
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal("evt_1", delivery.Event);
        Assert.Equal(EventType.PaymentSucceeded, delivery.EventType);
        Assert.Equal("we_1", delivery.WebhookEndpoint);
        Assert.Equal(2, delivery.AttemptCount);
        Assert.Equal(500, delivery.LastResponseStatus);
        Assert.NotNull(delivery.Attempts);
        Assert.Equal("timeout", delivery.Attempts[0].Error);
        Assert.Equal(15000, delivery.Attempts[0].DurationMs);
        Assert.Equal("oops", delivery.Attempts[1].ResponseSnippet);
        Assert.Equal("quarantined", page.Data[1].Status.Value);
    }

    [Fact]
    public async Task EventDeliveries_AreListedUnderTheEvent()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/events/evt_1/deliveries").UsingGet())
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(false, DeliveryJson(status: "succeeded"))));
        using var client = _gateway.CreateClient();

        var deliveries = new List<WebhookDelivery>();
        await foreach (var d in client.Events.ListDeliveriesAutoPagingAsync("evt_1"))
        {
            deliveries.Add(d);
        }

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, Assert.Single(deliveries).Status);
    }

    [Fact]
    public async Task Redeliver_PostsTheEndpointOrAnEmptyObject_WithIdempotencyKeys()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/events/evt_1/redeliver").UsingPost())
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(false, DeliveryJson(status: "pending"))));
        using var client = _gateway.CreateClient();

        var queued = await client.Events.RedeliverAsync("evt_1", new RedeliverEventRequest { WebhookEndpoint = "we_1" });
        await client.Events.RedeliverAsync("evt_1");

        var requests = _gateway.Requests;
        Assert.All(requests, r => Assert.Equal("POST", r.Method));
        Assert.Equal("""{"webhook_endpoint":"we_1"}""", requests[0].Body);
        Assert.Equal("{}", requests[1].Body);
        var keys = requests.Select(r => FakeGateway.Header(r, "Idempotency-Key")).ToList();
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty(k)));
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Equal(WebhookDeliveryStatus.Pending, Assert.Single(queued.Data).Status);
    }

    [Fact]
    public async Task Redeliver_ToADisabledEndpoint_MapsTo409()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/events/evt_1/redeliver").UsingPost())
            .RespondWith(FakeGateway.Problem(409, "webhook_endpoint_disabled", param: "webhook_endpoint"));
        using var client = _gateway.CreateClient();

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.Events.RedeliverAsync("evt_1", new RedeliverEventRequest { WebhookEndpoint = "we_1" }));

        Assert.Equal(409, error.Status);
        Assert.Equal(ErrorCode.WebhookEndpointDisabled, error.Code);
        Assert.Single(_gateway.Requests); // a state conflict is not retried
    }

    [Fact]
    public async Task OverGrpc_WebhookOperations_ThrowNotSupported_WithoutSending()
    {
        using var client = _gateway.CreateClient(o => o.Transport = PaymentGatewayTransport.Grpc);

        var create = await Assert.ThrowsAsync<NotSupportedException>(() => client.WebhookEndpoints.CreateAsync(
            new CreateWebhookEndpointRequest { Url = "https://shop.example/hooks", EnabledEvents = [EventType.All] }));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.WebhookEndpoints.GetAsync("we_1"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.WebhookEndpoints.DeleteAsync("we_1"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.WebhookEndpoints.RotateSecretAsync("we_1"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.Events.RedeliverAsync("evt_1"));
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            await foreach (var _ in client.WebhookEndpoints.ListAutoPagingAsync())
            {
            }
        });

        Assert.Contains("REST transport", create.Message, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public void WebhookModels_RoundTripUnknownFieldsAndValues()
    {
        var endpoint = JsonSerializer.Deserialize(
            EndpointJson().Replace("\"status\":\"enabled\"", "\"status\":\"paused\",\"new_field\":1", StringComparison.Ordinal),
            Internal.SdkJsonContext.Default.WebhookEndpoint);

        Assert.Equal("paused", endpoint?.Status.Value);
    }
}
