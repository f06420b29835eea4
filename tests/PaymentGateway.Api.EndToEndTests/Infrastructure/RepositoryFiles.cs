using System.Runtime.CompilerServices;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>Files of the repository the suite checks or runs as they are: <c>deploy/</c> and <c>docs/</c>.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() => FindRoot());

    /// <summary>The path of <paramref name="relative"/> under the repository's deploy/ folder.</summary>
    public static string DeployPath(string relative) => Path.Combine(Root.Value, "deploy", relative);

    /// <summary>The path of <paramref name="relative"/> under the repository root.</summary>
    public static string RootPath(string relative) => Path.Combine(Root.Value, relative);

    public static string ReadDeployFile(string relative) => File.ReadAllText(DeployPath(relative));

    /// <summary>
    /// Replaces <paramref name="original"/>, which must occur exactly once in <paramref name="text"/>: a test that runs
    /// a deploy/ file with its addresses swapped fails when the file drifts from what the test knows, never silently.
    /// </summary>
    public static string ReplaceOnce(string text, string original, string replacement, string file)
    {
        var first = text.IndexOf(original, StringComparison.Ordinal);
        if (first < 0 || text.IndexOf(original, first + original.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"{file} must contain '{original}' exactly once (the test replaces it); it contains it {(first < 0 ? "zero times" : "more than once")}.");
        }

        return string.Concat(text.AsSpan(0, first), replacement, text.AsSpan(first + original.Length));
    }

    /// <summary>
    /// Runs <c>deploy/make-secrets.sh DIR</c>, as docs/operations.md does, with <paramref name="environment"/> (e.g.
    /// <c>SLACK_WEBHOOK_URL</c>); returns DIR.
    /// </summary>
    public static async Task<string> MakeSecretsAsync(string directory, IDictionary<string, string>? environment = null)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(directory) ?? directory);
        var (exitCode, output) = await ExternalProcess.RunAsync("bash", [DeployPath("make-secrets.sh"), directory], directory + ".log", environment);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"deploy/make-secrets.sh failed ({exitCode}):\n{output}");
        }

        return directory;
    }

    /// <summary>The repository root: from this source file's path, else above the test binaries or the working directory.</summary>
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(sourceFile), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = start is { Length: > 0 } ? new DirectoryInfo(start) : null; dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "deploy", "grafana", "paymentgateway-dashboard.json")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("the repository (deploy/) was not found above " + sourceFile + " or " + AppContext.BaseDirectory);
    }
}
