using System.Security.Cryptography;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.UnitTests;

public sealed class CardVaultTests
{
    private const string Pan = "4242424242424242";
    private const string RecordId = "pm_01hzzzzzzzzzzzzzzzzzzzzzzzz";

    private static readonly byte[] K1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] K2 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] FingerprintKey = RandomNumberGenerator.GetBytes(32);

    private static VaultKeyRing Ring(string active, params (string Id, byte[] Key)[] keys) =>
        new(keys.ToDictionary(k => k.Id, k => k.Key), active, FingerprintKey);

    [Fact]
    public void Decrypt_AfterEncrypt_ReturnsPlaintext()
    {
        var vault = new CardVault(VaultKeyRing.Generate());

        var blob = vault.Encrypt(RecordId, Pan);

        Assert.Equal(Pan, vault.Decrypt(RecordId, blob));
    }

    [Fact]
    public void Encrypt_UsesV1FormatWithActiveKeyId()
    {
        var vault = new CardVault(VaultKeyRing.Generate("kA"));

        var blob = vault.Encrypt(RecordId, Pan);

        var parts = blob.Split(':');
        Assert.Equal(4, parts.Length);
        Assert.Equal("v1", parts[0]);
        Assert.Equal("kA", parts[1]);
        Assert.Equal("kA", CardVault.KeyIdOf(blob));
    }

    [Fact]
    public void Encrypt_SamePanTwice_GivesDifferentCiphertexts()
    {
        var vault = new CardVault(VaultKeyRing.Generate());

        var first = vault.Encrypt(RecordId, Pan);
        var second = vault.Encrypt(RecordId, Pan);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split(':')[2], second.Split(':')[2]);
        Assert.NotEqual(first.Split(':')[3], second.Split(':')[3]);
    }

    [Fact]
    public void Encrypt_CiphertextDoesNotContainPan()
    {
        var vault = new CardVault(VaultKeyRing.Generate());

        var blob = vault.Encrypt(RecordId, Pan);

        Assert.DoesNotContain(Pan, blob, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Pan)).TrimEnd('='), blob, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_WithDifferentRecordId_ThrowsCryptographicException()
    {
        var vault = new CardVault(VaultKeyRing.Generate());
        var blob = vault.Encrypt(RecordId, Pan);

        Assert.ThrowsAny<CryptographicException>(() => vault.Decrypt("pm_other", blob));
    }

    [Fact]
    public void Decrypt_WithDifferentKeyRing_ThrowsCryptographicException()
    {
        var blob = new CardVault(VaultKeyRing.Generate()).Encrypt(RecordId, Pan);
        var other = new CardVault(VaultKeyRing.Generate());

        Assert.ThrowsAny<CryptographicException>(() => other.Decrypt(RecordId, blob));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Decrypt_AnyCharacterOfCiphertextPartFlipped_ThrowsCryptographicException(int partIndex)
    {
        var vault = new CardVault(VaultKeyRing.Generate());
        var blob = vault.Encrypt(RecordId, Pan);
        var parts = blob.Split(':');
        var part = parts[partIndex];

        // The last base64 character may carry unused padding bits, so every character but the last is flipped.
        for (var i = 0; i < part.Length - 1; i++)
        {
            var chars = part.ToCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            var tamperedParts = (string[])parts.Clone();
            tamperedParts[partIndex] = new string(chars);
            var tampered = string.Join(':', tamperedParts);

            Assert.ThrowsAny<CryptographicException>(() => vault.Decrypt(RecordId, tampered));
        }
    }

    [Theory]
    [InlineData("v2:k1:AAAA:AAAA")]
    [InlineData("k1:AAAA:AAAA")]
    [InlineData("v1:k1:AAAA:AAAA:AAAA")]
    [InlineData("v1:k1:AAAA:AAAA")]
    [InlineData("v1:k1:!!!!:AAAA")]
    [InlineData("")]
    public void Decrypt_MalformedBlob_ThrowsCryptographicException(string blob)
    {
        var vault = new CardVault(VaultKeyRing.Generate());

        Assert.ThrowsAny<CryptographicException>(() => vault.Decrypt(RecordId, blob));
    }

    [Fact]
    public void Decrypt_KeyIdChangedInBlob_ThrowsCryptographicException()
    {
        var vault = new CardVault(Ring("k2", ("k1", K1), ("k2", K2)));
        var blob = vault.Encrypt(RecordId, Pan);
        var relabelled = "v1:k1:" + string.Join(':', blob.Split(':')[2..]);

        Assert.ThrowsAny<CryptographicException>(() => vault.Decrypt(RecordId, relabelled));
    }

    [Fact]
    public void KeyRotation_OldBlobsDecryptNewBlobsUseNewKeyAndRewrapRetiresOldKey()
    {
        var before = new CardVault(Ring("k1", ("k1", K1)));
        var oldBlob = before.Encrypt(RecordId, Pan);
        Assert.Equal("k1", CardVault.KeyIdOf(oldBlob));

        var rotated = new CardVault(Ring("k2", ("k1", K1), ("k2", K2)));

        // Old blobs still decrypt once k2 is active.
        Assert.Equal(Pan, rotated.Decrypt(RecordId, oldBlob));

        // New blobs are wrapped with k2.
        var newBlob = rotated.Encrypt("pm_new", "5555555555554444");
        Assert.Equal("k2", CardVault.KeyIdOf(newBlob));
        Assert.Equal("5555555555554444", rotated.Decrypt("pm_new", newBlob));

        // Rewrap moves the old blob to k2 and leaves the card ciphertext as it was.
        var rewrapped = rotated.Rewrap(RecordId, oldBlob);
        Assert.Equal("k2", CardVault.KeyIdOf(rewrapped));
        Assert.Equal(oldBlob.Split(':')[3], rewrapped.Split(':')[3]);
        Assert.Equal(Pan, rotated.Decrypt(RecordId, rewrapped));

        // With k1 retired, only the rewrapped blob still decrypts.
        var retired = new CardVault(Ring("k2", ("k2", K2)));
        Assert.Equal(Pan, retired.Decrypt(RecordId, rewrapped));
        Assert.ThrowsAny<CryptographicException>(() => retired.Decrypt(RecordId, oldBlob));
    }

    [Fact]
    public void Rewrap_BlobAlreadyUnderActiveKey_ReturnsItUnchanged()
    {
        var vault = new CardVault(Ring("k1", ("k1", K1)));
        var blob = vault.Encrypt(RecordId, Pan);

        Assert.Equal(blob, vault.Rewrap(RecordId, blob));
    }

    [Fact]
    public void Rewrap_WithDifferentRecordId_ThrowsCryptographicException()
    {
        var oldBlob = new CardVault(Ring("k1", ("k1", K1))).Encrypt(RecordId, Pan);
        var rotated = new CardVault(Ring("k2", ("k1", K1), ("k2", K2)));

        Assert.ThrowsAny<CryptographicException>(() => rotated.Rewrap("pm_other", oldBlob));
    }

    [Fact]
    public void Fingerprint_SamePan_Equal()
    {
        var vault = new CardVault(Ring("k1", ("k1", K1)));
        var rotated = new CardVault(Ring("k2", ("k1", K1), ("k2", K2)));

        Assert.Equal(vault.Fingerprint(Pan), vault.Fingerprint(Pan));
        Assert.Equal(vault.Fingerprint(Pan), rotated.Fingerprint(Pan));
    }

    [Fact]
    public void Fingerprint_DifferentPan_Differs()
    {
        var vault = new CardVault(Ring("k1", ("k1", K1)));

        Assert.NotEqual(vault.Fingerprint("4242424242424242"), vault.Fingerprint("4000056655665556"));
    }

    [Fact]
    public void Fingerprint_DifferentFingerprintKey_Differs()
    {
        var vault = new CardVault(Ring("k1", ("k1", K1)));
        var other = new CardVault(new VaultKeyRing(new Dictionary<string, byte[]> { ["k1"] = K1 }, "k1", RandomNumberGenerator.GetBytes(32)));

        Assert.NotEqual(vault.Fingerprint(Pan), other.Fingerprint(Pan));
    }

    [Fact]
    public void Fingerprint_DoesNotContainPan()
    {
        var vault = new CardVault(Ring("k1", ("k1", K1)));

        var fingerprint = vault.Fingerprint(Pan);

        Assert.DoesNotContain(Pan, fingerprint, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(fingerprint));
    }

    [Fact]
    public void KeyRing_ActiveKeyNotInRing_Throws()
    {
        Assert.Throws<ArgumentException>(() => Ring("k2", ("k1", K1)));
    }

    [Fact]
    public void KeyRing_KeyNotThirtyTwoBytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => Ring("k1", ("k1", new byte[16])));
    }
}
