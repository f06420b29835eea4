namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>One gateway shared by the tests of the "gateway" collection; each test class makes its own merchants.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    /// <summary>
    /// The reconciler waits 500 ms (not the harness's 100 ms) before it looks at a processing payment, so that a request
    /// slowed down on a busy machine is not raced by it (a known gateway bug, see MultiNodeReconcilerTests).
    /// </summary>
    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
    {
        ["PaymentGateway:Reconciler:MinAge"] = "00:00:00.500",
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// A gateway of its own for one test class, started with <paramref name="settings"/> (the class's timings and switches)
/// and stopped after it: a fixture is then just its settings.
/// </summary>
public abstract class SettingsGatewayFixture(IReadOnlyDictionary<string, string?> settings) : IAsyncLifetime
{
    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await GatewayServer.StartAsync(new Dictionary<string, string?>(settings));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}

/// <summary>Shared helpers for test flows.</summary>
public static class Flows
{
    public const string Visa = "4242424242424242";

    /// <summary>Tokenizes a card with the publishable key and returns the pm_ id.</summary>
    public static async Task<string> TokenizeAsync(GatewayServer server, TestMerchant merchant, string number = Visa, string? cvc = "123")
    {
        var response = await server.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc },
        });
        response.EnsureStatus(200);
        return response.Str("id") ?? throw new InvalidOperationException("no id");
    }

    /// <summary>Creates and confirms a payment in one call.</summary>
    public static async Task<ApiResponse> PayAsync(GatewayServer server, TestMerchant merchant, long amount = 1000, string currency = "EUR",
        string captureMethod = "automatic", string number = Visa, string? idempotencyKey = null)
    {
        var pm = await TokenizeAsync(server, merchant, number);
        return await server.Client(merchant.SecretKey).PostAsync("/v1/payments", new
        {
            amount,
            currency,
            capture_method = captureMethod,
            payment_method = pm,
            confirm = true,
        }, idempotencyKey);
    }
}
