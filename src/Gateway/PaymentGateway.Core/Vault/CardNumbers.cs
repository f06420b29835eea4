namespace PaymentGateway.Core.Vault;

/// <summary>Card number checks: digits, Luhn, brand by IIN range and length, expiry.</summary>
public static class CardNumbers
{
    private sealed record BrandRule(string Brand, Func<string, bool> Matches, int[] Lengths);

    private static readonly BrandRule[] Rules =
    [
        new("amex", n => n.StartsWith("34", StringComparison.Ordinal) || n.StartsWith("37", StringComparison.Ordinal), [15]),
        new("diners", n => Prefix(n, 2) is 36 or 38 or 39 || Prefix(n, 3) is >= 300 and <= 305, [14, 16, 19]),
        new("discover", n => n.StartsWith("6011", StringComparison.Ordinal) || n.StartsWith("65", StringComparison.Ordinal) || Prefix(n, 3) is >= 644 and <= 649, [16, 19]),
        new("jcb", n => Prefix(n, 4) is >= 3528 and <= 3589, [16, 17, 18, 19]),
        new("unionpay", n => n.StartsWith("62", StringComparison.Ordinal), [16, 17, 18, 19]),
        new("mastercard", n => Prefix(n, 2) is >= 51 and <= 55 || Prefix(n, 4) is >= 2221 and <= 2720, [16]),
        new("maestro", n => Prefix(n, 2) is 50 or (>= 56 and <= 58) || n.StartsWith('6'), [12, 13, 14, 15, 16, 17, 18, 19]),
        new("visa", n => n.StartsWith('4'), [13, 16, 19]),
    ];

    /// <summary>Removes spaces and dashes that people type; returns null when anything else is not a digit.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[Math.Min(input.Length, 64)];
        var length = 0;
        foreach (var ch in input)
        {
            if (ch is ' ' or '-')
            {
                continue;
            }

            if (ch is < '0' or > '9' || length == buffer.Length)
            {
                return null;
            }

            buffer[length++] = ch;
        }

        return length == 0 ? null : new string(buffer[..length]);
    }

    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>The brand, or "unknown". Unknown brands are accepted if Luhn passes and the length is 12-19.</summary>
    public static string DetectBrand(string digits)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(digits))
            {
                return rule.Brand;
            }
        }

        return "unknown";
    }

    /// <summary>True when the number is 12-19 digits, Luhn-valid and of a length its brand issues.</summary>
    public static bool IsValid(string digits, out string brand)
    {
        var detected = DetectBrand(digits);
        brand = detected;
        if (digits.Length is < 12 or > 19 || !PassesLuhn(digits))
        {
            return false;
        }

        var rule = Array.Find(Rules, r => r.Brand == detected);
        return rule is null || rule.Lengths.Contains(digits.Length);
    }

    /// <summary>Normalizes a 2- or 4-digit year; null when out of range.</summary>
    public static int? NormalizeYear(int year) => year switch
    {
        >= 0 and <= 99 => 2000 + year,
        >= 2000 and <= 2199 => year,
        _ => null,
    };

    /// <summary>A card is valid through the last day of its expiry month.</summary>
    public static bool IsExpired(int month, int year, DateTimeOffset now) =>
        year < now.Year || (year == now.Year && month < now.Month);

    public static bool IsLuhnValidDigitRun(ReadOnlySpan<char> text) => text.Length is >= 12 and <= 19 && PassesLuhn(new string(text));

    private static int Prefix(string n, int digits) =>
        n.Length < digits ? -1 : int.Parse(n.AsSpan(0, digits), System.Globalization.CultureInfo.InvariantCulture);
}
