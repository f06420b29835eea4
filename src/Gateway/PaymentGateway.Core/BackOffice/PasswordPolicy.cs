using System.Collections.Frozen;
using System.Reflection;

namespace PaymentGateway.Core.BackOffice;

/// <summary>
/// What a console password must be: 12 to 128 characters, not one of the 10,000 most common passwords (also with
/// digits or symbols added at the end), and not the account's email. Each refusal says which rule, for the field.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    private static readonly FrozenSet<string> Common = Load();

    /// <summary>Null when acceptable; otherwise the message for the password field.</summary>
    public static string? Check(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Enter a password.";
        }

        if (password.Length < MinLength)
        {
            return $"Use at least {MinLength} characters.";
        }

        if (password.Length > MaxLength)
        {
            return $"Use at most {MaxLength} characters.";
        }

        var lower = password.ToLowerInvariant();
        // Also with digits and/or symbols added at the end ("password1234", "trustno1!!!!").
        var withoutSymbols = lower.TrimEnd("!@#$%^&*?.-_+= ".ToCharArray());
        var withoutEither = withoutSymbols.TrimEnd("0123456789!@#$%^&*?.-_+= ".ToCharArray());
        if (Common.Contains(lower) || Common.Contains(withoutSymbols) || Common.Contains(withoutEither) || lower.Distinct().Count() < 4)
        {
            return "This password is too common. Choose one that is harder to guess.";
        }

        var local = email?.Split('@')[0].ToLowerInvariant();
        if (local is { Length: >= 4 } && lower.Contains(local, StringComparison.Ordinal))
        {
            return "The password must not contain your email address.";
        }

        return null;
    }

    internal static bool IsCommon(string password) => Common.Contains(password.ToLowerInvariant());

    private static FrozenSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PaymentGateway.Core.BackOffice.common-passwords.txt")
                           ?? throw new InvalidOperationException("The common-password list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line.Trim());
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
