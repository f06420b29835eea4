using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PaymentGateway.Core.Webhooks;

/// <summary>
/// Standard Webhooks v1 signatures: <c>v1,</c> + base64 HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// keyed with the base64-decoded part of a <c>whsec_</c> secret. Several secrets (a rotation overlap) give several
/// space-separated signatures in one <c>webhook-signature</c> header.
/// </summary>
public static class StandardWebhookSigner
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>A new secret: 32 random bytes (the spec allows 24 to 64), base64, prefixed <c>whsec_</c>.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static byte[] DecodeSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        return Convert.FromBase64String(encoded);
    }

    /// <summary>One signature, <c>v1,&lt;base64&gt;</c>.</summary>
    public static string Sign(string secret, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        if (webhookId.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException("A webhook id must not contain '.'.", nameof(webhookId));
        }

        var prefix = Encoding.UTF8.GetBytes(webhookId + "." + timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(DecodeSecret(secret), message));
    }

    /// <summary>The <c>webhook-signature</c> header value: one signature per secret, space-separated, in the given order.</summary>
    public static string SignatureHeaderValue(IEnumerable<string> secrets, string webhookId, long timestamp, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var signatures = secrets.Select(s => Sign(s, webhookId, timestamp, body)).ToList();
        return signatures.Count == 0 ? throw new ArgumentException("At least one secret is needed.", nameof(secrets)) : string.Join(' ', signatures);
    }
}
