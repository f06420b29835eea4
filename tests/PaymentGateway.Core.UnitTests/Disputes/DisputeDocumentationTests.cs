using PaymentGateway.Core.Disputes;

namespace PaymentGateway.Core.UnitTests.Disputes;

public sealed class DisputeDocumentationTests
{
    [Fact]
    public void DisputeDiagram_InDocs_MatchesTransitionTable()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "disputes.md"));
        const string begin = "<!-- dispute-state-diagram:begin -->";
        const string end = "<!-- dispute-state-diagram:end -->";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, "docs/disputes.md has no dispute-state-diagram markers.");
        var block = text[(start + begin.Length)..stop].Trim();
        var expected = "```mermaid\n" + DisputeStateMachine.ToMermaid() + "```";
        Assert.True(expected == block.ReplaceLineEndings("\n"),
            "docs/disputes.md's dispute diagram is out of date. Replace the block between the markers with:\n" + expected);
    }

    [Fact]
    public void EveryDisputeErrorCode_IsInTheDocsErrorTable()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "disputes.md"));
        foreach (var code in new[]
                 {
                     ErrorCodes.DisputeStateConflict, ErrorCodes.DisputeAlreadySubmitted, ErrorCodes.DisputeEvidenceDeadlinePassed,
                     ErrorCodes.DisputeResponseUnsupported, ErrorCodes.DisputeResponseRejected, ErrorCodes.EvidenceFileInvalid,
                     ErrorCodes.EvidenceFileTooLarge, ErrorCodes.EvidenceFileLimitReached,
                 })
        {
            Assert.Contains($"`{code}`", text, StringComparison.Ordinal);
        }
    }

    private static string RepoRoot()
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
