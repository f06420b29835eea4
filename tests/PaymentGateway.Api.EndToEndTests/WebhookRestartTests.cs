using Microsoft.AspNetCore.Http;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

public sealed class WebhookRestartTests
{
    [Fact]
    public async Task A_dispatcher_stopped_mid_delivery_loses_nothing_and_the_restarted_host_sends_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var firstRequestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Handler = async (_, n, context) =>
        {
            if (n == 0)
            {
                // Hold the first request open; the gateway is stopped while it waits for the answer.
                firstRequestArrived.TrySetResult();
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.StatusCode = 200;
        };

        var settings = WebhookGatewayFixture.FastWebhooks();
        settings["PaymentGateway:Webhooks:AttemptTimeout"] = "00:00:10";
        settings["PaymentGateway:Webhooks:LeaseDuration"] = "00:00:12";
        var first = await GatewayServer.StartAsync(settings);
        var dataDirectory = first.DataDirectory;
        TestMerchant merchant;
        string eventId;
        try
        {
            merchant = await first.CreateMerchantAsync();
            await Webhooks.CreateEndpointAsync(first.Client(merchant.SecretKey), receiver.Url, "payment.created");
            eventId = await Webhooks.CreatePaymentEventAsync(first, merchant);
            await firstRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await first.DisposeAsync(); // mid-delivery: the attempt is never recorded
        }

        Assert.Single(receiver.Received);

        // Same data directory, a shorter lease: once the dead node's lease runs out, the delivery is sent again.
        settings["PaymentGateway:DataDirectory"] = dataDirectory;
        settings["PaymentGateway:Webhooks:AttemptTimeout"] = "00:00:01";
        settings["PaymentGateway:Webhooks:LeaseDuration"] = "00:00:02";
        await using var second = await GatewayServer.StartAsync(settings);
        var received = await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(30), "the delivery after restart");
        Assert.All(received, r => Assert.Equal(eventId, r.Id));

        var delivery = await Webhooks.WaitForDeliveryStatusAsync(second.Client(merchant.SecretKey), eventId, "succeeded");
        Assert.Equal(1, delivery.GetProperty("attempt_count").GetInt32());
    }

    [Fact]
    public async Task Events_committed_while_no_dispatcher_runs_are_delivered_when_one_starts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = WebhookGatewayFixture.FastWebhooks();
        settings["PaymentGateway:Webhooks:DispatcherEnabled"] = "false";
        var first = await GatewayServer.StartAsync(settings);
        TestMerchant merchant;
        string eventId;
        try
        {
            merchant = await first.CreateMerchantAsync();
            await Webhooks.CreateEndpointAsync(first.Client(merchant.SecretKey), receiver.Url, "payment.created");
            eventId = await Webhooks.CreatePaymentEventAsync(first, merchant);
            await Task.Delay(300);
            Assert.Empty(receiver.Received);
        }
        finally
        {
            await first.DisposeAsync();
        }

        settings["PaymentGateway:DataDirectory"] = first.DataDirectory;
        settings["PaymentGateway:Webhooks:DispatcherEnabled"] = "true";
        await using var second = await GatewayServer.StartAsync(settings);
        var received = await receiver.WaitForAsync(r => r.Count >= 1, what: "the outbox after restart");
        Assert.Equal(eventId, received[0].Id);
    }
}
