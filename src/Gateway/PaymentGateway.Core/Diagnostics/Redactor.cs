using System.Text.RegularExpressions;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.Diagnostics;

/// <summary>
/// Removes card numbers, CVCs, API keys and secrets from text bound for logs, traces or error trackers. It is the
/// last line of defence: code must not log such values in the first place, but anything that slips through (an
/// exception message quoting input, a third-party log line) is scrubbed here.
/// </summary>
public static partial class Redactor
{
    public const string PanMask = "[REDACTED_PAN]";
    public const string SecretMask = "***";

    /// <summary>Returns <paramref name="text"/> with every sensitive value masked; the same instance when nothing matched.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var result = DigitRun().Replace(text, m => IsCardNumber(m.Value) ? PanMask : m.Value);
        result = KeyPattern().Replace(result, m => m.Groups["prefix"].Value + SecretMask);
        result = BearerPattern().Replace(result, m => m.Groups["scheme"].Value + SecretMask);
        result = SensitiveField().Replace(result, m => m.Groups["name"].Value + m.Groups["sep"].Value + SecretMask + m.Groups["close"].Value);
        return result;
    }

    /// <summary>True when a property name is one whose value must never be logged, whatever it looks like.</summary>
    public static bool IsSensitiveName(string name)
    {
        var n = name.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return n is "cvc" or "cvv" or "cvc2" or "cvv2" or "number" or "cardnumber" or "pan" or "password" or "secret" or "apikey"
            or "authorization" or "webhooksecret" or "hmackey" or "adminkey" or "iban";
    }

    private static bool IsCardNumber(string candidate)
    {
        Span<char> digits = stackalloc char[19];
        var length = 0;
        foreach (var ch in candidate)
        {
            if (char.IsAsciiDigit(ch))
            {
                if (length == digits.Length)
                {
                    return false;
                }

                digits[length++] = ch;
            }
        }

        // An all-zero run passes Luhn but is no card (a root span's W3C parent id is 0000000000000000).
        return length is >= 12 and <= 19 && digits[..length].ContainsAnyExcept('0') && CardNumbers.PassesLuhn(new string(digits[..length]));
    }

    // 12-19 digits, optionally grouped by single spaces or dashes, not glued to other digits.
    [GeneratedRegex(@"(?<!\d)\d(?:[ -]?\d){11,18}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    // Gateway keys and provider secrets: sk_/pk_ test|live, rk_, admin_, whsec_.
    [GeneratedRegex(@"(?<prefix>\b(?:sk|pk|rk)_(?:test|live)_|\badmin_|\bwhsec_)[A-Za-z0-9+/=_\-]{6,}", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic)\s+)[A-Za-z0-9+/=._\-]{8,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    // "cvc":"123", cvc=123, card[cvc]=123, "api_key": "x", secret=..., ?token=... (console links) (JSON, form and key=value shapes).
    [GeneratedRegex(@"(?<name>""?\b(?:cvc|cvv|cvc2|cvv2|api_key|apikey|secret|webhook_secret|hmac_key|password|token)\]?""?)(?<sep>\s*[:=]\s*""?)(?<value>[^""&,;\s}]+)(?<close>""?)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveField();

    /// <summary>Redacts a value for a named property: sensitive names are masked outright, anything else is scrubbed.</summary>
    public static string RedactProperty(string name, object? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        if (IsSensitiveName(name))
        {
            return SecretMask;
        }

        return Redact(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
