using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>
/// The real gateway delivering to a receiver built with PaymentGateway.Sdk.AspNetCore, with the endpoint registered,
/// inspected and redelivered through the SDK.
/// </summary>
public sealed class SdkWebhookTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    private TestMerchant Merchant => _merchant ?? throw new InvalidOperationException();

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:Webhooks:PollInterval"] = "00:00:00.050",
            ["PaymentGateway:Webhooks:AttemptTimeout"] = "00:00:02",
            ["PaymentGateway:Webhooks:LeaseDuration"] = "00:00:05",
            ["PaymentGateway:Webhooks:RetryJitter"] = "0",
            ["PaymentGateway:Webhooks:RetrySchedule:0"] = "00:00:00.200",
        });
        _merchant = await _server.CreateMerchantAsync("SDK webhooks merchant");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private PaymentGatewayClient NewClient() => new(new PaymentGatewayClientOptions { BaseAddress = Server.BaseAddress, ApiKey = Merchant.SecretKey });

    [Fact]
    public async Task PaymentEvents_ArriveVerifiedAtTheHelper_AndARedeliveryComesWithTheSameWebhookId()
    {
        using var client = NewClient();
        var port = FreePort();
        var endpoint = await client.WebhookEndpoints.CreateAsync(new CreateWebhookEndpointRequest
        {
            Url = $"http://127.0.0.1:{port}/webhooks",
            EnabledEvents = [EventType.All],
            Description = "sdk e2e",
        });
        Assert.StartsWith("whsec_", endpoint.Secret, StringComparison.Ordinal);
        await using var receiver = await Receiver.StartAsync(port, [endpoint.Secret ?? ""]);

        var method = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" } },
            new RequestOptions { ApiKey = Merchant.PublishableKey });
        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 1500,
            Currency = "EUR",
            PaymentMethod = method.Id,
            Confirm = true,
        });
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);

        // Deliveries may arrive in any order: wait for both events of this payment.
        await receiver.WaitForAsync(r => r.Any(w => w.Event.Type == EventType.PaymentSucceeded) && r.Any(w => w.Event.Type == EventType.PaymentCreated),
            "payment.created and payment.succeeded");
        var received = receiver.Received.Where(w => w.Event.Data.GetProperty("id").GetString() == payment.Id).ToList();
        var types = received.Select(w => w.Event.Type).ToList();
        Assert.Contains(EventType.PaymentCreated, types);
        Assert.Contains(EventType.PaymentSucceeded, types);
        Assert.True(
            received.First(w => w.Event.Type == EventType.PaymentCreated).Event.Created
                <= received.First(w => w.Event.Type == EventType.PaymentSucceeded).Event.Created,
            "payment.created happened before payment.succeeded");
        Assert.All(received, w => Assert.Equal(w.Event.Id, w.WebhookId));
        Assert.Equal(0, receiver.Rejected);

        // The delivery log, through the SDK.
        var succeeded = received.First(w => w.Event.Type == EventType.PaymentSucceeded).Event;
        var delivery = await WaitForDeliveryAsync(client, succeeded.Id, WebhookDeliveryStatus.Succeeded);
        Assert.Equal(endpoint.Id, delivery.WebhookEndpoint);
        Assert.Equal(EventType.PaymentSucceeded, delivery.EventType);
        Assert.True(delivery.AttemptCount >= 1);
        var endpointLog = await client.WebhookEndpoints.ListDeliveriesAsync(
            endpoint.Id, new ListWebhookDeliveriesRequest { Status = WebhookDeliveryStatus.Succeeded });
        Assert.Contains(endpointLog.Data, d => d.Event == succeeded.Id);

        // Redelivery through the SDK: the same event, with the same webhook-id, verified again.
        var before = receiver.Received.Count(w => w.WebhookId == succeeded.Id);
        var queued = await client.Events.RedeliverAsync(succeeded.Id, new RedeliverEventRequest { WebhookEndpoint = endpoint.Id });
        Assert.Equal(endpoint.Id, Assert.Single(queued.Data).WebhookEndpoint);
        await receiver.WaitForAsync(r => r.Count(w => w.WebhookId == succeeded.Id) > before, "the redelivery");
        var copies = receiver.Received.Where(w => w.WebhookId == succeeded.Id).ToList();
        Assert.All(copies, w =>
        {
            Assert.Equal(succeeded.Type, w.Event.Type);
            Assert.Equal(succeeded.Created, w.Event.Created);
            Assert.Equal(succeeded.Data.GetRawText(), w.Event.Data.GetRawText());
        });
        Assert.Equal(0, receiver.Rejected);
    }

    [Fact]
    public async Task WebhookEndpoint_Lifecycle_ThroughTheSdk()
    {
        using var client = NewClient();
        var created = await client.WebhookEndpoints.CreateAsync(new CreateWebhookEndpointRequest
        {
            Url = "http://127.0.0.1:9/hooks",
            EnabledEvents = [EventType.PaymentSucceeded, EventType.RefundSucceeded],
        });
        Assert.Equal(WebhookEndpointStatus.Enabled, created.Status);
        Assert.NotNull(created.Secret);

        var fetched = await client.WebhookEndpoints.GetAsync(created.Id);
        Assert.Null(fetched.Secret);
        Assert.Equal([EventType.PaymentSucceeded, EventType.RefundSucceeded], fetched.EnabledEvents);

        var ids = new List<string>();
        await foreach (var e in client.WebhookEndpoints.ListAutoPagingAsync(new ListWebhookEndpointsRequest { Limit = 1 }))
        {
            ids.Add(e.Id);
        }

        Assert.Contains(created.Id, ids);

        var disabled = await client.WebhookEndpoints.UpdateAsync(created.Id, new UpdateWebhookEndpointRequest { Disabled = true, Description = "paused" });
        Assert.Equal(WebhookEndpointStatus.Disabled, disabled.Status);
        Assert.Equal("paused", disabled.Description);
        Assert.NotNull(disabled.DisabledAt);
        var enabled = await client.WebhookEndpoints.UpdateAsync(created.Id, new UpdateWebhookEndpointRequest { Disabled = false, EnabledEvents = [EventType.All] });
        Assert.Equal(WebhookEndpointStatus.Enabled, enabled.Status);
        Assert.Equal([EventType.All], enabled.EnabledEvents);

        var rotated = await client.WebhookEndpoints.RotateSecretAsync(created.Id, new RotateWebhookSecretRequest { OverlapSeconds = 3600 });
        Assert.StartsWith("whsec_", rotated.Secret, StringComparison.Ordinal);
        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.NotNull(rotated.PreviousSecretExpiresAt);

        var tooLong = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.WebhookEndpoints.RotateSecretAsync(created.Id, new RotateWebhookSecretRequest { OverlapSeconds = 8 * 86400 }));
        Assert.Equal(400, tooLong.Status);

        var deleted = await client.WebhookEndpoints.DeleteAsync(created.Id);
        Assert.True(deleted.Deleted);
        Assert.Equal(created.Id, deleted.Id);
        var missing = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.WebhookEndpoints.GetAsync(created.Id));
        Assert.Equal(ErrorCode.ResourceMissing, missing.Code);
    }

    private static async Task<WebhookDelivery> WaitForDeliveryAsync(PaymentGatewayClient client, string eventId, WebhookDeliveryStatus status)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var page = await client.Events.ListDeliveriesAsync(eventId);
            if (page.Data.FirstOrDefault(d => d.Status == status) is { } delivery)
            {
                return delivery;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {status} delivery of {eventId}: {string.Join(", ", page.Data.Select(d => d.Status))}");
            }

            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record ReceivedWebhook(string WebhookId, Event Event);

    /// <summary>A merchant's receiver: nothing but the helper, on 127.0.0.1.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
        private int _rejected;

        private Receiver(WebApplication app) => _app = app;

        public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

        /// <summary>Requests the helper answered 4xx (failed verification).</summary>
        public int Rejected => Volatile.Read(ref _rejected);

        public static async Task<Receiver> StartAsync(int port, IReadOnlyList<string> secrets)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            builder.Services.AddPaymentGatewayWebhooks(o => o.Secrets = [.. secrets]);
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.Use(async (context, next) =>
            {
                await next(context);
                if (context.Response.StatusCode is >= 400 and < 500)
                {
                    Interlocked.Increment(ref receiver._rejected);
                }
            });
            app.MapPaymentGatewayWebhooks("/webhooks", (evt, context, _) =>
            {
                receiver._received.Enqueue(new ReceivedWebhook(context.Request.Headers[WebhookVerifier.IdHeader].ToString(), evt));
                return Task.CompletedTask;
            });
            await app.StartAsync();
            return receiver;
        }

        public async Task WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!condition(Received))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Timed out waiting for {what}; received: {string.Join(", ", Received.Select(w => w.Event.Type))}");
                }

                await Task.Delay(50);
            }
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
