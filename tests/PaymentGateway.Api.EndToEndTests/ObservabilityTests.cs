using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Host.Observability;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class ObservabilityTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Metrics_AfterPayments_ExposePaymentAndProviderSeriesWithLabels()
    {
        var merchant = await Server.CreateMerchantAsync();
        (await Flows.PayAsync(Server, merchant, currency: "JPY", amount: 500)).EnsureStatus(200);
        (await Flows.PayAsync(Server, merchant, number: "4000000000000002")).EnsureStatus(402);

        var scrape = await Server.Client(null).GetAsync("/metrics");

        Assert.Equal(200, scrape.Status);
        var text = scrape.Body;
        Assert.Matches("paymentgateway_payments_transitions_total\\{[^}]*currency=\"JPY\"[^}]*status=\"succeeded\"", text);
        Assert.Matches("paymentgateway_payments_transitions_total\\{[^}]*status=\"failed\"", text);
        Assert.Matches("paymentgateway_provider_call_duration_seconds_bucket\\{[^}]*flow=\"authorize\"[^}]*outcome=\"declined\"[^}]*provider=\"simulator\"", text);
        Assert.Contains("paymentgateway_vault_operations_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4000000000000002", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_OneShotPayment_HasServerSpanThenProviderAttemptSpan()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var captured = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "PaymentGateway" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    captured.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var merchant = await Server.CreateMerchantAsync();
        var pm = await Flows.TokenizeAsync(Server, merchant);

        // The caller's trace: W3C trace context flows to the gateway, whose spans join this trace id.
        using (var caller = new Activity("test-caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            var client = Server.Client(merchant.SecretKey);
            (await client.PostAsync("/v1/payments", new { amount = 1200, currency = "EUR", payment_method = pm, confirm = true })).EnsureStatus(200);
        }

        var spans = captured.OrderBy(a => a.StartTimeUtc).ToList();
        var server = Assert.Single(spans, a => a.Kind == ActivityKind.Server);
        var provider = Assert.Single(spans, a => a.OperationName == "provider.authorize");
        Assert.Equal(server.SpanId, provider.ParentSpanId);
        Assert.True(provider.StartTimeUtc >= server.StartTimeUtc);
        Assert.Equal("simulator", provider.GetTagItem("paymentgateway.provider"));
        Assert.Equal("succeeded", provider.GetTagItem("paymentgateway.outcome"));
        Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains("4242424242424242", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void JsonLogLine_HostileValues_AreRedacted()
    {
        var state = new List<KeyValuePair<string, object?>>
        {
            new("PaymentId", "pay_123"),
            new("Cvc", "737"),
            new("Detail", "customer typed 4242 4242 4242 4242 into the name field"),
            new("Header", "Bearer sk_test_q4TDd2i6ROsNBRMyqcyHjizP2k2lyJch"),
            new("{OriginalFormat}", "Payment {PaymentId} failed: {Detail}"),
        };

        var line = RedactionLogging.Format(LogLevel.Warning, "Test", state, new InvalidOperationException("card 5555555555554444 cvc=123"),
            (_, _) => "Payment pay_123 failed: customer typed 4242 4242 4242 4242 into the name field; key sk_test_q4TDd2i6ROsNBRMyqcyHjizP2k2lyJch");

        using var json = JsonDocument.Parse(line);
        Assert.Equal("pay_123", json.RootElement.GetProperty("payment_id").GetString());
        Assert.Equal("***", json.RootElement.GetProperty("cvc").GetString());
        Assert.DoesNotContain("4242 4242", line, StringComparison.Ordinal);
        Assert.DoesNotContain("5555555555554444", line, StringComparison.Ordinal);
        Assert.DoesNotContain("q4TDd2i6", line, StringComparison.Ordinal);
        Assert.DoesNotContain("737", line, StringComparison.Ordinal);
        Assert.DoesNotContain("cvc=123", line, StringComparison.Ordinal);
        Assert.Contains("[REDACTED_PAN]", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_WhenTheDatabaseIsGone_Is503_WhileLiveStays200()
    {
        await using var server = await GatewayServer.StartAsync();
        (await server.Client(null).GetAsync("/health/ready")).EnsureStatus(200);

        foreach (var file in Directory.GetFiles(server.DataDirectory, "gateway.db*"))
        {
            File.Delete(file);
        }

        Assert.Equal(503, (await server.Client(null).GetAsync("/health/ready")).Status);
        Assert.Equal(200, (await server.Client(null).GetAsync("/health/live")).Status);
    }
}

[Collection(GatewayCollection.Name)]
public sealed class BenchCeilingEndpointTests(GatewayFixture fixture)
{
    [Fact]
    public async Task BenchCeiling_IsNotMappedUnlessConfigured()
    {
        var response = await fixture.Server.Client(null).GetAsync("/bench/ceiling");

        Assert.Equal(404, response.Status);
        Assert.Equal("route_not_found", response.Code);
    }

    [Fact]
    public async Task BenchCeiling_WhenConfigured_AnswersWithoutAuthOrStorage()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Bench:CeilingEndpoint"] = "true" });

        var response = await server.Client(null).GetAsync("/bench/ceiling");

        Assert.Equal(200, response.Status);
        Assert.Equal(JsonValueKind.Object, response.Json.ValueKind);
    }
}
