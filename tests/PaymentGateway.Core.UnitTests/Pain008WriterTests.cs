using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.UnitTests;

public sealed class Pain008WriterTests
{
    private static readonly XNamespace Ns = Pain008Writer.Namespace;

    private static readonly DirectDebitCreditor Creditor = new()
    {
        Name = "Example Shop GmbH",
        Iban = "DE89370400440532013000",
        Bic = "COBADEFFXXX",
        CreditorId = "DE98ZZZ09999999999",
    };

    private static DirectDebitTransaction Debit(long amount, string sequence = "FRST", string? bic = "GENODEF1M04", string name = "Max Müller & Söhne") => new()
    {
        PaymentId = Ids.New(Ids.Payment),
        Amount = amount,
        MandateReference = "MD-" + amount.ToString(CultureInfo.InvariantCulture),
        MandateSignatureDate = new DateOnly(2026, 10, 1),
        SequenceType = sequence,
        CollectionDate = new DateOnly(2026, 12, 1),
        DebtorName = name,
        DebtorIban = "GB82WEST12345698765432",
        DebtorBic = bic,
        RemittanceInformation = "Order 42_a",
    };

    private static XDocument WriteAndParse(IReadOnlyList<DirectDebitTransaction> debits)
    {
        using var buffer = new MemoryStream();
        Pain008Writer.Write(buffer, "BATCH-1", new DateTimeOffset(2026, 11, 24, 6, 30, 0, TimeSpan.Zero), Creditor, debits);
        buffer.Position = 0;
        using var reader = XmlReader.Create(buffer, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        return XDocument.Load(reader);
    }

    [Fact]
    public void Write_GroupHeaderAndPaymentInformation_CarryCountsAndSums()
    {
        var debits = new[] { Debit(1999), Debit(1), Debit(250_000, "RCUR", bic: null) };
        var doc = WriteAndParse(debits);

        Assert.Equal(Ns + "Document", doc.Root!.Name);
        var initiation = doc.Root.Element(Ns + "CstmrDrctDbtInitn")!;
        var header = initiation.Element(Ns + "GrpHdr")!;
        Assert.Equal("BATCH-1", header.Element(Ns + "MsgId")!.Value);
        Assert.Equal("2026-11-24T06:30:00", header.Element(Ns + "CreDtTm")!.Value);
        Assert.Equal("3", header.Element(Ns + "NbOfTxs")!.Value);
        Assert.Equal("2520.00", header.Element(Ns + "CtrlSum")!.Value);

        var blocks = initiation.Elements(Ns + "PmtInf").ToList();
        Assert.Equal(2, blocks.Count);
        var first = blocks.Single(b => b.Descendants(Ns + "SeqTp").Single().Value == "FRST");
        Assert.Equal("DD", first.Element(Ns + "PmtMtd")!.Value);
        Assert.Equal("2", first.Element(Ns + "NbOfTxs")!.Value);
        Assert.Equal("20.00", first.Element(Ns + "CtrlSum")!.Value);
        Assert.Equal("2026-12-01", first.Element(Ns + "ReqdColltnDt")!.Value);
        Assert.Equal("DE89370400440532013000", first.Element(Ns + "CdtrAcct")!.Descendants(Ns + "IBAN").Single().Value);
        Assert.Equal("COBADEFFXXX", first.Element(Ns + "CdtrAgt")!.Descendants(Ns + "BIC").Single().Value);
        Assert.Equal("DE98ZZZ09999999999", first.Element(Ns + "CdtrSchmeId")!.Descendants(Ns + "Id").Last().Value);
        Assert.Equal("CORE", first.Descendants(Ns + "LclInstrm").Single().Element(Ns + "Cd")!.Value);

        // Every count and sum agrees with the transactions actually in the file.
        var all = initiation.Descendants(Ns + "DrctDbtTxInf").ToList();
        Assert.Equal(int.Parse(header.Element(Ns + "NbOfTxs")!.Value, CultureInfo.InvariantCulture), all.Count);
        Assert.Equal(decimal.Parse(header.Element(Ns + "CtrlSum")!.Value, CultureInfo.InvariantCulture),
            all.Sum(t => decimal.Parse(t.Element(Ns + "InstdAmt")!.Value, CultureInfo.InvariantCulture)));
        foreach (var block in blocks)
        {
            var txs = block.Elements(Ns + "DrctDbtTxInf").ToList();
            Assert.Equal(block.Element(Ns + "NbOfTxs")!.Value, txs.Count.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(decimal.Parse(block.Element(Ns + "CtrlSum")!.Value, CultureInfo.InvariantCulture),
                txs.Sum(t => decimal.Parse(t.Element(Ns + "InstdAmt")!.Value, CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public void Write_Transaction_NamesPaymentMandateAndDebtor()
    {
        var debit = Debit(1999);
        var doc = WriteAndParse([debit]);
        var tx = doc.Descendants(Ns + "DrctDbtTxInf").Single();

        var endToEnd = tx.Element(Ns + "PmtId")!.Element(Ns + "EndToEndId")!.Value;
        Assert.DoesNotContain('_', endToEnd);
        Assert.True(endToEnd.Length <= 35);
        Assert.Equal(debit.PaymentId, EndToEndId.ToPaymentId(endToEnd));
        var amount = tx.Element(Ns + "InstdAmt")!;
        Assert.Equal("EUR", amount.Attribute("Ccy")!.Value);
        Assert.Equal("19.99", amount.Value);
        var mandate = tx.Element(Ns + "DrctDbtTx")!.Element(Ns + "MndtRltdInf")!;
        Assert.Equal("MD-1999", mandate.Element(Ns + "MndtId")!.Value);
        Assert.Equal("2026-10-01", mandate.Element(Ns + "DtOfSgntr")!.Value);
        Assert.Equal("GENODEF1M04", tx.Element(Ns + "DbtrAgt")!.Descendants(Ns + "BIC").Single().Value);
        Assert.Equal("Max M ller   S hne", tx.Element(Ns + "Dbtr")!.Element(Ns + "Nm")!.Value);
        Assert.Equal("GB82WEST12345698765432", tx.Element(Ns + "DbtrAcct")!.Descendants(Ns + "IBAN").Single().Value);
        Assert.Equal("Order 42 a", tx.Element(Ns + "RmtInf")!.Element(Ns + "Ustrd")!.Value);
    }

    [Fact]
    public void Write_WithoutDebtorBic_UsesNotProvided()
    {
        var doc = WriteAndParse([Debit(500, bic: null)]);
        var agent = doc.Descendants(Ns + "DbtrAgt").Single();
        Assert.Empty(agent.Descendants(Ns + "BIC"));
        Assert.Equal("NOTPROVIDED", agent.Descendants(Ns + "Id").Single().Value);
    }

    [Fact]
    public void Write_RefusesEmptyBatchAndNonPositiveAmounts()
    {
        using var buffer = new MemoryStream();
        Assert.Throws<ArgumentException>(() => Pain008Writer.Write(buffer, "B", DateTimeOffset.UnixEpoch, Creditor, []));
        Assert.Throws<ArgumentException>(() => Pain008Writer.Write(buffer, "B", DateTimeOffset.UnixEpoch, Creditor, [Debit(0)]));
    }

    [Theory]
    [InlineData(1, "0.01")]
    [InlineData(100, "1.00")]
    [InlineData(123456789, "1234567.89")]
    public void Amount_IsTwoDecimals(long cents, string expected) => Assert.Equal(expected, Pain008Writer.Amount(cents));

    [Theory]
    [InlineData("pay-abc")]
    [InlineData("E2E-FROM-ANOTHER-SYSTEM")]
    [InlineData(null)]
    public void EndToEndId_NotOurs_IsNull(string? endToEnd) => Assert.Null(EndToEndId.ToPaymentId(endToEnd));
}
