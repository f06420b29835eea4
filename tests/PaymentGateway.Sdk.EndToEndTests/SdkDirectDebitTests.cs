using System.Xml.Linq;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>SEPA Direct Debit through the SDK against the real gateway: mandate, debit, export, download the stored file.</summary>
public sealed class SdkDirectDebitTests : IAsyncLifetime
{
    private static readonly XNamespace Pain008 = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02";

    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    private TestMerchant Merchant => _merchant ?? throw new InvalidOperationException();

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:BankTransfers:CollectionAccount:Iban"] = "DE89370400440532013000",
            ["PaymentGateway:BankTransfers:CollectionAccount:Bic"] = "COBADEFFXXX",
            ["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"] = "Demo Shop GmbH",
            ["PaymentGateway:BankTransfers:CreditorId"] = "DE98ZZZ09999999999",
            ["PaymentGateway:BankTransfers:SettlementEnabled"] = "false",
        });
        _merchant = await _server.CreateMerchantAsync("SDK direct debit merchant");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task MandateDebitExportAndDownload_ThroughTheSdk()
    {
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions { BaseAddress = Server.BaseAddress, ApiKey = Merchant.SecretKey });
        var method = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Type = "sepa_debit", SepaDebit = new SepaDebitDetailsRequest { Iban = "NL91 ABNA 0417 1643 00" }, HolderName = "Jan de Vries" },
            new RequestOptions { ApiKey = Merchant.PublishableKey });

        var mandate = await client.Mandates.CreateAsync(new CreateMandateRequest { PaymentMethod = method.Id, SignatureDate = new DateOnly(2026, 1, 15), Reference = "SDK-MANDATE-1" });
        Assert.StartsWith("mdt_", mandate.Id, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 1, 15), mandate.SignatureDate);
        Assert.Equal("DE98ZZZ09999999999", mandate.CreditorId);
        Assert.Equal(mandate, await client.Mandates.GetAsync(mandate.Id));
        var listed = await client.Mandates.ListAsync();
        Assert.Equal([mandate.Id], listed.Data.Select(m => m.Id));
        var generated = await client.Mandates.CreateAsync(new CreateMandateRequest { PaymentMethod = method.Id, SignatureDate = new DateOnly(2026, 1, 16) });
        var all = new List<string>();
        await foreach (var m in client.Mandates.ListAutoPagingAsync(new ListDirectDebitObjectsRequest { Limit = 1 }))
        {
            all.Add(m.Id);
        }

        Assert.Equal([generated.Id, mandate.Id], all);
        var taken = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.Mandates.CreateAsync(new CreateMandateRequest { PaymentMethod = method.Id, SignatureDate = new DateOnly(2026, 1, 15), Reference = "sdk-mandate-1" }));
        Assert.Equal(409, taken.Status);

        var debit = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 4990, Currency = "EUR", PaymentMethodType = "sepa_debit", Mandate = mandate.Id });
        Assert.Equal(PaymentStatus.Processing, debit.Status);
        Assert.Equal(mandate.Id, debit.DirectDebit?.Mandate);
        Assert.Null(debit.DirectDebit?.Batch);

        var batch = await client.DirectDebitBatches.CreateAsync(new RequestOptions { IdempotencyKey = "sdk-export-1" }) ?? throw new InvalidOperationException("nothing exported");
        var retried = await client.DirectDebitBatches.CreateAsync(new RequestOptions { IdempotencyKey = "sdk-export-1" });
        Assert.Equal(batch, retried);
        Assert.True(retried?.IdempotentReplayed);
        Assert.StartsWith("ddb_", batch.Id, StringComparison.Ordinal);
        Assert.Equal(1, batch.Count);
        Assert.Equal(4990, batch.ControlSum);
        Assert.Equal("EUR", batch.Currency);
        Assert.Equal(1, batch.FirstCount);
        Assert.Equal(0, batch.RecurringCount);
        Assert.Null(await client.DirectDebitBatches.CreateAsync());

        var exported = await client.Payments.GetAsync(debit.Id);
        Assert.Equal(batch.Id, exported.DirectDebit?.Batch);
        Assert.Equal("FRST", exported.DirectDebit?.SequenceType);
        Assert.Equal(batch.CollectionDate, exported.DirectDebit?.CollectionDate);

        Assert.Equal(batch, await client.DirectDebitBatches.GetAsync(batch.Id));
        Assert.Equal([batch.Id], (await client.DirectDebitBatches.ListAsync()).Data.Select(b => b.Id));

        await using var file = await client.DirectDebitBatches.DownloadFileAsync(batch.Id);
        var doc = await XDocument.LoadAsync(file, LoadOptions.None, CancellationToken.None);
        Assert.Equal(batch.MessageId, doc.Descendants(Pain008 + "MsgId").Single().Value);
        Assert.Equal("49.90", doc.Descendants(Pain008 + "GrpHdr").Single().Element(Pain008 + "CtrlSum")!.Value);
        Assert.Equal("NL91ABNA0417164300", doc.Descendants(Pain008 + "DbtrAcct").Single().Descendants(Pain008 + "IBAN").Single().Value);
        Assert.Equal("SDK-MANDATE-1", doc.Descendants(Pain008 + "MndtId").Single().Value);
        Assert.Equal(batch.CollectionDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), doc.Descendants(Pain008 + "ReqdColltnDt").Single().Value);

        var missing = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.DirectDebitBatches.DownloadFileAsync("ddb_missing"));
        Assert.Equal(404, missing.Status);
        Assert.Equal(ErrorCode.ResourceMissing, missing.Code);
    }

    [Fact]
    public async Task OverGrpc_DirectDebitOperations_ThrowNotSupported()
    {
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions
        {
            BaseAddress = Server.BaseAddress,
            ApiKey = Merchant.SecretKey,
            Transport = PaymentGatewayTransport.Grpc,
        });

        var create = await Assert.ThrowsAsync<NotSupportedException>(() => client.Mandates.CreateAsync(new CreateMandateRequest { PaymentMethod = "pm_1", SignatureDate = new DateOnly(2026, 1, 15) }));
        Assert.Contains("Mandates.CreateAsync", create.Message, StringComparison.Ordinal);
        Assert.Contains("REST", create.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.Mandates.GetAsync("mdt_1"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.Mandates.ListAsync());
        await Assert.ThrowsAsync<NotSupportedException>(() => client.DirectDebitBatches.CreateAsync());
        await Assert.ThrowsAsync<NotSupportedException>(() => client.DirectDebitBatches.GetAsync("ddb_1"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.DirectDebitBatches.ListAsync());
        await Assert.ThrowsAsync<NotSupportedException>(() => client.DirectDebitBatches.DownloadFileAsync("ddb_1"));
    }
}
