using PaymentGateway.Core.Diagnostics;

namespace PaymentGateway.Core.UnitTests;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("card 4242424242424242 declined")]
    [InlineData("card 4242 4242 4242 4242 declined")]
    [InlineData("card 4242-4242-4242-4242 declined")]
    [InlineData("amex 378282246310005!")]
    [InlineData("{\"number\":\"5555555555554444\"}")]
    [InlineData("pan=6011111111111117&x=1")]
    public void Redact_LuhnValidCardNumbers_AreMasked(string text)
    {
        var redacted = Redactor.Redact(text);

        Assert.Contains(Redactor.PanMask, redacted, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{4}[ -]?\d{4}[ -]?\d{4}", redacted);
    }

    [Theory]
    [InlineData("order 1234567890123456 shipped")] // 16 digits, fails Luhn: an order number, not a card
    [InlineData("amount 1000 EUR at 1732412345678")] // a timestamp: 13 digits, fails Luhn
    [InlineData("pay_06h0pp1aac7q4hhaqp54nwft95m4t")]
    [InlineData("parent span 0000000000000000 of the root")] // all zeros passes Luhn but is no card
    public void Redact_NumbersThatAreNotCards_AreKept(string text)
    {
        Assert.Equal(text, Redactor.Redact(text));
    }

    [Theory]
    [InlineData("key sk_test_q4TDd2i6ROsNBRMyqcyHjizP2k2lyJch used", "sk_test_***")]
    [InlineData("key pk_live_YmMOR6xQBH2iBWifHut8ukYDz53dnpWy", "pk_live_***")]
    [InlineData("admin_5HLSchB6RQnLHIh8hmLEIDXTiksUb9EE", "admin_***")]
    [InlineData("secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_***")]
    [InlineData("Authorization: Bearer abcdefghijklmnop", "Bearer ***")]
    public void Redact_KeysAndTokens_KeepOnlyTheirPrefix(string text, string expected)
    {
        var redacted = Redactor.Redact(text);

        Assert.Contains(expected, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("q4TDd2i6", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("YmMOR6xQ", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("5HLSchB6", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("MfKQ9r8G", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefghijklmnop", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"cvc\":\"737\",\"exp_month\":12}")]
    [InlineData("card[cvc]=737&card[exp_month]=12")]
    [InlineData("cvv: 737")]
    [InlineData("{\"api_key\": \"abc123def456\"}")]
    public void Redact_SensitiveFields_AreMaskedWhateverTheirValue(string text)
    {
        var redacted = Redactor.Redact(text);

        Assert.DoesNotContain("737", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123def456", redacted, StringComparison.Ordinal);
        Assert.Contains(Redactor.SecretMask, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cvc")]
    [InlineData("card_number")]
    [InlineData("ApiKey")]
    [InlineData("webhook-secret")]
    [InlineData("Authorization")]
    public void RedactProperty_SensitiveNames_AreMaskedOutright(string name)
    {
        Assert.Equal(Redactor.SecretMask, Redactor.RedactProperty(name, "anything at all"));
    }

    [Fact]
    public void RedactProperty_OrdinaryNames_AreScrubbedNotMasked()
    {
        Assert.Equal("pay_123", Redactor.RedactProperty("PaymentId", "pay_123"));
        Assert.Equal("tried [REDACTED_PAN]", Redactor.RedactProperty("Detail", "tried 4242424242424242"));
    }
}
