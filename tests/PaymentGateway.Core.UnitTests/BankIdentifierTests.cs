using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.UnitTests;

public sealed class BankIdentifierTests
{
    // Examples published in the SWIFT IBAN registry and by the European Payments Council / national banks.
    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("GB82 WEST 1234 5698 7654 32")]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("NL91 ABNA 0417 1643 00")]
    [InlineData("BE68 5390 0754 7034")]
    [InlineData("CH93 0076 2011 6238 5295 7")]
    [InlineData("NO93 8601 1117 947")]
    [InlineData("AT61 1904 3002 3457 3201")]
    [InlineData("ES91 2100 0418 4502 0005 1332")]
    [InlineData("IT60 X054 2811 1010 0000 0123 456")]
    [InlineData("MT84 MALT 0110 0001 2345 MTLC AST0 01S")]
    [InlineData("de89370400440532013000")]
    public void Iban_PublishedExamples_AreValid(string input)
    {
        var iban = Iban.Normalize(input);
        Assert.NotNull(iban);
        Assert.True(Iban.IsValid(iban, out var problem), problem);
    }

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 01", "check digits")]
    [InlineData("GB82 WEST 1234 5698 7654 33", "check digits")]
    [InlineData("GB81 WEST 1234 5698 7654 32", "check digits")]
    [InlineData("DE89 3704 0044 0532 0130 0", "22 characters")]
    [InlineData("NL91 ABNA 0417 1643 001", "18 characters")]
    [InlineData("XX89 3704 0044 0532 0130 00", "not an IBAN country")]
    [InlineData("8937 0400 4405 3201 3000", "country code")]
    public void Iban_WrongChecksumLengthOrCountry_IsInvalidWithReason(string input, string reason)
    {
        var iban = Iban.Normalize(input)!;
        Assert.False(Iban.IsValid(iban, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DE89-3704-0044-0532-0130-00")]
    [InlineData("DE89370400440532013000<script>")]
    public void Iban_Normalize_RefusesOtherCharacters(string input) => Assert.Null(Iban.Normalize(input));

    [Fact]
    public void Iban_Mask_ShowsCountryAndLastFourOnly()
    {
        var masked = Iban.Mask("DE89370400440532013000");
        Assert.StartsWith("DE", masked, StringComparison.Ordinal);
        Assert.EndsWith("3000", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("37040044", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEUTDEFF", true)]
    [InlineData("DEUTDEFF500", true)]
    [InlineData("NEDSZAJJXXX", true)]
    [InlineData("COBADEFFXXX", true)]
    [InlineData("DEUTDEF", false)]
    [InlineData("DEUTDEFF5", false)]
    [InlineData("D3UTDEFF", false)]
    [InlineData("DEUTQQFF", false)]
    [InlineData("DEUT DE FF", false)]
    public void Bic_Format(string bic, bool valid) => Assert.Equal(valid, Bic.IsValid(bic));

    // Published BICs of banks in countries without IBANs: the country part is checked against ISO 3166-1, not the IBAN table.
    [Theory]
    [InlineData("CHASUS33")] // JPMorgan Chase, United States
    [InlineData("BOFAUS3NXXX")] // Bank of America, United States
    [InlineData("BKCHCNBJ")] // Bank of China, China
    [InlineData("CTBAAU2S")] // Commonwealth Bank, Australia
    [InlineData("SBININBB")] // State Bank of India
    [InlineData("BRASBRRJ")] // Banco do Brasil
    [InlineData("BOTKJPJT")] // MUFG Bank, Japan
    [InlineData("ROYCCAT2")] // Royal Bank of Canada
    [InlineData("BARCKENX")] // Barclays, Kenya
    [InlineData("BCMXMXMM")] // Banamex, Mexico
    [InlineData("ANZBNZ22")] // ANZ, New Zealand
    public void Bic_OfCountriesBeyondTheIbanTable_IsValid(string bic) => Assert.True(Bic.IsValid(bic));

    [Theory]
    [InlineData("BARCUK22")] // UK is not an ISO 3166-1 code (GB is)
    [InlineData("BANKEU22")] // EU is reserved, not assigned
    [InlineData("CHASAA33")] // AA is user-assigned
    [InlineData("DEUTXXFF")]
    [InlineData("CHASZZ33")]
    [InlineData("CHASU533")] // digit in the country
    [InlineData("CHA5US33")] // digit in the institution
    public void Bic_WithUnassignedOrMalformedCountry_IsInvalid(string bic) => Assert.False(Bic.IsValid(bic));

    [Fact]
    public void CountryCodes_HaveEveryAssignedCode_AndCoverTheIbanRegistry()
    {
        Assert.Equal(250, CountryCodes.All.Count); // 249 officially assigned + XK
        Assert.All(CountryCodes.All, c => Assert.Matches("^[A-Z]{2}$", c));
        Assert.All(Iban.Lengths.Keys, c => Assert.True(CountryCodes.IsAssigned(c), c));
    }

    // ISO 11649 examples: RF18539007547034 is the standard's own; RF18 0000 0000 0000 0000 0539 007547034 is not (too long).
    [Theory]
    [InlineData("RF18539007547034")]
    [InlineData("RF18 5390 0754 7034")]
    [InlineData("rf18 5390 0754 7034")]
    [InlineData("RF712348231")]
    public void CreditorReference_PublishedExamples_AreValid(string reference) => Assert.True(CreditorReference.IsValid(reference));

    [Theory]
    [InlineData("RF19539007547034")]
    [InlineData("RF18539007547035")]
    [InlineData("RF18")]
    [InlineData("XX18539007547034")]
    [InlineData("RF18 0000 0000 0000 0000 0539 0075 4703 4")]
    [InlineData("RF1853900754703-4")]
    [InlineData(null)]
    public void CreditorReference_Invalid(string? reference) => Assert.False(CreditorReference.IsValid(reference));

    [Fact]
    public void CreditorReference_Create_ReproducesThePublishedCheckDigits()
    {
        Assert.Equal("RF18539007547034", CreditorReference.Create("539007547034"));
        Assert.Equal("RF712348231", CreditorReference.Create("2348231"));
    }

    [Fact]
    public void CreditorReference_Generate_IsValidUniqueAndWithinTheLengthLimit()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 2000; i++)
        {
            var reference = CreditorReference.Generate();
            Assert.True(CreditorReference.IsValid(reference), reference);
            Assert.InRange(reference.Length, 5, 25);
            Assert.True(seen.Add(reference));
        }
    }

    [Fact]
    public void CreditorReference_Format_GroupsByFour() =>
        Assert.Equal("RF18 5390 0754 7034", CreditorReference.Format("RF18539007547034"));

    [Theory]
    [InlineData("Invoice 2026-17 RF18 5390 0754 7034 thank you", "RF18539007547034")]
    [InlineData("ref:rf18539007547034/", "RF18539007547034")]
    [InlineData("/ROC/RF18539007547034 EREF", "RF18539007547034")]
    [InlineData("payment for order rf 18 5390 0754 7034", "RF18539007547034")]
    [InlineData("surfing RF19539007547034x", null)]
    [InlineData("no reference here", null)]
    public void CreditorReference_FindIn_ExtractsEmbeddedReferences(string text, string? expected)
    {
        var found = CreditorReference.FindIn(text);
        if (expected is null)
        {
            Assert.DoesNotContain("RF18539007547034", found);
        }
        else
        {
            Assert.Equal(expected, found[0]);
        }
    }
}
