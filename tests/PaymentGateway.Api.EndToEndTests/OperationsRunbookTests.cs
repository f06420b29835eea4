using System.Text.RegularExpressions;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// docs/operations.md against what CI runs: its commands are the ones ReverseProxyTests and AlertRoutingTests run
/// (the same templates, filled with the runbook's placeholders), every alert rule has its section and links to it, and
/// every deploy/ file it names exists.
/// </summary>
public sealed partial class OperationsRunbookTests
{
    private static readonly string Runbook = File.ReadAllText(RepositoryFiles.RootPath("docs/operations.md"));

    public static TheoryData<string, string> Commands => new()
    {
        { RunbookCommands.SelfSignedCertificate, "pay.example.com" },
        { RunbookCommands.NginxCheck, "$PREFIX" },
        { RunbookCommands.NginxForeground, "$PREFIX" },
        { RunbookCommands.NginxMainConfiguration, "$PREFIX" },
        { RunbookCommands.CaddyValidate, "/etc/caddy/Caddyfile" },
        { RunbookCommands.CaddyRun, "/etc/caddy/Caddyfile" },
        { RunbookCommands.AmtoolCheck, "/etc/prometheus/alertmanager.yml" },
        { RunbookCommands.CheckConfig, "/opt/paymentgateway" },
        { RunbookCommands.Migrate, "/opt/paymentgateway" },
        { RunbookCommands.VaultRewrap, "/opt/paymentgateway" },
        { RunbookCommands.Backup, "/var/backups/paymentgateway/$(date -u +%Y%m%dT%H%M%SZ)" },
        { RunbookCommands.Restore, "/var/backups/paymentgateway/20261207T031500Z" },
        { RunbookCommands.PgDump, "paymentgateway" },
        { RunbookCommands.PgCreateRestoreTarget, "paymentgateway" },
        { RunbookCommands.PgRestore, "paymentgateway" },
        { "deploy/make-secrets.sh {0}", "/etc/paymentgateway/secrets" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Runbook_PrintsTheCommandTheTestsRun(string template, string placeholder)
    {
        var command = RunbookCommands.Format(template, placeholder);

        Assert.True(Runbook.Contains(command, StringComparison.Ordinal), $"docs/operations.md does not print:\n{command}");
    }

    [Fact]
    public void Runbook_ExplainsEveryAlertRule_AndEachRuleLinksToItsSection()
    {
        var rules = RepositoryFiles.ReadDeployFile("prometheus/alerts.yml");
        var names = AlertPattern().Matches(rules).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            Assert.Contains($"\n#### {name}\n", Runbook, StringComparison.Ordinal);
            Assert.Matches($"- alert: {name}\\n(?:(?!- alert:)[\\s\\S])*runbook: \"docs/operations\\.md#{name.ToLowerInvariant()}\"", rules);
        }
    }

    [Fact]
    public void Runbook_NamesOnlyDeployFilesThatExist()
    {
        var named = DeployPathPattern().Matches(Runbook).Select(m => m.Value.TrimEnd('.', ',', ':', ')')).Distinct().ToList();
        Assert.NotEmpty(named);
        foreach (var path in named.Where(p => !p.StartsWith("deploy/secrets/", StringComparison.Ordinal) && p != "deploy/gateway.env"))
        {
            Assert.True(File.Exists(RepositoryFiles.RootPath(path)) || Directory.Exists(RepositoryFiles.RootPath(path)), $"docs/operations.md names {path}, which does not exist");
        }
    }

    [GeneratedRegex("^\\s*-\\s+alert:\\s*(\\S+)", RegexOptions.Multiline)]
    private static partial Regex AlertPattern();

    [GeneratedRegex("deploy/[\\w./-]+")]
    private static partial Regex DeployPathPattern();
}
