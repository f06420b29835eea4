using PaymentGateway.Providers;

namespace PaymentGateway.Core.UnitTests;

public sealed class SecretTests
{
    [Fact]
    public void ToString_IsMasked()
    {
        var secret = new Secret("4242424242424242");

        Assert.Equal("***", secret.ToString());
        Assert.Equal("***", $"{secret}");
    }

    [Fact]
    public void Reveal_ReturnsValue()
    {
        Assert.Equal("sk_test_abc", new Secret("sk_test_abc").Reveal());
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new Secret(null!));
    }
}
