using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Alerts that reach people (docs/operations.md, "Alerts"): Debian's Prometheus evaluates deploy/prometheus/alerts.yml
/// against a gateway node that does not answer, and Debian's Alertmanager, running deploy/alertmanager/alertmanager.yml
/// with its template, delivers the critical alert to a Slack-style incoming webhook and to e-mail (a local HTTP receiver
/// and a local SMTP sink); a warning posted to Alertmanager's API goes to the chat channel only. Bounded: about ten
/// seconds, at most 45 s per wait.
/// </summary>
public sealed partial class AlertRoutingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [ToolFact("prometheus", "prometheus-alertmanager", "amtool", "openssl")]
    public async Task FiringRules_ReachChatAndOnCallEmail_ByTheirSeverity()
    {
        var directory = Path.Combine(GatewayServer.TestRoot, "alerts-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        await using var chat = await WebhookReceiver.StartAsync();
        await using var smtp = SmtpSink.Start();
        var alertmanagerPort = ExternalProcess.FreeLoopbackPort();

        // Alertmanager: the deployed configuration and template; only the SMTP server (a local sink without TLS), the
        // secret files and the 30 s group_wait change.
        // The secret files as the runbook makes them, with the chat webhook pointing at the local receiver.
        var secrets = await RepositoryFiles.MakeSecretsAsync(Path.Combine(directory, "secrets"), new Dictionary<string, string>
        {
            ["SLACK_WEBHOOK_URL"] = $"{chat.BaseAddress}hooks/chat",
            ["SMTP_PASSWORD"] = "not-asked-for-by-the-sink",
        });
        const string file = "deploy/alertmanager/alertmanager.yml";
        var config = RepositoryFiles.ReadDeployFile("alertmanager/alertmanager.yml");
        config = RepositoryFiles.ReplaceOnce(config, "smtp_smarthost: smtp.example.com:587", $"smtp_smarthost: 127.0.0.1:{smtp.Port}", file);
        config = RepositoryFiles.ReplaceOnce(config, "smtp_require_tls: true", "smtp_require_tls: false", file);
        foreach (var secret in new[] { "smtp_password", "slack_webhook_url" })
        {
            config = RepositoryFiles.ReplaceOnce(config, "/etc/alertmanager/secrets/" + secret, Path.Combine(secrets, secret), file);
        }

        config = RepositoryFiles.ReplaceOnce(config, "group_wait: 30s", "group_wait: 1s", file);
        var configFile = Path.Combine(directory, "alertmanager.yml");
        await File.WriteAllTextAsync(configFile, config);
        File.Copy(RepositoryFiles.DeployPath("alertmanager/paymentgateway.tmpl"), Path.Combine(directory, "paymentgateway.tmpl"));
        var (amtool, amtoolArguments) = RunbookCommands.Split(RunbookCommands.AmtoolCheck, configFile);
        var check = await ExternalProcess.RunAsync(amtool, amtoolArguments, Path.Combine(directory, "amtool.log"));
        Assert.True(check.ExitCode == 0, "amtool check-config:\n" + check.Output);
        await using var alertmanager = ExternalProcess.Start("prometheus-alertmanager",
            [$"--config.file={configFile}", $"--storage.path={directory}/alertmanager-data", $"--web.listen-address=127.0.0.1:{alertmanagerPort}",
             "--cluster.listen-address=", "--log.level=debug"],
            Path.Combine(directory, "alertmanager.log"));
        await alertmanager.WaitForPortAsync(alertmanagerPort);

        // Prometheus: the deployed rules, with PaymentGatewayDown firing at once instead of after 2 minutes, scraping a
        // gateway node that is not there.
        var rules = RepositoryFiles.ReplaceOnce(RepositoryFiles.ReadDeployFile("prometheus/alerts.yml"),
            "expr: up{job=\"paymentgateway\"} == 0\n        for: 2m", "expr: up{job=\"paymentgateway\"} == 0\n        for: 0s", "deploy/prometheus/alerts.yml");
        await File.WriteAllTextAsync(Path.Combine(directory, "alerts.yml"), rules);
        var deadNode = $"127.0.0.1:{ExternalProcess.FreeLoopbackPort()}";
        var prometheusPort = ExternalProcess.FreeLoopbackPort();
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), $$"""
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            rule_files: [alerts.yml]
            alerting:
              alertmanagers:
                - static_configs: [{ targets: ["127.0.0.1:{{alertmanagerPort}}"] }]
            scrape_configs:
              - job_name: paymentgateway
                static_configs: [{ targets: ["{{deadNode}}"] }]
            """);
        await using var prometheus = ExternalProcess.Start("prometheus",
            [$"--config.file={directory}/prometheus.yml", $"--storage.tsdb.path={directory}/prometheus-data", $"--web.listen-address=127.0.0.1:{prometheusPort}"],
            Path.Combine(directory, "prometheus.log"));
        await prometheus.WaitForPortAsync(prometheusPort);

        // Critical: chat (#payments-oncall) and the on-call mailbox, with the rule's name and its summary.
        var summary = $"Gateway node {deadNode} is not answering /metrics";
        var oncallChat = await WaitForChatAsync(chat, "PaymentGatewayDown", alertmanager);
        Assert.Equal("#payments-oncall", oncallChat.GetProperty("channel").GetString());
        var attachment = oncallChat.GetProperty("attachments")[0];
        Assert.Equal("[FIRING:1] PaymentGatewayDown (critical)", attachment.GetProperty("title").GetString());
        var chatText = attachment.GetProperty("text").GetString() ?? "";
        Assert.Contains(summary, chatText, StringComparison.Ordinal);
        Assert.Contains("Runbook: docs/operations.md#paymentgatewaydown", chatText, StringComparison.Ordinal);

        var mail = await smtp.WaitForAsync(m => m.Text.Contains("PaymentGatewayDown", StringComparison.Ordinal), Wait, "about PaymentGatewayDown");
        Assert.Equal(["<payments-oncall@example.com>"], mail.To);
        Assert.Equal("[FIRING:1] PaymentGatewayDown (critical)", mail.Subject);
        Assert.Contains(summary, mail.Text, StringComparison.Ordinal);

        // Warning: the labels and summary of a real rule, posted to Alertmanager's API, reach the chat channel only.
        var backlog = RuleSeverity(rules, "PaymentGatewayWebhookBacklog");
        Assert.Equal("warning", backlog);
        using (var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{alertmanagerPort}") })
        {
            var posted = await api.PostAsJsonAsync("/api/v2/alerts", new[]
            {
                new
                {
                    labels = new Dictionary<string, string> { ["alertname"] = "PaymentGatewayWebhookBacklog", ["severity"] = backlog, ["instance"] = "gateway-1:8080" },
                    annotations = new Dictionary<string, string> { ["summary"] = "Webhook deliveries on gateway-1:8080 run 15m 0s late" },
                },
            });
            Assert.True(posted.IsSuccessStatusCode, $"POST /api/v2/alerts: {(int)posted.StatusCode}");
        }

        var warningChat = await WaitForChatAsync(chat, "PaymentGatewayWebhookBacklog", alertmanager);
        Assert.Equal("#payments-alerts", warningChat.GetProperty("channel").GetString());
        Assert.Contains("Webhook deliveries on gateway-1:8080 run 15m 0s late", warningChat.GetProperty("attachments")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a mail would have gone out with the chat message
        Assert.DoesNotContain(smtp.Received, m => m.Text.Contains("PaymentGatewayWebhookBacklog", StringComparison.Ordinal));
    }

    /// <summary>The Slack payload that names <paramref name="alertName"/>; fails with Alertmanager's log after <see cref="Wait"/>.</summary>
    private static async Task<JsonElement> WaitForChatAsync(WebhookReceiver chat, string alertName, ExternalProcess alertmanager)
    {
        var until = DateTimeOffset.UtcNow + Wait;
        while (DateTimeOffset.UtcNow < until)
        {
            if (chat.Received.FirstOrDefault(r => r.Path == "/hooks/chat" && r.Body.Contains(alertName, StringComparison.Ordinal)) is { } received)
            {
                return JsonDocument.Parse(received.Body).RootElement.Clone();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No chat message about {alertName} within {Wait}. Alertmanager's log:\n{alertmanager.Output()}");
    }

    private static string RuleSeverity(string rules, string alertName) =>
        RuleSeverityPattern(alertName).Match(rules) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no rule {alertName}");

    private static Regex RuleSeverityPattern(string alertName) =>
        new($"- alert: {Regex.Escape(alertName)}\\n(?:(?!- alert:)[\\s\\S])*?severity: (\\w+)");
}
