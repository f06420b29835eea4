using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.UnitTests;

public sealed class DirectDebitIdentifierTests
{
    // DE98ZZZ09999999999 is the Deutsche Bundesbank's published test creditor identifier; the others are the example
    // identifiers of the national communities' implementation guides (AT, FR, IT, ES, BE).
    [Theory]
    [InlineData("DE98ZZZ09999999999")]
    [InlineData("de98zzz09999999999")]
    [InlineData("DE98 ZZZ 0999 9999 999")]
    [InlineData("AT61ZZZ01234567890")]
    [InlineData("FR72ZZZ123456")]
    [InlineData("IT66ZZZA1B2C3D4E5F6G7H8")]
    [InlineData("ES59ZZZX1234567L")]
    [InlineData("BE69ZZZ050D000000008")]
    public void CreditorId_PublishedExamples_AreValid(string input) =>
        Assert.True(CreditorIdentifier.IsValid(input, out var problem), problem);

    [Fact]
    public void CreditorId_BusinessCodeIsNotPartOfTheCheck() =>
        Assert.True(CreditorIdentifier.IsValid("DE98ABC09999999999"));

    [Theory]
    [InlineData("DE99ZZZ09999999999", "check digits do not match")]
    [InlineData("DE98ZZZ09999999998", "check digits do not match")]
    [InlineData("XX98ZZZ09999999999", "country code")]
    [InlineData("DEXXZZZ09999999999", "check digits")]
    [InlineData("DE98ZZZ", "8 to 35")]
    [InlineData("DE98ZZZ-9999999999", "8 to 35")]
    [InlineData("DE98ZZZ09999999999099999999990999999", "8 to 35")]
    [InlineData(null, "8 to 35")]
    public void CreditorId_Invalid_WithReason(string? input, string reason)
    {
        Assert.False(CreditorIdentifier.IsValid(input, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CreditorId_Create_RoundTrips()
    {
        Assert.Equal("DE98ZZZ09999999999", CreditorIdentifier.Create("DE", "ZZZ", "09999999999"));
        Assert.True(CreditorIdentifier.IsValid(CreditorIdentifier.Create("NL", "ZZZ", "123456780000")));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("MANDATE-2026-0001")]
    [InlineData("abc/def-ghi?jkl:(m).n,o'p+q")]
    [InlineData("12345678901234567890123456789012345")]
    public void MandateReference_AllowedSet_IsValid(string reference) =>
        Assert.True(MandateReference.IsValid(reference, out var problem), problem);

    [Theory]
    [InlineData("", "1 to 35")]
    [InlineData(null, "1 to 35")]
    [InlineData("123456789012345678901234567890123456", "1 to 35")]
    [InlineData("MANDATE 1", "no spaces")]
    [InlineData("MANDAT_1", "only letters")]
    [InlineData("MANDAT\u00c41", "only letters")]
    [InlineData("M&1", "only letters")]
    [InlineData("/M1", "'/'")]
    [InlineData("M1/", "'/'")]
    [InlineData("M//1", "'//'")]
    public void MandateReference_Invalid_WithReason(string? reference, string reason)
    {
        Assert.False(MandateReference.IsValid(reference, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MandateReference_Generated_AreValidAndDistinct()
    {
        var generated = Enumerable.Range(0, 200).Select(_ => MandateReference.Generate()).ToList();
        Assert.All(generated, r => Assert.True(MandateReference.IsValid(r)));
        Assert.Equal(generated.Count, generated.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(MandateReference.UniquenessKey("md-abc"), MandateReference.UniquenessKey("MD-ABC"));
    }
}
