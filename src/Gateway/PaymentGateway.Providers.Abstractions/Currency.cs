using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace PaymentGateway.Providers;

/// <summary>An ISO 4217 currency with the number of digits after the decimal separator (its exponent).</summary>
public sealed record Currency(string Code, int Exponent)
{
    /// <summary>Looks up a currency by its three-letter code, case-insensitively.</summary>
    public static bool TryFind(string? code, [NotNullWhen(true)] out Currency? currency)
    {
        currency = null;
        if (code is null || code.Length != 3)
        {
            return false;
        }

        return CurrencyTable.ByCode.TryGetValue(code.ToUpperInvariant(), out currency);
    }

    /// <summary>Looks up a currency or throws <see cref="ArgumentException"/>.</summary>
    public static Currency Get(string code) =>
        TryFind(code, out var currency) ? currency : throw new ArgumentException($"Unknown currency '{code}'.", nameof(code));

    /// <summary>Formats minor units as a decimal string with this currency's exponent, invariant culture ("10.50").</summary>
    public string ToDecimalString(long minorUnits)
    {
        if (Exponent == 0)
        {
            return minorUnits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var factor = CurrencyTable.PowersOfTen[Exponent];
        var whole = minorUnits / factor;
        var fraction = Math.Abs(minorUnits % factor);
        var sign = minorUnits < 0 && whole == 0 ? "-" : string.Empty;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{sign}{whole}.{fraction.ToString(new string('0', Exponent), System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <inheritdoc />
    public override string ToString() => Code;
}

/// <summary>The one currency table: every active ISO 4217 code and its exponent.</summary>
public static class CurrencyTable
{
    internal static readonly long[] PowersOfTen = [1, 10, 100, 1000, 10000];

    private static readonly string[] ZeroDecimal =
        ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"];

    private static readonly string[] ThreeDecimal = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

    private static readonly string[] FourDecimal = ["CLF", "UYW"];

    private static readonly string[] TwoDecimal =
    [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD", "BND",
        "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CNY", "COP", "COU",
        "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
        "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR",
        "KPW", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU",
        "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK",
        "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS",
        "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD",
        "USN", "UYU", "UZS", "VED", "VES", "WST", "XCD", "XCG", "YER", "ZAR", "ZMW", "ZWG",
    ];

    /// <summary>All currencies by upper-case code.</summary>
    public static FrozenDictionary<string, Currency> ByCode { get; } =
        ZeroDecimal.Select(c => new Currency(c, 0))
            .Concat(TwoDecimal.Select(c => new Currency(c, 2)))
            .Concat(ThreeDecimal.Select(c => new Currency(c, 3)))
            .Concat(FourDecimal.Select(c => new Currency(c, 4)))
            .ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
}
