using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>One gateway for the console tests, with a sign-in rate limit high enough that the tests' own sign-ins never meet it.</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    public string MerchantId { get; private set; } = string.Empty;

    /// <summary>Where the gateway drops console mail (.eml files) instead of sending it.</summary>
    public string MailDirectory { get; } = Path.Combine(GatewayServer.TestRoot, "console-mail-" + Guid.NewGuid().ToString("N"));

    public string OtherMerchantId { get; private set; } = string.Empty;

    /// <summary>The fixture's merchant with its API keys (payments for the console's payment pages are made through the API).</summary>
    public TestMerchant? Shop { get; private set; }

    /// <summary>The other merchant with its API keys.</summary>
    public TestMerchant? OtherShop { get; private set; }

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:Console:SignInRequestsPerMinute"] = "10000",
            ["PaymentGateway:Console:Mail:PickupDirectory"] = MailDirectory,
            ["PaymentGateway:Simulator:DisputeDelay"] = DisputeSteps.FastSimulatorDisputes["PaymentGateway:Simulator:DisputeDelay"],
            ["PaymentGateway:Disputes:SyncInterval"] = DisputeSteps.FastSimulatorDisputes["PaymentGateway:Disputes:SyncInterval"],
            ["PaymentGateway:BankTransfers:CollectionAccount:Iban"] = BankStatementSteps.CollectionAccount["PaymentGateway:BankTransfers:CollectionAccount:Iban"],
            ["PaymentGateway:BankTransfers:CollectionAccount:Bic"] = BankStatementSteps.CollectionAccount["PaymentGateway:BankTransfers:CollectionAccount:Bic"],
            ["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"] = BankStatementSteps.CollectionAccount["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"],
            ["PaymentGateway:BankTransfers:CreditorId"] = BankStatementSteps.CollectionAccount["PaymentGateway:BankTransfers:CreditorId"],
        });
        Shop = await _server.CreateMerchantAsync("Console Shop");
        OtherShop = await _server.CreateMerchantAsync("Other Shop");
        MerchantId = Shop.Id;
        OtherMerchantId = OtherShop.Id;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
