using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.UnitTests;

public sealed class DocumentationTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/payments.md")]
    public void StateDiagram_InDocs_MatchesTransitionTable(string file)
    {
        var readme = File.ReadAllText(Path.Combine(FindRepoRoot(), file));
        const string begin = "<!-- state-diagram:begin -->";
        const string end = "<!-- state-diagram:end -->";
        var start = readme.IndexOf(begin, StringComparison.Ordinal);
        var stop = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, $"{file} has no state-diagram markers.");
        var block = readme[(start + begin.Length)..stop].Trim();
        var expected = "```mermaid\n" + PaymentStateMachine.ToMermaid() + "```";
        Assert.True(expected == block.ReplaceLineEndings("\n"),
            $"{file}'s state diagram is out of date. Replace the block between the markers with:\n" + expected);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PaymentGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }
}
