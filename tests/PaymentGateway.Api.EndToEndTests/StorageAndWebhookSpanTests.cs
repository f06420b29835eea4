using System.Collections.Concurrent;
using System.Diagnostics;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>Storage calls inside a request are child spans of it; each webhook attempt is a <c>webhook.deliver</c> span without URL or body.</summary>
[Collection(GatewayCollection.Name)]
public sealed class StorageAndWebhookSpanTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task PaymentTrace_HasStorageSpansUnderTheServerSpan()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var captured = new ConcurrentQueue<Activity>();
        using var listener = Listen(a =>
        {
            if (a.TraceId == traceId)
            {
                captured.Enqueue(a);
            }
        });
        var merchant = await Server.CreateMerchantAsync();
        var pm = await Flows.TokenizeAsync(Server, merchant);

        using (new Activity("test-caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            (await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 900, currency = "EUR", payment_method = pm, confirm = true }))
                .EnsureStatus(200);
        }

        var spans = captured.ToList();
        var server = Assert.Single(spans, a => a.Kind == ActivityKind.Server);
        var store = spans.Where(a => a.OperationName.StartsWith("store ", StringComparison.Ordinal)).ToList();
        Assert.Contains(store, a => a.OperationName == "store Commit");
        Assert.All(store, a =>
        {
            Assert.Equal(ActivityKind.Client, a.Kind);
            Assert.Equal("sqlite", a.GetTagItem("db.system"));
            Assert.Equal("ok", a.GetTagItem("paymentgateway.outcome"));
        });
        Assert.Contains(store, a => a.ParentSpanId == server.SpanId);
    }

    [Fact]
    public async Task KeyedOneShotPayment_WritesItsKeyInThePaymentsOwnTwoCommits_AndAReplayWritesNothing()
    {
        var merchant = await Server.CreateMerchantAsync();
        var pm = await Flows.TokenizeAsync(Server, merchant);
        var api = Server.Client(merchant.SecretKey);
        var body = new { amount = 900, currency = "EUR", payment_method = pm, confirm = true };
        var key = "idem-" + Guid.NewGuid().ToString("N");

        var (first, firstOps) = await StoreOperationsOfAsync(() => api.PostAsync("/v1/payments", body, key));
        var (replay, replayOps) = await StoreOperationsOfAsync(() => api.PostAsync("/v1/payments", body, key));

        // The claim rides in the first commit (payment created and processing), the stored response in the second (the
        // provider's answer): no commit of the key's own, and no look-up of a payment under a seed made for this request.
        first.EnsureStatus(200);
        Assert.Equal(2, firstOps.Count(o => o == "Commit"));
        Assert.Equal(1, firstOps.Count(o => o == "FindIdempotencyKey"));
        Assert.DoesNotContain(firstOps, o => o is "BeginIdempotentRequest" or "CompleteIdempotentRequest" or "CommitIdempotency" or "GetPayment");
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal(["FindIdempotencyKey"], replayOps);
    }

    [Fact]
    public async Task KeyedDecline_StoresTheSame402ItSends_InItsLastCommit()
    {
        var merchant = await Server.CreateMerchantAsync();
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.InsufficientFunds);
        var api = Server.Client(merchant.SecretKey);
        var body = new { amount = 900, currency = "EUR", payment_method = pm, confirm = true };
        var key = "idem-" + Guid.NewGuid().ToString("N");

        var (first, ops) = await StoreOperationsOfAsync(() => api.PostAsync("/v1/payments", body, key));
        var replay = await api.PostAsync("/v1/payments", body, key);

        Problem.Assert(first, 402, "card_declined");
        Assert.Equal(2, ops.Count(o => o == "Commit"));
        Assert.DoesNotContain(ops, o => o is "CompleteIdempotentRequest" or "CommitIdempotency");
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal(first.Str("request_id"), replay.Str("request_id"));
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
    }

    /// <summary>Runs <paramref name="call"/> in a trace of its own and returns the store operations its request made.</summary>
    private static async Task<(ApiResponse Response, List<string> Operations)> StoreOperationsOfAsync(Func<Task<ApiResponse>> call)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var captured = new ConcurrentQueue<string>();
        using var listener = Listen(a =>
        {
            if (a.TraceId == traceId && a.GetTagItem("paymentgateway.storage.operation") is string operation)
            {
                captured.Enqueue(operation);
            }
        });
        ApiResponse response;
        using (new Activity("test-caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            response = await call();
        }

        return (response, [.. captured]);
    }

    [Fact]
    public async Task WebhookAttempt_IsAWebhookDeliverSpanWithIdsAndStatus()
    {
        var captured = new ConcurrentQueue<Activity>();
        using var listener = Listen(a =>
        {
            if (a.OperationName == "webhook.deliver")
            {
                captured.Enqueue(a);
            }
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var endpoint = (await api.PostAsync("/v1/webhook_endpoints", new { url = receiver.Url + "?token=s3cr3t", enabled_events = new[] { "payment.succeeded" } }))
            .EnsureStatus(200);
        var endpointId = endpoint.Str("id");
        (await Flows.PayAsync(Server, merchant)).EnsureStatus(200);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        Activity? span = null;
        while (span is null && DateTime.UtcNow < deadline)
        {
            span = captured.FirstOrDefault(a => (string?)a.GetTagItem("paymentgateway.webhook.endpoint_id") == endpointId);
            await Task.Delay(100);
        }

        Assert.NotNull(span);
        Assert.Equal("payment.succeeded", span.GetTagItem("paymentgateway.webhook.event_type"));
        Assert.Equal("succeeded", span.GetTagItem("paymentgateway.outcome"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.StartsWith("evt_", (string?)span.GetTagItem("paymentgateway.webhook.event_id"), StringComparison.Ordinal);
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("s3cr3t", StringComparison.Ordinal) == true
            || t.Value?.ToString()?.Contains("http://", StringComparison.Ordinal) == true);
    }

    private static ActivityListener Listen(Action<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "PaymentGateway" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
