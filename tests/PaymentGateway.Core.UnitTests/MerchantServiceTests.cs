using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Core.UnitTests;

public sealed class MerchantServiceTests
{
    [Fact]
    public void Hash_IsDeterministicLowerCaseHexSha256()
    {
        var first = MerchantService.Hash("sk_test_abc");
        var second = MerchantService.Hash("sk_test_abc");

        Assert.Equal(first, second);
        Assert.Equal(64, first.Length);
        Assert.All(first, ch => Assert.True(ch is >= '0' and <= '9' or >= 'a' and <= 'f', $"'{ch}' is not lower-case hex"));
    }

    [Fact]
    public void Hash_KnownVector_MatchesSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", MerchantService.Hash("abc"));
    }

    [Fact]
    public void Hash_DifferentKeys_Differ()
    {
        Assert.NotEqual(MerchantService.Hash("sk_test_abc"), MerchantService.Hash("sk_test_abd"));
    }

    [Fact]
    public void HashEquals_MatchingKey_True()
    {
        var hash = MerchantService.Hash("sk_test_abc");

        Assert.True(MerchantService.HashEquals("sk_test_abc", hash));
    }

    [Theory]
    [InlineData("sk_test_abd")]
    [InlineData("sk_test_ab")]
    [InlineData("")]
    public void HashEquals_OtherKey_False(string presented)
    {
        var hash = MerchantService.Hash("sk_test_abc");

        Assert.False(MerchantService.HashEquals(presented, hash));
    }

    [Fact]
    public void HashEquals_TruncatedOrUpperCaseHash_False()
    {
        var hash = MerchantService.Hash("sk_test_abc");

        Assert.False(MerchantService.HashEquals("sk_test_abc", hash[..^1]));
        Assert.False(MerchantService.HashEquals("sk_test_abc", hash.ToUpperInvariant()));
    }

    [Fact]
    public void NewSecret_HasPrefixAnd32AlphanumericChars()
    {
        var secret = MerchantService.NewSecret("sk_test_");

        Assert.StartsWith("sk_test_", secret, StringComparison.Ordinal);
        Assert.Equal("sk_test_".Length + 32, secret.Length);
        Assert.All(secret["sk_test_".Length..], ch => Assert.True(char.IsAsciiLetterOrDigit(ch), $"'{ch}' is not alphanumeric"));
    }

    [Fact]
    public void NewSecret_TwoCalls_Differ()
    {
        Assert.NotEqual(MerchantService.NewSecret("sk_test_"), MerchantService.NewSecret("sk_test_"));
    }
}
