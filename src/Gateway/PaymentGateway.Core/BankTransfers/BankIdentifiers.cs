using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// IBAN (ISO 13616): a country code, two check digits and a country-specific BBAN. Valid when the length matches the
/// country (SWIFT IBAN registry) and the ISO 7064 MOD 97-10 check holds.
/// </summary>
public static class Iban
{
    /// <summary>IBAN lengths by country, from the SWIFT IBAN registry.</summary>
    public static FrozenDictionary<string, int> Lengths { get; } = new Dictionary<string, int>
    {
        ["AD"] = 24,
        ["AE"] = 23,
        ["AL"] = 28,
        ["AT"] = 20,
        ["AZ"] = 28,
        ["BA"] = 20,
        ["BE"] = 16,
        ["BG"] = 22,
        ["BH"] = 22,
        ["BI"] = 27,
        ["BR"] = 29,
        ["BY"] = 28,
        ["CH"] = 21,
        ["CR"] = 22,
        ["CY"] = 28,
        ["CZ"] = 24,
        ["DE"] = 22,
        ["DJ"] = 27,
        ["DK"] = 18,
        ["DO"] = 28,
        ["EE"] = 20,
        ["EG"] = 29,
        ["ES"] = 24,
        ["FI"] = 18,
        ["FK"] = 18,
        ["FO"] = 18,
        ["FR"] = 27,
        ["GB"] = 22,
        ["GE"] = 22,
        ["GI"] = 23,
        ["GL"] = 18,
        ["GR"] = 27,
        ["GT"] = 28,
        ["HR"] = 21,
        ["HU"] = 28,
        ["IE"] = 22,
        ["IL"] = 23,
        ["IQ"] = 23,
        ["IS"] = 26,
        ["IT"] = 27,
        ["JO"] = 30,
        ["KW"] = 30,
        ["KZ"] = 20,
        ["LB"] = 28,
        ["LC"] = 32,
        ["LI"] = 21,
        ["LT"] = 20,
        ["LU"] = 20,
        ["LV"] = 21,
        ["LY"] = 25,
        ["MC"] = 27,
        ["MD"] = 24,
        ["ME"] = 22,
        ["MK"] = 19,
        ["MN"] = 20,
        ["MR"] = 27,
        ["MT"] = 31,
        ["MU"] = 30,
        ["NI"] = 28,
        ["NL"] = 18,
        ["NO"] = 15,
        ["OM"] = 23,
        ["PK"] = 24,
        ["PL"] = 28,
        ["PS"] = 29,
        ["PT"] = 25,
        ["QA"] = 29,
        ["RO"] = 24,
        ["RS"] = 22,
        ["RU"] = 33,
        ["SA"] = 24,
        ["SC"] = 31,
        ["SD"] = 18,
        ["SE"] = 24,
        ["SI"] = 19,
        ["SK"] = 24,
        ["SM"] = 27,
        ["SO"] = 23,
        ["ST"] = 25,
        ["SV"] = 28,
        ["TL"] = 23,
        ["TN"] = 24,
        ["TR"] = 26,
        ["UA"] = 29,
        ["VA"] = 22,
        ["VG"] = 24,
        ["XK"] = 20,
        ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Upper-cases and drops spaces (the paper format groups by four); null when other characters remain.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 64)
        {
            return null;
        }

        var sb = new StringBuilder(input.Length);
        foreach (var ch in input)
        {
            if (ch is ' ' or '\u00a0')
            {
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(ch))
            {
                return null;
            }

            sb.Append(char.ToUpperInvariant(ch));
        }

        return sb.ToString();
    }

    /// <summary>Validates a normalized IBAN.</summary>
    public static bool IsValid(string iban, out string? problem)
    {
        problem = null;
        if (iban.Length < 5 || !char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1]) || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
        {
            problem = "An IBAN starts with a two-letter country code and two check digits.";
            return false;
        }

        if (!Lengths.TryGetValue(iban[..2], out var length))
        {
            problem = $"'{iban[..2]}' is not an IBAN country.";
            return false;
        }

        if (iban.Length != length)
        {
            problem = $"An IBAN from {iban[..2]} has {length} characters, this one has {iban.Length}.";
            return false;
        }

        if (Mod97(iban[4..] + iban[..4]) != 1)
        {
            problem = "The IBAN's check digits do not match (ISO 7064 MOD 97-10).";
            return false;
        }

        return true;
    }

    public static bool IsValid(string iban) => IsValid(iban, out _);

    /// <summary>The masked form shown on reads: country code and last four characters.</summary>
    public static string Mask(string iban) => iban.Length < 8 ? "****" : $"{iban[..2]}**{new string('*', 4)}{iban[^4..]}";

    /// <summary>ISO 7064 MOD 97-10 over an alphanumeric string (letters count as 10-35), computed piecewise.</summary>
    public static int Mod97(string value)
    {
        var remainder = 0;
        foreach (var ch in value)
        {
            int digitValue;
            if (char.IsAsciiDigit(ch))
            {
                digitValue = ch - '0';
                remainder = ((remainder * 10) + digitValue) % 97;
            }
            else if (char.IsAsciiLetter(ch))
            {
                digitValue = char.ToUpperInvariant(ch) - 'A' + 10;
                remainder = ((remainder * 100) + digitValue) % 97;
            }
            else
            {
                return -1;
            }
        }

        return remainder;
    }
}

