using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.UnitTests;

public sealed class VaultKeyLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vault-key-loader-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_AllowGenerateAndNoKeyFile_CreatesOwnerOnlyKeyFile()
    {
        var options = new VaultOptions();

        var ring = VaultKeyLoader.Load(options, _directory, allowGenerate: true, NullLogger.Instance);

        var path = Path.Combine(_directory, options.KeyFile);
        Assert.True(File.Exists(path));
        Assert.Equal("k1", ring.ActiveKeyId);
        Assert.Equal(["k1"], ring.KeyIds);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Load_AllowGenerateAndKeyFileInMissingSubdirectory_CreatesIt()
    {
        var options = new VaultOptions { KeyFile = Path.Combine("nested", "keys.json") };

        VaultKeyLoader.Load(options, _directory, allowGenerate: true, NullLogger.Instance);

        Assert.True(File.Exists(Path.Combine(_directory, "nested", "keys.json")));
    }

    [Fact]
    public void Load_Twice_ReusesGeneratedKeys()
    {
        var options = new VaultOptions();
        var first = new CardVault(VaultKeyLoader.Load(options, _directory, allowGenerate: true, NullLogger.Instance));
        var blob = first.Encrypt("pm_1", "4242424242424242");
        var fingerprint = first.Fingerprint("4242424242424242");

        var second = new CardVault(VaultKeyLoader.Load(options, _directory, allowGenerate: true, NullLogger.Instance));

        Assert.Equal("4242424242424242", second.Decrypt("pm_1", blob));
        Assert.Equal(fingerprint, second.Fingerprint("4242424242424242"));
    }

    [Fact]
    public void Load_KeyFileExistsAndGenerateNotAllowed_LoadsIt()
    {
        var options = new VaultOptions();
        var first = new CardVault(VaultKeyLoader.Load(options, _directory, allowGenerate: true, NullLogger.Instance));
        var blob = first.Encrypt("pm_1", "4242424242424242");

        var second = new CardVault(VaultKeyLoader.Load(options, _directory, allowGenerate: false, NullLogger.Instance));

        Assert.Equal("4242424242424242", second.Decrypt("pm_1", blob));
    }

    [Fact]
    public void Load_NoKeyFileAndGenerateNotAllowed_ThrowsInvalidOperationException()
    {
        var options = new VaultOptions();

        Assert.Throws<InvalidOperationException>(() => VaultKeyLoader.Load(options, _directory, allowGenerate: false, NullLogger.Instance));
        Assert.False(File.Exists(Path.Combine(_directory, options.KeyFile)));
    }

    [Fact]
    public void Load_KeysFromOptions_UsesActiveKeyIdAndIgnoresKeyFile()
    {
        var k1 = RandomNumberGenerator.GetBytes(32);
        var k2 = RandomNumberGenerator.GetBytes(32);
        var options = new VaultOptions
        {
            Keys = $"k1:{Convert.ToBase64String(k1)};k2:{Convert.ToBase64String(k2)}",
            ActiveKeyId = "k2",
            FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };

        var ring = VaultKeyLoader.Load(options, _directory, allowGenerate: true, NullLogger.Instance);

        Assert.Equal("k2", ring.ActiveKeyId);
        Assert.Equal(["k1", "k2"], ring.KeyIds.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(_directory, options.KeyFile)));

        // A blob wrapped with k1 by a ring holding only k1 decrypts under the loaded ring.
        var oldBlob = new CardVault(new VaultKeyRing(new Dictionary<string, byte[]> { ["k1"] = k1 }, "k1", RandomNumberGenerator.GetBytes(32)))
            .Encrypt("pm_1", "4242424242424242");
        var vault = new CardVault(ring);
        Assert.Equal("4242424242424242", vault.Decrypt("pm_1", oldBlob));
        Assert.Equal("k2", CardVault.KeyIdOf(vault.Encrypt("pm_2", "4242424242424242")));
    }

    [Fact]
    public void Load_KeysFromOptionsWithoutFingerprintKey_ThrowsInvalidOperationException()
    {
        var options = new VaultOptions { Keys = $"k1:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}" };

        Assert.Throws<InvalidOperationException>(() => VaultKeyLoader.Load(options, _directory, allowGenerate: true, NullLogger.Instance));
    }

    [Fact]
    public void Load_KeysFromOptionsWithoutIdColon_ThrowsInvalidOperationException()
    {
        var options = new VaultOptions
        {
            Keys = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace(":", string.Empty, StringComparison.Ordinal),
            FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };

        Assert.Throws<InvalidOperationException>(() => VaultKeyLoader.Load(options, _directory, allowGenerate: true, NullLogger.Instance));
    }
}
