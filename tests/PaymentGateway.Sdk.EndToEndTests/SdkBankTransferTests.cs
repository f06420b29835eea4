using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>The SDK creates bank-transfer payments and SEPA payment methods and reads their new fields.</summary>
public sealed class SdkBankTransferTests : IAsyncLifetime
{
    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    private TestMerchant Merchant => _merchant ?? throw new InvalidOperationException();

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:BankTransfers:CollectionAccount:Iban"] = "DE89370400440532013000",
            ["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"] = "Demo Shop GmbH",
        });
        _merchant = await _server.CreateMerchantAsync("SDK bank transfer merchant");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task BankTransferPaymentAndSepaMethod_ThroughTheSdk()
    {
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions { BaseAddress = Server.BaseAddress, ApiKey = Merchant.SecretKey });
        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 4200, Currency = "EUR", PaymentMethodType = "bank_transfer" });
        Assert.Equal(PaymentStatus.RequiresAction, payment.Status);
        Assert.Equal("bank_transfer", payment.PaymentMethodType);
        var instructions = payment.NextAction?.BankTransferInstructions ?? throw new InvalidOperationException("no instructions");
        Assert.Equal("DE89370400440532013000", instructions.Iban);
        Assert.Equal(4200, instructions.Amount);
        Assert.StartsWith("RF", instructions.Reference, StringComparison.Ordinal);
        Assert.Equal(payment.BankTransfer?.Reference, instructions.Reference);
        Assert.Equal(4200, payment.BankTransfer?.AmountRemaining);

        var sepa = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Type = "sepa_debit", SepaDebit = new SepaDebitDetailsRequest { Iban = "NL91 ABNA 0417 1643 00" }, HolderName = "Jan de Vries" },
            new RequestOptions { ApiKey = Merchant.PublishableKey });
        Assert.Equal("NL", sepa.SepaDebit?.Country);
        Assert.Equal("4300", sepa.SepaDebit?.Last4);

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Type = "sepa_debit", SepaDebit = new SepaDebitDetailsRequest { Iban = "NL91 ABNA 0417 1643 01" }, HolderName = "Jan" },
            new RequestOptions { ApiKey = Merchant.PublishableKey }));
        Assert.Equal(ErrorCode.IbanInvalid, error.Code);
    }
}
