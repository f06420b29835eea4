using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaymentGateway.Cli;

/// <summary>One saved login: where the gateway is and the key to use.</summary>
public sealed record Profile
{
    [JsonPropertyName("base_url")]
    public required string BaseUrl { get; init; }

    [JsonPropertyName("api_key")]
    public required string ApiKey { get; init; }
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
/// Reads and writes the profile file. The file holds keys, so on Linux and macOS it is created readable and writable
/// by its owner only (0600, in a 0700 folder), as the GitHub and Stripe CLIs do where no keyring is available; on
/// Windows it lives in the user's roaming profile. <c>PGW_API_KEY</c> avoids the file altogether (CI, containers).
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
