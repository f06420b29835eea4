using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.UnitTests;

public sealed class CardNumbersTests
{
    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("5555555555554444")]
    [InlineData("378282246310005")]
    [InlineData("4000000000000002")]
    [InlineData("2223003122003222")]
    [InlineData("6011111111111117")]
    [InlineData("3566002020360505")]
    [InlineData("36227206271667")]
    [InlineData("6200000000000005")]
    public void PassesLuhn_KnownTestNumbers_True(string number)
    {
        Assert.True(CardNumbers.PassesLuhn(number));
    }

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("4242424242424243")]
    [InlineData("5555555555554445")]
    [InlineData("378282246310006")]
    public void PassesLuhn_WrongCheckDigit_False(string number)
    {
        Assert.False(CardNumbers.PassesLuhn(number));
    }

    [Theory]
    [InlineData("4242424242424242", "visa")]
    [InlineData("4000000000000002", "visa")]
    [InlineData("5555555555554444", "mastercard")]
    [InlineData("2223003122003222", "mastercard")]
    [InlineData("378282246310005", "amex")]
    [InlineData("371449635398431", "amex")]
    [InlineData("6011111111111117", "discover")]
    [InlineData("3566002020360505", "jcb")]
    [InlineData("36227206271667", "diners")]
    [InlineData("6200000000000005", "unionpay")]
    public void DetectBrand_KnownTestNumbers(string number, string brand)
    {
        Assert.Equal(brand, CardNumbers.DetectBrand(number));
    }

    [Theory]
    [InlineData("4242424242424242", "visa")]
    [InlineData("5555555555554444", "mastercard")]
    [InlineData("2223003122003222", "mastercard")]
    [InlineData("378282246310005", "amex")]
    [InlineData("6011111111111117", "discover")]
    [InlineData("3566002020360505", "jcb")]
    [InlineData("36227206271667", "diners")]
    [InlineData("6200000000000005", "unionpay")]
    public void IsValid_KnownTestNumbers_TrueWithBrand(string number, string expectedBrand)
    {
        Assert.True(CardNumbers.IsValid(number, out var brand));
        Assert.Equal(expectedBrand, brand);
    }

    [Fact]
    public void IsValid_LuhnFailure_False()
    {
        Assert.False(CardNumbers.IsValid("4242424242424241", out var brand));
        Assert.Equal("visa", brand);
    }

    [Theory]
    [InlineData("370000000000000", "amex")] // amex is 15 digits; this makes 16
    [InlineData("42424242424242", "visa")] // visa is 13, 16 or 19; this makes 15
    [InlineData("55555555555544440", "mastercard")] // mastercard is 16; this makes 18
    public void IsValid_LuhnValidButWrongLengthForBrand_False(string body, string expectedBrand)
    {
        var number = body + LuhnCheckDigit(body);
        Assert.True(CardNumbers.PassesLuhn(number));

        Assert.False(CardNumbers.IsValid(number, out var brand));
        Assert.Equal(expectedBrand, brand);
    }

    [Theory]
    [InlineData("4242424242")] // makes 11 digits
    [InlineData("4242424242424242424")] // makes 20 digits
    public void IsValid_LuhnValidButOutsideTwelveToNineteenDigits_False(string body)
    {
        var number = body + LuhnCheckDigit(body);
        Assert.True(CardNumbers.PassesLuhn(number));

        Assert.False(CardNumbers.IsValid(number, out _));
    }

    [Theory]
    [InlineData("4242 4242 4242 4242", "4242424242424242")]
    [InlineData("4242-4242-4242-4242", "4242424242424242")]
    [InlineData(" 4242 4242-4242 4242 ", "4242424242424242")]
    [InlineData("378282246310005", "378282246310005")]
    public void Normalize_StripsSpacesAndDashes(string input, string expected)
    {
        Assert.Equal(expected, CardNumbers.Normalize(input));
    }

    [Theory]
    [InlineData("4242 4242 4242 424a")]
    [InlineData("4242x4242424242424242")]
    [InlineData("4242.4242.4242.4242")]
    [InlineData("４２４２４２４２４２４２４２４２")] // full-width digits are not ASCII digits
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" - - ")]
    [InlineData(null)]
    public void Normalize_NonDigitsOrEmpty_ReturnsNull(string? input)
    {
        Assert.Null(CardNumbers.Normalize(input));
    }

    [Fact]
    public void Normalize_MoreThan64Digits_ReturnsNull()
    {
        Assert.Null(CardNumbers.Normalize(new string('4', 65)));
    }

    [Theory]
    [InlineData(27, 2027)]
    [InlineData(0, 2000)]
    [InlineData(99, 2099)]
    [InlineData(2030, 2030)]
    [InlineData(2000, 2000)]
    [InlineData(2199, 2199)]
    public void NormalizeYear_TwoOrFourDigits(int input, int expected)
    {
        Assert.Equal(expected, CardNumbers.NormalizeYear(input));
    }

    [Theory]
    [InlineData(250)]
    [InlineData(100)]
    [InlineData(1999)]
    [InlineData(2200)]
    [InlineData(-1)]
    public void NormalizeYear_OutOfRange_Null(int input)
    {
        Assert.Null(CardNumbers.NormalizeYear(input));
    }

    [Fact]
    public void IsExpired_LastInstantOfExpiryMonth_NotExpired()
    {
        var endOfMonth = new DateTimeOffset(2027, 3, 31, 23, 59, 59, TimeSpan.Zero);

        Assert.False(CardNumbers.IsExpired(3, 2027, endOfMonth));
    }

    [Fact]
    public void IsExpired_FirstDayOfExpiryMonth_NotExpired()
    {
        var startOfMonth = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.False(CardNumbers.IsExpired(3, 2027, startOfMonth));
    }

    [Fact]
    public void IsExpired_FirstDayAfterExpiryMonth_Expired()
    {
        var nextMonth = new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.True(CardNumbers.IsExpired(3, 2027, nextMonth));
    }

    [Fact]
    public void IsExpired_DecemberExpiry_ExpiresInJanuary()
    {
        Assert.False(CardNumbers.IsExpired(12, 2027, new DateTimeOffset(2027, 12, 31, 12, 0, 0, TimeSpan.Zero)));
        Assert.True(CardNumbers.IsExpired(12, 2027, new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void IsExpired_EarlierYear_ExpiredAndLaterYear_NotExpired()
    {
        var now = new DateTimeOffset(2027, 6, 15, 0, 0, 0, TimeSpan.Zero);

        Assert.True(CardNumbers.IsExpired(12, 2026, now));
        Assert.False(CardNumbers.IsExpired(1, 2028, now));
    }

    private static char LuhnCheckDigit(string body)
    {
        for (var d = '0'; d <= '9'; d++)
        {
            if (CardNumbers.PassesLuhn(body + d))
            {
                return d;
            }
        }

        throw new InvalidOperationException("unreachable");
    }
}
