using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk.Webhooks;

/// <summary>
/// Verifies the signature of a webhook sent by the gateway, per Standard Webhooks v1: HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> with the endpoint's <c>whsec_…</c> secret, compared in constant time
/// against each <c>v1,&lt;base64&gt;</c> entry of <c>webhook-signature</c>, and a timestamp within a tolerance
/// (default 5 minutes) to refuse replays. Thread-safe; create one per endpoint (with its secret, or with the new and
/// the old secret during a rotation) and reuse it.
/// </summary>
/// <remarks>Verify the raw request body exactly as received: parsing and re-serializing JSON changes the bytes.</remarks>
public sealed class WebhookVerifier
{
    /// <summary>The header carrying the message id (also an idempotency key for processing the webhook once).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header carrying the attempt time, in Unix seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header carrying the space-separated signatures.</summary>
    public const string SignatureHeader = "webhook-signature";

    private const string SecretPrefix = "whsec_";
    private const string SignatureVersion = "v1";

    private readonly byte[][] _keys;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier for one endpoint secret, with the default tolerance (5 minutes) and the system clock.</summary>
    /// <param name="secret">The endpoint's signing secret, <c>whsec_</c> followed by base64 (the prefix may be omitted).</param>
    /// <exception cref="ArgumentException">The secret is empty or not base64.</exception>
    public WebhookVerifier(string secret)
        : this([secret], null, null)
    {
    }

    /// <summary>Creates a verifier for one endpoint secret, with a timestamp tolerance and a clock.</summary>
    /// <param name="secret">The endpoint's signing secret, <c>whsec_</c> followed by base64 (the prefix may be omitted).</param>
    /// <param name="tolerance">How far the webhook's timestamp may be from now, either way; null for 5 minutes.</param>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The secret is empty or not base64.</exception>
    public WebhookVerifier(string secret, TimeSpan? tolerance, TimeProvider? timeProvider)
        : this([secret], tolerance, timeProvider)
    {
    }

    /// <summary>
    /// Creates a verifier that accepts a webhook signed with any of several secrets, for a secret rotation: list the
    /// new secret and the old one until every webhook in flight carries the new signature.
    /// </summary>
    /// <param name="secrets">One or more signing secrets, each <c>whsec_</c> followed by base64 (the prefix may be omitted).</param>
    /// <exception cref="ArgumentException">No secret is given, or one is empty or not base64.</exception>
    public WebhookVerifier(IEnumerable<string> secrets)
        : this(secrets, null, null)
    {
    }

    /// <summary>
    /// Creates a verifier that accepts a webhook signed with any of several secrets, with a timestamp tolerance and a clock.
    /// </summary>
    /// <param name="secrets">One or more signing secrets, each <c>whsec_</c> followed by base64 (the prefix may be omitted).</param>
    /// <param name="tolerance">How far the webhook's timestamp may be from now, either way; null for 5 minutes.</param>
    /// <param name="timeProvider">The clock; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">No secret is given, or one is empty or not base64.</exception>
    public WebhookVerifier(IEnumerable<string> secrets, TimeSpan? tolerance, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = [.. secrets.Select(DecodeSecret)];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("At least one webhook secret is required.", nameof(secrets));
        }

