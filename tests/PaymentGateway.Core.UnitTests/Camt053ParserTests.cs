using System.Text;
using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.UnitTests;

public sealed class Camt053ParserTests
{
    public const string RefA = "RF18539007547034";
    public const string RefB = "RF712348231";

    /// <summary>A hand-written statement from Statements/ with its placeholders filled in.</summary>
    public static string Statement(string name, string refA = RefA, string refB = RefB) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Statements", name + ".camt053.xml"))
            .Replace("{{REF_A}}", refA, StringComparison.Ordinal)
            .Replace("{{REF_B_SPACED_LOWER}}", CreditorReference.Format(refB).ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("{{REF_B}}", refB, StringComparison.Ordinal);

    private static ParsedStatement Parse(string xml) => Camt053Parser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    [Fact]
    public void MultipleEntries_ReadsAmountsReferencesDebtorsAndIds()
    {
        var s = Parse(Statement("multiple-entries"));
        Assert.Equal("urn:iso:std:iso:20022:tech:xsd:camt.053.001.02", s.Namespace);
        Assert.Equal("STMT-MULTI-0001", s.StatementId);
        Assert.Equal("MSG-2026-11-24-001", s.MessageId);
        Assert.Equal("DE89370400440532013000", s.AccountId);
        Assert.Equal(4, s.Lines.Count);

        var first = s.Lines[0];
        Assert.Equal(10000, first.Amount);
        Assert.Equal("EUR", first.Currency);
        Assert.Equal("CRDT", first.CreditDebit);
        Assert.Equal(RefA, first.StructuredReference);
        Assert.Equal("Erika Mustermann", first.DebtorName);
        Assert.Equal("FR******2606", first.DebtorAccountMasked);
        Assert.Equal("2026-11-23", first.BookingDate);
        Assert.Equal("asr:BANKREF-0001", first.EntryKey);
        Assert.Equal("E-0001", first.EntryReference);
        Assert.True(first.Booked);

        var second = s.Lines[1];
        Assert.Null(second.StructuredReference);
        Assert.Equal("Order 4711 payment ref rf71 2348 231 thanks", second.Unstructured);
        Assert.Contains(RefB, CreditorReference.FindIn(second.Unstructured));

        Assert.Equal(1000, s.Lines[2].Amount);
        Assert.Equal("DBIT", s.Lines[3].CreditDebit);
        Assert.Equal(250, s.Lines[3].Amount);
    }

    [Fact]
    public void BatchEntry_YieldsOneLinePerTransactionWithItsOwnAmountAndKey()
    {
        var s = Parse(Statement("batch"));
        Assert.Equal("urn:iso:std:iso:20022:tech:xsd:camt.053.001.08", s.Namespace);
        Assert.Equal([10000L, 15000L, 5000L], s.Lines.Select(l => l.Amount));
        Assert.Equal(["asr:BATCH-77:0", "asr:BATCH-77:1", "asr:BATCH-77:2"], s.Lines.Select(l => l.EntryKey));
        Assert.Equal("Anna Rossi", s.Lines[0].DebtorName);
        Assert.Equal(RefB, s.Lines[1].StructuredReference);
        Assert.Equal("E2E-3", s.Lines[2].EndToEndId);
        Assert.Equal("BATCH-77-2", s.Lines[1].AccountServicerReference);
        Assert.All(s.Lines, l => Assert.Equal("2026-11-24", l.BookingDate));
        Assert.All(s.Lines, l => Assert.True(l.Booked));
    }

    [Fact]
    public void BatchEntry_WhoseTransactionsDoNotAddUp_IsRefused()
    {
        var xml = Statement("batch").Replace("<Amt Ccy=\"EUR\">150.00</Amt>", "<Amt Ccy=\"EUR\">151.00</Amt>", StringComparison.Ordinal);
        var e = Assert.Throws<StatementFormatException>(() => Parse(xml));
        Assert.Equal(ErrorCodes.StatementInvalid, e.Code);
    }

    [Fact]
    public void ForeignCurrency_UsesEachCurrencysMinorUnits()
    {
        var s = Parse(Statement("foreign-currency"));
        Assert.Equal("US-ACCT-99887766", s.AccountId);
        Assert.Equal((9999L, "USD"), (s.Lines[0].Amount, s.Lines[0].Currency));
        Assert.Equal((1000L, "JPY"), (s.Lines[1].Amount, s.Lines[1].Currency));
        Assert.Equal("ntry:FX-2", s.Lines[1].EntryKey);
    }

    [Fact]
    public void Reversal_ReturnReasonAndPendingEntries_AreRecognized()
    {
        var s = Parse(Statement("reversal"));
        Assert.Equal(4, s.Lines.Count);
        Assert.False(s.Lines[0].Reversal);
        Assert.True(s.Lines[1].Reversal);
        Assert.Equal("DBIT", s.Lines[1].CreditDebit);
        Assert.Equal("AC04", s.Lines[2].ReturnReason);
        Assert.False(s.Lines[3].Booked);
    }

    [Theory]
    [InlineData("1.005", "EUR")]
    [InlineData("10.5", "JPY")]
    [InlineData("-1.00", "EUR")]
    [InlineData("1,00", "EUR")]
    [InlineData("1.00", "XXX")]
    public void ParseAmount_RefusesWhatTheCurrencyCannotHold(string text, string currency) =>
        Assert.Throws<StatementFormatException>(() => Camt053Parser.ParseAmount(text, currency));

    [Fact]
    public void WrongNamespace_IsUnsupported()
    {
        var xml = Statement("multiple-entries").Replace("camt.053.001.02", "camt.054.001.02", StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.StatementUnsupported, Assert.Throws<StatementFormatException>(() => Parse(xml)).Code);
        Assert.Equal(ErrorCodes.StatementUnsupported, Assert.Throws<StatementFormatException>(() => Parse("<Document xmlns=\"urn:example\"/>")).Code);
    }

    [Theory]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>1</Id><Ntry>")]
    [InlineData("not xml at all")]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt></BkToCstmrStmt></Document>")]
    public void Malformed_IsInvalid(string xml) =>
        Assert.Equal(ErrorCodes.StatementInvalid, Assert.Throws<StatementFormatException>(() => Parse(xml)).Code);

    public const string ExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE Document [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&xxe;</Id></Stmt></BkToCstmrStmt></Document>
        """;

    public const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&lol9;</Id></Stmt></BkToCstmrStmt></Document>
        """;

    [Theory]
    [InlineData(ExternalEntity)]
    [InlineData(BillionLaughs)]
    public void Dtds_AreRefusedBeforeAnyEntityIsExpanded(string xml)
    {
        var e = Assert.Throws<StatementFormatException>(() => Parse(xml));
        Assert.Equal(ErrorCodes.StatementInvalid, e.Code);
        Assert.Contains("DTD", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessingInstructions_AreSkippedWhereverTheyAre_AndNeverActedOn()
    {
        // A stylesheet pointing at a port nobody listens on (it would be an error if anything fetched it), a bank
        // software's own instruction before the root and inside an entry, and one splitting a remittance text.
        var plain = Statement("multiple-entries");
        var withInstructions = plain
            .Replace("<Document ", "<?xml-stylesheet type=\"text/xsl\" href=\"http://127.0.0.1:1/statement.xsl\"?>\n<?bank-export version=\"7.1\"?>\n<Document ", StringComparison.Ordinal)
            .Replace("<NtryRef>E-0001</NtryRef>", "<?bank-export entry=\"1\"?><NtryRef>E-0001</NtryRef>", StringComparison.Ordinal)
            .Replace("<Ref>" + RefA + "</Ref>", "<Ref>" + RefA[..8] + "<?bank-export split?>" + RefA[8..] + "</Ref>", StringComparison.Ordinal);
        Assert.Contains("<?bank-export split?>", withInstructions, StringComparison.Ordinal);

        var expected = Parse(plain);
        var parsed = Parse(withInstructions);

        Assert.Equal(expected.StatementId, parsed.StatementId);
        Assert.Equal(expected.Lines.Count, parsed.Lines.Count);
        Assert.Equal(RefA, parsed.Lines[0].StructuredReference);
        Assert.Equal(expected.Lines.Select(l => (l.EntryKey, l.Amount, l.StructuredReference)), parsed.Lines.Select(l => (l.EntryKey, l.Amount, l.StructuredReference)));
    }

    [Fact]
    public void ManyEntries_AreStreamedEntryByEntry()
    {
        // 20,000 entries (about 6 MB) parse without holding the document as a tree.
        var sb = new StringBuilder("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>BIG</Id>");
        for (var i = 0; i < 20_000; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<Ntry><Amt Ccy=\"EUR\">1.{i % 100:00}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>R{i}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>payment {i} with some text to make the entry realistic in size</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>");
        }

        sb.Append("</Stmt></BkToCstmrStmt></Document>");
        var s = Parse(sb.ToString());
        Assert.Equal(20_000, s.Lines.Count);
        Assert.Equal(199, s.Lines[^1].Amount);
    }
}
