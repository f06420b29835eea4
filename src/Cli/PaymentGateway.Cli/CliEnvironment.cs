namespace PaymentGateway.Cli;

/// <summary>
/// What a command reads from and writes to outside its arguments: the two output streams, the environment variables
/// (<c>PGW_API_KEY</c>, <c>PGW_BASE_URL</c>, <c>PGW_CONFIG_DIR</c>) and the folder of the profile file. Tests give
/// their own; the tool gives the process's.
/// </summary>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string> Variables)
{
    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }
        return new CliEnvironment(Console.Out, Console.Error, variables);
    }

    public string? Variable(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary><c>PGW_CONFIG_DIR</c>, else <c>$XDG_CONFIG_HOME/pgw</c>, else <c>~/.config/pgw</c> (on Windows, %APPDATA%\pgw).</summary>
    public string ConfigDirectory =>
        Variable("PGW_CONFIG_DIR")
        ?? (Variable("XDG_CONFIG_HOME") is { } xdg ? Path.Combine(xdg, "pgw") : null)
        ?? (OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "pgw")
            : Path.Combine(Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "pgw"));
}
