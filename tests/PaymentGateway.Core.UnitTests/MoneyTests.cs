using PaymentGateway.Providers;

namespace PaymentGateway.Core.UnitTests;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("EUR", 2)]
    [InlineData("USD", 2)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("CLF", 4)]
    public void Get_KnownCurrency_HasIsoExponent(string code, int exponent)
    {
        var currency = Currency.Get(code);

        Assert.Equal(code, currency.Code);
        Assert.Equal(exponent, currency.Exponent);
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("Eur")]
    [InlineData("eUR")]
    public void TryFind_AnyCase_FindsUpperCaseCurrency(string code)
    {
        Assert.True(Currency.TryFind(code, out var currency));
        Assert.Equal("EUR", currency.Code);
        Assert.Equal(2, currency.Exponent);
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("")]
    [InlineData("E U")]
    [InlineData(null)]
    public void TryFind_UnknownCode_NotFound(string? code)
    {
        Assert.False(Currency.TryFind(code, out var currency));
        Assert.Null(currency);
    }

    [Fact]
    public void Get_UnknownCode_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Currency.Get("XYZ"));
    }

    [Fact]
    public void Of_UnknownCode_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Money.Of(100, "XYZ"));
    }

    [Fact]
    public void CurrencyTable_HasMoreThan150Currencies()
    {
        Assert.True(CurrencyTable.ByCode.Count > 150, $"only {CurrencyTable.ByCode.Count} currencies");
    }

    [Fact]
    public void CurrencyTable_EveryCodeIsThreeUpperCaseLettersAndMatchesItsKey()
    {
        Assert.All(CurrencyTable.ByCode, entry =>
        {
            Assert.Equal(entry.Key, entry.Value.Code);
            Assert.Equal(3, entry.Key.Length);
            Assert.All(entry.Key, ch => Assert.InRange(ch, 'A', 'Z'));
            Assert.InRange(entry.Value.Exponent, 0, 4);
        });
    }

    [Fact]
    public void Add_SameCurrency_AddsMinorUnits()
    {
        var sum = Money.Of(1050, "EUR") + Money.Of(25, "eur");

        Assert.Equal(1075, sum.MinorUnits);
        Assert.Equal("EUR", sum.Currency.Code);
    }

    [Fact]
    public void Subtract_SameCurrency_SubtractsMinorUnits()
    {
        var difference = Money.Of(1000, "JPY") - Money.Of(1500, "JPY");

        Assert.Equal(-500, difference.MinorUnits);
        Assert.Equal("JPY", difference.Currency.Code);
    }

    [Fact]
    public void Add_Overflow_ThrowsOverflowException()
    {
        var max = Money.Of(long.MaxValue, "EUR");
        var one = Money.Of(1, "EUR");

        Assert.Throws<OverflowException>(() => max + one);
    }

    [Fact]
    public void Subtract_Overflow_ThrowsOverflowException()
    {
        var min = Money.Of(long.MinValue, "EUR");
        var one = Money.Of(1, "EUR");

        Assert.Throws<OverflowException>(() => min - one);
    }

    [Fact]
    public void Subtract_NegativeFromMaxValue_ThrowsOverflowException()
    {
        var max = Money.Of(long.MaxValue, "USD");
        var minusOne = Money.Of(-1, "USD");

        Assert.Throws<OverflowException>(() => max - minusOne);
    }

    [Fact]
    public void Add_DifferentCurrencies_Throws()
    {
        var eur = Money.Of(100, "EUR");
        var usd = Money.Of(100, "USD");

        Assert.Throws<InvalidOperationException>(() => eur + usd);
    }

    [Fact]
    public void Subtract_DifferentCurrencies_Throws()
    {
        var eur = Money.Of(100, "EUR");
        var jpy = Money.Of(100, "JPY");

        Assert.Throws<InvalidOperationException>(() => eur - jpy);
    }

    [Theory]
    [InlineData(1050, "EUR", "10.50")]
    [InlineData(5, "EUR", "0.05")]
    [InlineData(0, "EUR", "0.00")]
    [InlineData(1000, "JPY", "1000")]
    [InlineData(0, "JPY", "0")]
    [InlineData(1250, "KWD", "1.250")]
    [InlineData(1, "KWD", "0.001")]
    [InlineData(12345, "CLF", "1.2345")]
    [InlineData(-1050, "EUR", "-10.50")]
    [InlineData(-5, "EUR", "-0.05")]
    [InlineData(-99, "EUR", "-0.99")]
    [InlineData(-1000, "JPY", "-1000")]
    [InlineData(-1250, "KWD", "-1.250")]
    [InlineData(-1, "KWD", "-0.001")]
    [InlineData(long.MaxValue, "EUR", "92233720368547758.07")]
    [InlineData(long.MinValue, "EUR", "-92233720368547758.08")]
    public void ToDecimalString_UsesCurrencyExponent(long minorUnits, string code, string expected)
    {
        Assert.Equal(expected, Money.Of(minorUnits, code).ToDecimalString());
    }

    [Fact]
    public void ToString_IsDecimalAmountAndCode()
    {
        Assert.Equal("10.50 EUR", Money.Of(1050, "EUR").ToString());
    }
}
