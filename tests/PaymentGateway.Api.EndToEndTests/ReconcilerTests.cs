using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class ReconcilerTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Theory]
    [InlineData("automatic", "succeeded", "payment.succeeded")]
    [InlineData("manual", "requires_capture", "payment.authorized")]
    public async Task UnknownOutcome_StaysProcessing_ThenReconcilerResolvesIt(string captureMethod, string expected, string finalEvent)
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);

        var created = (await Steps.PayAsync(Server, merchant, TestCards.UnknownOutcome, 1500, captureMethod)).EnsureStatus(200);
        Assert.Equal("processing", created.Str("status"));
        var id = created.Str("id")!;

        var resolved = await Steps.PollPaymentAsync(api, id, p => p.Str("status") != "processing", TimeSpan.FromSeconds(10));

        Assert.Equal(expected, resolved.Str("status"));
        Assert.Equal(expected == "succeeded" ? 1500 : 0, resolved.Long("amount_received"));
        Assert.Equal(expected == "succeeded" ? 0 : 1500, resolved.Long("amount_capturable"));
        var types = await Steps.EventTypesAsync(Server, merchant, id);
        Assert.Equal(["payment.created", "payment.processing", finalEvent], Steps.InLifecycleOrder(types));
        Assert.Equal(finalEvent, types[^1]);
    }

    [Fact]
    public async Task Processing_CaptureCancelConfirmAndRefund_AreConflicts()
    {
        // A gateway whose reconciler never runs, so the payment certainly stays in processing.
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Reconciler:Enabled"] = "false" });
        var merchant = await server.CreateMerchantAsync();
        var api = server.Client(merchant.SecretKey);
        var id = (await Steps.PayAsync(server, merchant, TestCards.UnknownOutcome, 1500, "manual")).EnsureStatus(200).Str("id");

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/capture", new { }), 409, "payment_state_conflict");
        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/cancel", new { }), 409, "payment_state_conflict");
        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/confirm", new { }), 409, "payment_state_conflict");
        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = id }), 409, "payment_state_conflict");
        await Task.Delay(500);
        Assert.Equal("processing", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
    }

    [Fact]
    public async Task UnknownOutcome_AfterReconcile_ManualCanBeCaptured()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = (await Steps.PayAsync(Server, merchant, TestCards.UnknownOutcome, 800, "manual")).EnsureStatus(200).Str("id")!;
        var resolved = await Steps.PollPaymentAsync(api, id, p => p.Str("status") != "processing");
        Assert.Equal("requires_capture", resolved.Str("status"));

        var captured = (await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 500 })).EnsureStatus(200);

        Assert.Equal("succeeded", captured.Str("status"));
        Assert.Equal(500, captured.Long("amount_received"));
    }
}

/// <summary>Two gateway nodes on one database, as DESIGN.md's "any number of nodes" allows.</summary>
public sealed class MultiNodeReconcilerTests
{
    [Fact]
    public async Task ReconcilerOnAnotherNode_DoesNotFailAPaymentWhoseAuthorizationIsInFlight()
    {
        // Node A serves the request; its provider answers after 1 s. Node B only runs the reconciler (lease holder).
        await using var a = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:Simulator:Latency"] = "00:00:01",
            ["PaymentGateway:Reconciler:Enabled"] = "false",
        });
        await using var b = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:DataDirectory"] = a.DataDirectory });
        var merchant = await a.CreateMerchantAsync();
        var api = a.Client(merchant.SecretKey);

        var created = await Steps.PayAsync(a, merchant, TestCards.Visa, 1000);
        var id = created.Status == 200 ? created.Str("id") : Steps.Ids(await api.GetAsync("/v1/payments")).First();
        await Task.Delay(500);
        var after = await api.GetAsync($"/v1/payments/{id}");

        Assert.True(created.Status == 200, $"create answered {created.Status}: {created.Body}; payment is now {after.Str("status")}");
        Assert.Equal("succeeded", created.Str("status"));
        Assert.Equal("succeeded", after.Str("status"));
    }

    [Fact]
    public async Task ReconcilerOnAnotherNode_DoesNotFailAPaymentWhoseThreeDSecureCompletionIsInFlight()
    {
        // The customer's return from 3-D Secure moves the payment to processing while node A asks the provider (2 s).
        // Node B's reconciler (every 200 ms, payments older than 100 ms) must leave it to that request: asked meanwhile,
        // the simulator knows no such authorization and the payment would fail although the customer passed.
        await using var a = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:Simulator:Latency"] = "00:00:02",
            ["PaymentGateway:Reconciler:Enabled"] = "false",
        });
        await using var b = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:DataDirectory"] = a.DataDirectory });
        var merchant = await a.CreateMerchantAsync();
        var challenged = (await Steps.PayAsync(a, merchant, TestCards.ThreeDSecure, 1000)).EnsureStatus(200);
        Assert.Equal("requires_action", challenged.Str("status"));

        var passed = await SavedCardSteps.PassChallengeIfAskedAsync(a, merchant, challenged);

        Assert.Equal("succeeded", passed.Str("status"));
        var events = await Steps.EventTypesAsync(a, merchant, passed.Str("id")!);
        Assert.DoesNotContain("payment.failed", events);
        Assert.Equal(1, events.Count(t => t == "payment.succeeded"));
    }

    [Fact]
    public async Task LostAnswer_OnOneNode_IsSettledAsSucceeded_ByTheReconcilerOnAnother()
    {
        // The simulated provider's memory of the lost answer lives in the shared database, as a real provider's would
        // live at the provider: node B, which never saw the request, learns the payment succeeded (not "no record").
        await using var a = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Reconciler:Enabled"] = "false" });
        await using var b = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:DataDirectory"] = a.DataDirectory });
        var merchant = await a.CreateMerchantAsync();
        var api = a.Client(merchant.SecretKey);

        var created = (await Steps.PayAsync(a, merchant, TestCards.UnknownOutcome, 1200)).EnsureStatus(200);
        Assert.Equal("processing", created.Str("status"));
        var resolved = await Steps.PollPaymentAsync(api, created.Str("id")!, p => p.Str("status") != "processing", TimeSpan.FromSeconds(30));

        Assert.Equal("succeeded", resolved.Str("status"));
        Assert.Equal(1200, resolved.Long("amount_received"));
    }
}
