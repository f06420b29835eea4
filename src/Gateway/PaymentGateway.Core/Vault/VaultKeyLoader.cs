using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace PaymentGateway.Core.Vault;

/// <summary>Loads the vault's keys from configuration or a key file; creates the key file in development.</summary>
public static partial class VaultKeyLoader
{
    public static VaultKeyRing Load(VaultOptions options, string dataDirectory, bool allowGenerate, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.Keys))
        {
            var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var pair in options.Keys.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new InvalidOperationException("PaymentGateway:Vault:Keys must be 'id:base64' pairs separated by ';'.");
                }

                keys[pair[..colon]] = Convert.FromBase64String(pair[(colon + 1)..]);
            }

            if (string.IsNullOrWhiteSpace(options.FingerprintKey))
            {
                throw new InvalidOperationException("PaymentGateway:Vault:FingerprintKey is required when Vault:Keys is set.");
            }

            var active = options.ActiveKeyId ?? keys.Keys.Last();
            return new VaultKeyRing(keys, active, Convert.FromBase64String(options.FingerprintKey));
        }

        var path = Path.IsPathRooted(options.KeyFile) ? options.KeyFile : Path.Combine(dataDirectory, options.KeyFile);
        if (!File.Exists(path))
        {
            if (!allowGenerate)
            {
                throw new InvalidOperationException(
                    $"No vault keys: set PaymentGateway:Vault:Keys and FingerprintKey, or provide the key file '{path}'.");
            }

            var generated = new KeyFile
            {
                ActiveKeyId = "k1",
                Keys = new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
                FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            };
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Owner-only from the first byte: the keys are never readable by anyone else, even briefly.
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, fileOptions))
            {
                JsonSerializer.Serialize(stream, generated, KeyFileJsonContext.Default.KeyFile);
            }

            LogGeneratedKeyFile(logger, path);
        }

        using var input = File.OpenRead(path);
        var file = JsonSerializer.Deserialize(input, KeyFileJsonContext.Default.KeyFile)
                   ?? throw new InvalidOperationException($"Vault key file '{path}' is empty.");
        return new VaultKeyRing(
            file.Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal),
            file.ActiveKeyId,
            Convert.FromBase64String(file.FingerprintKey));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated a new vault key file at {Path}. This is for development only: in production supply keys from a secret store (PaymentGateway__Vault__Keys) and back them up; losing them makes stored cards unreadable.")]
    private static partial void LogGeneratedKeyFile(ILogger logger, string path);

    internal sealed class KeyFile
    {
        public required string ActiveKeyId { get; init; }
        public required Dictionary<string, string> Keys { get; init; }
        public required string FingerprintKey { get; init; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(VaultKeyLoader.KeyFile))]
internal sealed partial class KeyFileJsonContext : JsonSerializerContext;
