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

    [Fact]
    public async Task StatementImportAndManualMatch_ThroughTheSdk()
    {
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions { BaseAddress = Server.BaseAddress, ApiKey = Merchant.SecretKey });
        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 12500, Currency = "EUR", PaymentMethodType = "bank_transfer" });
        var reference = payment.NextAction?.BankTransferInstructions?.Reference ?? throw new InvalidOperationException("no instructions");

        // The shipped sample statement (docs/bank-transfers.md), imported from a file stream as a merchant's server would.
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PaymentGateway.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        var xml = (await File.ReadAllTextAsync(Path.Combine(root, "samples", "bank-transfer", "camt053-sample.xml")))
            .Replace("RF_REFERENCE_HERE", reference, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), "sdk-camt053-" + Guid.NewGuid().ToString("N") + ".xml");
        await File.WriteAllTextAsync(path, xml);
        BankStatement statement;
        try
        {
            await using var file = File.OpenRead(path);
            statement = await client.BankStatements.ImportAsync(file);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.False(statement.Duplicate);
        Assert.Equal((3, 1, 1), (statement.EntryCount, statement.MatchedCount, statement.UnmatchedCount));
        Assert.Equal([BankStatementEntryStatus.Matched, BankStatementEntryStatus.Unmatched, BankStatementEntryStatus.Ignored], statement.Entries.Select(e => e.Status));
        Assert.Equal(payment.Id, statement.Entries[0].Payment);
        Assert.Equal(PaymentStatus.Succeeded, (await client.Payments.GetAsync(payment.Id)).Status);

        // The unreferenced EUR 24.00 credit: list it and credit it by hand to a second transfer payment.
        var unmatched = new List<BankStatementEntry>();
        await foreach (var e in client.BankStatementEntries.ListAutoPagingAsync(new ListBankStatementEntriesRequest { Status = BankStatementEntryStatus.Unmatched, Limit = 1 }))
        {
            unmatched.Add(e);
        }

        var entry = Assert.Single(unmatched);
        Assert.Equal(statement.Id, entry.BankStatement);
        Assert.Equal(2400, entry.Amount);
        var second = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 2400, Currency = "EUR", PaymentMethodType = "bank_transfer" });
        var matched = await client.BankStatementEntries.MatchAsync(entry.Id, second.Id);
        Assert.Equal(BankStatementEntryStatus.Matched, matched.Status);
        Assert.Equal("manual", matched.MatchedBy);
        Assert.Equal(second.Id, matched.Payment);
        Assert.Equal(PaymentStatus.Succeeded, (await client.Payments.GetAsync(second.Id)).Status);
        Assert.Empty((await client.BankStatementEntries.ListAsync(new ListBankStatementEntriesRequest { Status = BankStatementEntryStatus.Unmatched })).Data);

        var again = await client.BankStatements.GetAsync(statement.Id);
        Assert.Equal((3, 2, 0), (again.EntryCount, again.MatchedCount, again.UnmatchedCount));
        Assert.Equal(3, again.Entries.Count);

        var conflict = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.BankStatementEntries.MatchAsync(entry.Id, second.Id));
        Assert.Equal(ErrorCode.BankEntryNotMatchable, conflict.Code);
        var duplicate = await client.BankStatements.ImportAsync(xml);
        Assert.True(duplicate.Duplicate);
        Assert.Equal(statement.Id, duplicate.Id);
        var invalid = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.BankStatements.ImportAsync("<not-a-statement"));
        Assert.Equal(ErrorCode.StatementInvalid, invalid.Code);
    }
}
