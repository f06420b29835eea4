using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaymentGateway.Cli;

/// <summary>
/// One saved login: where the gateway is and the key to use — the key itself only when <see cref="KeyStore"/> is
/// <c>file</c>; otherwise the key is in the operating system's store (<see cref="KeyStores"/>) and, for DPAPI, its
/// ciphertext is <see cref="ProtectedKey"/>.
/// </summary>
public sealed record Profile
{
    [JsonPropertyName("base_url")]
    public required string BaseUrl { get; init; }

    [JsonPropertyName("key_store")]
    public string KeyStore { get; init; } = KeyStores.File;

    [JsonPropertyName("api_key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiKey { get; init; }

    [JsonPropertyName("protected_key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProtectedKey { get; init; }

    /// <summary>The key hint for messages: its type and last four characters, never the key.</summary>
    [JsonPropertyName("key_hint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyHint { get; init; }
}

/// <summary>The profile file (<c>config.json</c> in the config folder).</summary>
public sealed record ProfileFile
{
    [JsonPropertyName("profiles")]
    public Dictionary<string, Profile> Profiles { get; init; } = new(StringComparer.Ordinal);
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ProfileFile))]
internal sealed partial class ProfileJson : JsonSerializerContext;

/// <summary>
/// Reads and writes the profile file. Where the operating system offers a key store, keys are there and the file names
/// the store; otherwise (a server or container without a Secret Service) the file holds the key and is created
/// readable and writable by its owner only (0600, in a 0700 folder), as the GitHub and Stripe CLIs do where no keyring
/// is available. <c>PGW_API_KEY</c> avoids both (CI, containers).
/// </summary>
public sealed class ProfileStore(string directory)
{
    public string FilePath => Path.Combine(directory, "config.json");

    public ProfileFile Read()
    {
        if (!File.Exists(FilePath))
        {
            return new ProfileFile();
        }
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), ProfileJson.Default.ProfileFile) ?? new ProfileFile();
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Usage, $"{FilePath} is not a valid profile file ({ex.Message}); fix or delete it, then run pgw login again.");
        }
    }

    public void Save(string name, Profile profile)
    {
        var file = Read();
        file.Profiles[name] = profile;
        Write(file);
    }

    /// <summary>Removes a profile; false when there was none of that name.</summary>
    public bool Remove(string name)
    {
        var file = Read();
        if (!file.Profiles.Remove(name))
        {
            return false;
        }
        Write(file);
        return true;
    }

    private void Write(ProfileFile file)
    {
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }
        var temporary = FilePath + ".tmp";
        File.Delete(temporary);
        using (var stream = OperatingSystem.IsWindows()
                   ? new FileStream(temporary, FileMode.CreateNew, FileAccess.Write)
                   : new FileStream(temporary, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew,
                       Access = FileAccess.Write,
                       UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
        {
            JsonSerializer.Serialize(stream, file, ProfileJson.Default.ProfileFile);
        }
        File.Move(temporary, FilePath, overwrite: true);
    }
}