/// <summary>
/// BIC (ISO 9362): 4 letters institution, 2 letters country, 2 alphanumerics location, optional 3 alphanumerics branch.
/// The country must be an ISO 3166-1 alpha-2 code (<see cref="CountryCodes"/>), any country, not only IBAN ones.
/// </summary>
public static class Bic
{
    public static string? Normalize(string? input) => input?.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    public static bool IsValid(string bic)
    {
        if (bic.Length is not (8 or 11))
        {
            return false;
        }

        for (var i = 0; i < bic.Length; i++)
        {
            var ch = bic[i];
            var ok = i < 6 ? char.IsAsciiLetterUpper(ch) : char.IsAsciiLetterUpper(ch) || char.IsAsciiDigit(ch);
            if (!ok)
            {
                return false;
            }
        }

        return CountryCodes.IsAssigned(bic[4..6]);
    }
}

/// <summary>
/// ISO 11649 structured creditor reference: <c>RF</c>, two check digits, then 1 to 21 alphanumerics; valid when
/// MOD 97-10 over (reference + "RF" + check digits) is 1. Printed in groups of four; matching ignores spaces and case.
/// </summary>
public static class CreditorReference
{
    // No I, L, O or U: people copy these by hand from an invoice.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Upper-case without spaces; null when anything else than letters, digits and spaces is present.</summary>
    public static string? Normalize(string? input) => Iban.Normalize(input);

    public static bool IsValid(string? input)
    {
        var value = Normalize(input);
        if (value is null || value.Length is < 5 or > 25 || !value.StartsWith("RF", StringComparison.Ordinal)
            || !char.IsAsciiDigit(value[2]) || !char.IsAsciiDigit(value[3]))
        {
            return false;
        }

        return Iban.Mod97(value[4..] + value[..4]) == 1;
    }

    /// <summary>Builds the reference for <paramref name="payload"/> (1-21 alphanumerics).</summary>
    public static string Create(string payload)
    {
        if (payload.Length is < 1 or > 21 || !payload.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("An RF payload is 1 to 21 letters or digits.", nameof(payload));
        }

        var upper = payload.ToUpperInvariant();
        var check = 98 - Iban.Mod97(upper + "RF00");
        return $"RF{check:00}{upper}";
    }

    /// <summary>A new random reference: 15 characters of payload (75 random bits), 19 in all.</summary>
    public static string Generate()
    {
        Span<char> payload = stackalloc char[15];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return Create(new string(payload));
    }

    /// <summary>The print form, in groups of four.</summary>
    public static string Format(string reference)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < reference.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                sb.Append(' ');
            }

            sb.Append(reference[i]);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Valid references found in free text (remittance information, end-to-end ids): each <c>RF</c> followed by check
    /// digits and characters, with single spaces tolerated, tried from the longest candidate down. Each start yields
    /// every valid length, longest first; the caller keeps the first one that is known.
    /// </summary>
    public static IReadOnlyList<string> FindIn(string? text)
    {
        var found = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return found;
        }

        for (var start = text.IndexOf("RF", StringComparison.OrdinalIgnoreCase); start >= 0;
             start = start + 2 < text.Length ? text.IndexOf("RF", start + 2, StringComparison.OrdinalIgnoreCase) : -1)
        {
            if (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1]))
            {
                continue;
            }

            var chars = new StringBuilder("RF");
            var i = start + 2;
            while (i < text.Length && chars.Length < 25)
            {
                var ch = text[i];
                if (char.IsAsciiLetterOrDigit(ch))
                {
                    chars.Append(char.ToUpperInvariant(ch));
                    i++;
                }
                else if (ch == ' ' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]) && chars.Length < 4 + 21)
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            var candidate = chars.ToString();
            for (var length = candidate.Length; length >= 5; length--)
            {
                var prefix = candidate[..length];
                if (IsValid(prefix) && !found.Contains(prefix))
                {
                    found.Add(prefix);
                }
            }
        }

        return found;
    }
}
