using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// SEPA Creditor Identifier (EPC262-08): country code, two check digits, a three-character creditor business code
/// (free, often <c>ZZZ</c>) and the national identifier, 35 characters at most. The check digits are ISO 7064
/// MOD 97-10 (as in ISO 13616/IBAN) computed over the national identifier followed by the country code and <c>00</c>,
/// the business code excluded: <c>DE98ZZZ09999999999</c> is valid.
/// </summary>
public static class CreditorIdentifier
{
    /// <summary>Upper-case without spaces; null when other characters than letters, digits and spaces are present.</summary>
    public static string? Normalize(string? input) => Iban.Normalize(input);

    public static bool IsValid(string? input) => IsValid(input, out _);

    public static bool IsValid(string? input, out string? problem)
    {
        var id = Normalize(input);
        if (id is null || id.Length is < 8 or > 35)
        {
            problem = "A creditor identifier has 8 to 35 letters and digits.";
            return false;
        }

        if (!char.IsAsciiLetterUpper(id[0]) || !char.IsAsciiLetterUpper(id[1]) || !CountryCodes.IsAssigned(id[..2]))
        {
            problem = "A creditor identifier starts with an ISO 3166 country code.";
            return false;
        }

        if (!char.IsAsciiDigit(id[2]) || !char.IsAsciiDigit(id[3]))
        {
            problem = "The third and fourth characters of a creditor identifier are check digits.";
            return false;
        }

        var national = id[7..];
        if (Iban.Mod97(national + id[..2] + id[2..4]) != 1)
        {
            problem = "The creditor identifier's check digits do not match (ISO 7064 MOD 97-10).";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Builds an identifier for a country, business code and national identifier (tests, documentation).</summary>
    public static string Create(string country, string businessCode, string national)
    {
        var check = 98 - Iban.Mod97(national.ToUpperInvariant() + country.ToUpperInvariant() + "00");
        return $"{country.ToUpperInvariant()}{check:00}{businessCode.ToUpperInvariant()}{national.ToUpperInvariant()}";
    }
}

/// <summary>
/// SEPA Unique Mandate Reference (pain.008 <c>MndtId</c>): 1 to 35 characters of the SEPA Latin set
/// (<c>a-z A-Z 0-9 / - ? : ( ) . , ' +</c>). Spaces are refused (several national communities forbid them in mandate
/// references), as are a leading or trailing <c>/</c> and <c>//</c> (the ISO restriction on identifiers). Uniqueness is
/// per merchant (creditor) and ignores case, as banks compare them.
/// </summary>
public static class MandateReference
{
    private const string Punctuation = "/-?:().,'+";

    // No I, L, O or U: people read mandate references from paper.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static bool IsValid(string? reference) => IsValid(reference, out _);

    public static bool IsValid(string? reference, [NotNullWhen(false)] out string? problem)
    {
        if (string.IsNullOrEmpty(reference) || reference.Length > 35)
        {
            problem = "A mandate reference has 1 to 35 characters.";
            return false;
        }

        foreach (var ch in reference)
        {
            if (!char.IsAsciiLetterOrDigit(ch) && !Punctuation.Contains(ch, StringComparison.Ordinal))
            {
                problem = "A mandate reference uses only letters, digits and / - ? : ( ) . , ' + (no spaces).";
                return false;
            }
        }

        if (reference[0] == '/' || reference[^1] == '/' || reference.Contains("//", StringComparison.Ordinal))
        {
            problem = "A mandate reference must not start or end with '/' nor contain '//'.";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>The form compared for uniqueness per merchant.</summary>
    public static string UniquenessKey(string reference) => reference.ToUpperInvariant();

    /// <summary>A new reference: <c>MD-</c> and 20 random characters (100 bits).</summary>
    public static string Generate()
    {
        var sb = new StringBuilder("MD-", 23);
        for (var i = 0; i < 20; i++)
        {
            sb.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return sb.ToString();
    }
}
