using System.Security.Cryptography;
using System.Text;

namespace PaymentGateway.Core.Vault;

/// <summary>
/// Key-encryption keys by id, plus the fingerprint key. New records are wrapped with <see cref="ActiveKeyId"/>;
/// records wrapped with any other key in the ring still decrypt, so a new key can be made active without downtime.
/// </summary>
public sealed class VaultKeyRing
{
    private readonly Dictionary<string, byte[]> _keys;

    public VaultKeyRing(IReadOnlyDictionary<string, byte[]> keys, string activeKeyId, byte[] fingerprintKey)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!keys.ContainsKey(activeKeyId))
        {
            throw new ArgumentException($"Active key '{activeKeyId}' is not in the key ring.", nameof(activeKeyId));
        }

        foreach (var (id, key) in keys)
        {
            if (key.Length != 32)
            {
                throw new ArgumentException($"Key '{id}' must be 32 bytes (AES-256).", nameof(keys));
            }

            if (id.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException("Key ids must not contain ':'.", nameof(keys));
            }
        }

        if (fingerprintKey.Length < 32)
        {
            throw new ArgumentException("The fingerprint key must be at least 32 bytes.", nameof(fingerprintKey));
        }

        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
        ActiveKeyId = activeKeyId;
        FingerprintKey = fingerprintKey.ToArray();
    }

    public string ActiveKeyId { get; }

    internal byte[] FingerprintKey { get; }

    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    internal byte[] Get(string keyId) =>
        _keys.TryGetValue(keyId, out var key) ? key : throw new CryptographicException($"Vault key '{keyId}' is not loaded.");

    internal byte[] Active => _keys[ActiveKeyId];

    public static VaultKeyRing Generate(string keyId = "k1") =>
        new(new Dictionary<string, byte[]> { [keyId] = RandomNumberGenerator.GetBytes(32) }, keyId, RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// Envelope encryption of card numbers: each record gets its own AES-256-GCM data key, which is wrapped by the
/// active key-encryption key. The record id is bound as associated data, so ciphertexts cannot be swapped between
/// records. Format: <c>v1:{keyId}:{wrapped data key}:{ciphertext}</c> (base64url parts).
/// </summary>
public sealed class CardVault(VaultKeyRing keyRing)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public VaultKeyRing KeyRing { get; } = keyRing;

    public string Encrypt(string recordId, string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return EncryptBytes(recordId, Encoding.UTF8.GetBytes(plaintext));
    }

    /// <summary>Encrypts bytes (an evidence file) the same way as <see cref="Encrypt"/>: same format, same keys.</summary>
    public string EncryptBytes(string recordId, ReadOnlySpan<byte> plaintext)
    {
        Count("encrypt");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            var aad = Encoding.UTF8.GetBytes(recordId);
            var wrapped = Seal(KeyRing.Active, dataKey, Encoding.UTF8.GetBytes(KeyRing.ActiveKeyId + ":" + recordId));
            var sealedText = Seal(dataKey, plaintext, aad);
            return $"v1:{KeyRing.ActiveKeyId}:{Base64Url(wrapped)}:{Base64Url(sealedText)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Decrypts; throws <see cref="CryptographicException"/> when the blob was tampered with or belongs to another record.</summary>
    public string Decrypt(string recordId, string blob) => Encoding.UTF8.GetString(DecryptBytes(recordId, blob));

    /// <summary>Decrypts to bytes (see <see cref="Decrypt"/>).</summary>
    public byte[] DecryptBytes(string recordId, string blob)
    {
        Count("decrypt");
        var (keyId, wrapped, sealedText) = Parse(blob);
        var dataKey = Open(KeyRing.Get(keyId), wrapped, Encoding.UTF8.GetBytes(keyId + ":" + recordId));
        try
        {
            return Open(dataKey, sealedText, Encoding.UTF8.GetBytes(recordId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Re-wraps the record's data key with the active key; the card ciphertext itself is unchanged.</summary>
    public string Rewrap(string recordId, string blob)
    {
        var (keyId, wrapped, sealedText) = Parse(blob);
        if (keyId == KeyRing.ActiveKeyId)
        {
            return blob;
        }

        var dataKey = Open(KeyRing.Get(keyId), wrapped, Encoding.UTF8.GetBytes(keyId + ":" + recordId));
        try
        {
            var rewrapped = Seal(KeyRing.Active, dataKey, Encoding.UTF8.GetBytes(KeyRing.ActiveKeyId + ":" + recordId));
            return $"v1:{KeyRing.ActiveKeyId}:{Base64Url(rewrapped)}:{Base64Url(sealedText)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public static string KeyIdOf(string blob) => Parse(blob).KeyId;

    /// <summary>A keyed HMAC of the card number: equal for the same card, useless without the key.</summary>
    public string Fingerprint(string cardNumber)
    {
        Count("fingerprint");
        var mac = HMACSHA256.HashData(KeyRing.FingerprintKey, Encoding.UTF8.GetBytes(cardNumber));
        return Base64Url(mac.AsSpan(0, 12).ToArray());
    }

    private static void Count(string operation) =>
        Diagnostics.GatewayTelemetry.VaultOperations.Add(1, new KeyValuePair<string, object?>("operation", operation));

    private static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, byte[] aad)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), aad);
        return output;
    }

    private static byte[] Open(byte[] key, byte[] input, byte[] aad)
    {
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Ciphertext is too short.");
        }

        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var gcm = new AesGcm(key, TagSize);
        gcm.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, plaintext.Length), input.AsSpan(input.Length - TagSize), plaintext, aad);
        return plaintext;
    }

    private static (string KeyId, byte[] Wrapped, byte[] Sealed) Parse(string blob)
    {
        var parts = blob.Split(':');
        if (parts.Length != 4 || parts[0] != "v1")
        {
            throw new CryptographicException("Unrecognized vault ciphertext format.");
        }

        return (parts[1], FromBase64Url(parts[2]), FromBase64Url(parts[3]));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("Malformed vault ciphertext.", e);
        }
    }
}
