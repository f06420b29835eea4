using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace PaymentGateway.Core.BackOffice;

/// <summary>
/// The console's secrets in one place: link tokens and recovery codes (random, stored as SHA-256 hashes) and passwords
/// (ASP.NET Core Identity's hasher: PBKDF2-HMAC-SHA512, 100,000 iterations, per-password salt).
/// </summary>
public static class ConsoleSecrets
{
    private static readonly PasswordHasher<ConsoleUser> Hasher = new();
    private static readonly ConsoleUser Nobody = new() { Id = "usr_nobody", Email = string.Empty, SecurityStamp = string.Empty };

    /// <summary>A hash of a password nobody has, verified when the account does not exist so both paths take as long.</summary>
    private static readonly string DecoyHash = Hasher.HashPassword(Nobody, "decoy-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    /// <summary>A random, URL-safe token of 256 bits.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string HashPassword(ConsoleUser user, string password) => Hasher.HashPassword(user, password);

    /// <summary>Checks a password; true with <paramref name="rehash"/> when the stored hash should be upgraded.</summary>
    public static bool VerifyPassword(ConsoleUser? user, string password, out bool rehash)
    {
        rehash = false;
        if (user?.PasswordHash is not { } hash)
        {
            Hasher.VerifyHashedPassword(Nobody, DecoyHash, password);
            return false;
        }

        var result = Hasher.VerifyHashedPassword(user, hash, password);
        rehash = result == PasswordVerificationResult.SuccessRehashNeeded;
        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>Ten recovery codes, <c>xxxxx-xxxxx</c> from an unambiguous alphabet (50 bits each).</summary>
    public static IReadOnlyList<string> NewRecoveryCodes()
    {
        const string alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
        return Enumerable.Range(0, 10)
            .Select(_ => RandomNumberGenerator.GetString(alphabet, 5) + "-" + RandomNumberGenerator.GetString(alphabet, 5))
            .ToList();
    }

    public static string NormalizeRecoveryCode(string code) => code.Trim().Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
