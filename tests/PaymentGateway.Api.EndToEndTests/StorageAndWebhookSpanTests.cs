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