        _tolerance = tolerance ?? DefaultTolerance;
        if (_tolerance < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), "The tolerance must not be negative.");
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The default timestamp tolerance: 5 minutes.</summary>
    public static TimeSpan DefaultTolerance { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Verifies a webhook; returns normally when it is authentic and fresh.</summary>
    /// <param name="payload">The raw request body.</param>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header.</param>
    /// <exception cref="WebhookVerificationException">A header is missing or malformed, the timestamp is outside the tolerance, or no signature matches.</exception>
    public void Verify(string payload, string? webhookId, string? webhookTimestamp, string? webhookSignature)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Verify(Encoding.UTF8.GetBytes(payload), webhookId, webhookTimestamp, webhookSignature);
    }

    /// <summary>Verifies a webhook given its raw body bytes; returns normally when it is authentic and fresh.</summary>
    /// <param name="payload">The raw request body bytes.</param>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header.</param>
    /// <exception cref="WebhookVerificationException">A header is missing or malformed, the timestamp is outside the tolerance, or no signature matches.</exception>
    public void Verify(ReadOnlySpan<byte> payload, string? webhookId, string? webhookTimestamp, string? webhookSignature)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookTimestamp) || string.IsNullOrEmpty(webhookSignature))
        {
            throw new WebhookVerificationException(
                $"Missing webhook header: {(string.IsNullOrEmpty(webhookId) ? IdHeader : string.IsNullOrEmpty(webhookTimestamp) ? TimestampHeader : SignatureHeader)}.");
        }

        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            throw new WebhookVerificationException($"The {TimestampHeader} header is not a Unix timestamp in seconds.");
        }

        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - unixSeconds) > (long)_tolerance.TotalSeconds)
        {
            throw new WebhookVerificationException(
                unixSeconds < now
                    ? "The webhook timestamp is too old (possible replay)."
                    : "The webhook timestamp is too far in the future.");
        }

        var entries = webhookSignature.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Span<byte> candidate = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var key in _keys)
        {
            var expected = ComputeSignature(key, payload, webhookId, webhookTimestamp);
            foreach (var entry in entries)
            {
                var comma = entry.IndexOf(',', StringComparison.Ordinal);
                if (comma <= 0 || !entry.AsSpan(0, comma).SequenceEqual(SignatureVersion))
                {
                    continue;
                }

                if (Convert.TryFromBase64String(entry[(comma + 1)..], candidate, out var written)
                    && written == expected.Length
                    && CryptographicOperations.FixedTimeEquals(candidate[..written], expected))
                {
                    return;
                }
            }
        }

        throw new WebhookVerificationException("No webhook signature matches the payload and the endpoint secret.");
    }

    /// <summary>Verifies a webhook and reads its body as an <see cref="Event"/>.</summary>
    /// <param name="payload">The raw request body.</param>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header.</param>
    /// <returns>The event.</returns>
    /// <exception cref="WebhookVerificationException">The webhook is not authentic or fresh, or its body is not an event.</exception>
    public Event VerifyEvent(string payload, string? webhookId, string? webhookTimestamp, string? webhookSignature)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return VerifyEvent(Encoding.UTF8.GetBytes(payload), webhookId, webhookTimestamp, webhookSignature);
    }

    /// <summary>Verifies a webhook given its raw body bytes and reads the body as an <see cref="Event"/>.</summary>
    /// <param name="payload">The raw request body bytes.</param>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header.</param>
    /// <returns>The event.</returns>
    /// <exception cref="WebhookVerificationException">The webhook is not authentic or fresh, or its body is not an event.</exception>
    public Event VerifyEvent(ReadOnlySpan<byte> payload, string? webhookId, string? webhookTimestamp, string? webhookSignature)
    {
        Verify(payload, webhookId, webhookTimestamp, webhookSignature);
        try
        {
            return JsonSerializer.Deserialize(payload, SdkJsonContext.Default.Event)
                ?? throw new WebhookVerificationException("The webhook body is not an event.");
        }
        catch (JsonException ex)
        {
            throw new WebhookVerificationException("The webhook body is not an event.", ex);
        }
    }

    /// <summary>Signs a payload as the gateway does, with the first secret; for tests of webhook receivers.</summary>
    /// <param name="payload">The body.</param>
    /// <param name="webhookId">The message id.</param>
    /// <param name="timestamp">The attempt time.</param>
    /// <returns>The <c>webhook-signature</c> header value, <c>v1,&lt;base64&gt;</c>.</returns>
    public string Sign(string payload, string webhookId, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        var signature = ComputeSignature(
            _keys[0], Encoding.UTF8.GetBytes(payload), webhookId, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return $"{SignatureVersion},{Convert.ToBase64String(signature)}";
    }

    private static byte[] DecodeSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(encoded);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The webhook secret must be 'whsec_' followed by base64.", nameof(secret), ex);
        }

        return key.Length == 0 ? throw new ArgumentException("The webhook secret is empty.", nameof(secret)) : key;
    }

    private static byte[] ComputeSignature(byte[] key, ReadOnlySpan<byte> payload, string webhookId, string webhookTimestamp)
    {
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{webhookTimestamp}.");
        var message = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(message, 0);
        payload.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, message);
    }
}

/// <summary>A webhook failed verification: missing or malformed headers, a stale timestamp, or no matching signature. Answer such a request with HTTP 400.</summary>
public sealed class WebhookVerificationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebhookVerificationException()
        : base("The webhook failed verification.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why verification failed (never contains the secret or the expected signature).</param>
    public WebhookVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Why verification failed.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookVerificationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
