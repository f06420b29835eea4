using System.Text.Json;
using System.Text.RegularExpressions;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// The files under <c>deploy/</c> against the running gateway: every metric the Grafana dashboard and the Prometheus
/// alert rules query is one that <c>/metrics</c> actually exposes after a scripted run, the dashboard is well formed,
/// and the compose file names the services the README promises. (Docker is not run here; see deploy/validate.sh.)
/// </summary>
[Collection(DeployAssetsCollection.Name)]
public sealed partial class DeployAssetsTests
{
    /// <summary>Series Prometheus adds itself rather than scraping them.</summary>
    private static readonly HashSet<string> PrometheusSynthetic = ["up", "scrape_duration_seconds", "scrape_samples_scraped"];

    private static readonly HashSet<string> PromQlWords =
    [
        "sum", "min", "max", "avg", "count", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
        "bool", "offset", "topk", "bottomk", "quantile", "stddev", "rate", "irate", "increase", "histogram_quantile", "clamp_min",
        "clamp_max", "abs", "le", "inf", "nan", "time", "vector", "scalar", "absent", "label_values", "humanizePercentage",
    ];

    [Fact]
    public async Task DashboardAndAlertRules_QueryOnlyMetricsTheGatewayExposes()
    {
        await using var server = await GatewayServer.StartAsync();
        var scrape = await ScrapeAfterScriptedRunAsync(server);
        var exposed = ExposedMetricNames(scrape);

        var dashboardExprs = DashboardExpressions(ReadDeployFile("grafana/paymentgateway-dashboard.json"));
        var alertExprs = AlertExpressions(ReadDeployFile("prometheus/alerts.yml"));
        Assert.NotEmpty(dashboardExprs);
        Assert.NotEmpty(alertExprs);

        var missing = dashboardExprs.Concat(alertExprs)
            .SelectMany(expr => MetricNames(expr).Select(name => (name, expr)))
            .Where(m => !exposed.Contains(m.name) && !PrometheusSynthetic.Contains(m.name))
            .Select(m => $"{m.name} (in: {m.expr})")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "Queried but not exposed by /metrics:\n" + string.Join("\n", missing));

        // The issue's metric list, by exposed name.
        foreach (var name in new[]
                 {
                     "http_server_request_duration_seconds_bucket", "paymentgateway_payments_transitions_total",
                     "paymentgateway_provider_call_duration_seconds_bucket", "paymentgateway_idempotency_replays_total",
                     "paymentgateway_vault_operations_total", "paymentgateway_webhooks_deliveries_total", "paymentgateway_webhooks_backlog",
                     "paymentgateway_webhooks_lag_seconds", "paymentgateway_reconciler_backlog", "paymentgateway_reconciler_payments_total",
                     "paymentgateway_storage_operation_duration_seconds_bucket", "paymentgateway_provider_circuit_breaker_state",
                 })
        {
            Assert.Contains(name, exposed);
        }

        Assert.Matches("paymentgateway_webhooks_deliveries_total\\{[^}]*outcome=\"retrying\"[^}]*status_class=\"none\"", scrape);
        Assert.Matches("paymentgateway_storage_operation_duration_seconds_bucket\\{[^}]*operation=\"Commit\"[^}]*outcome=\"ok\"", scrape);
        // Seconds-scale buckets, not the SDK's millisecond defaults.
        Assert.Matches("paymentgateway_provider_call_duration_seconds_bucket\\{[^}]*le=\"0\\.025\"", scrape);
    }

    [Fact]
    public void Dashboard_ParsesWithUniquePanelIdsAndATargetOnEveryPanel()
    {
        using var json = JsonDocument.Parse(ReadDeployFile("grafana/paymentgateway-dashboard.json"));
        var root = json.RootElement;
        Assert.Equal("paymentgateway", root.GetProperty("uid").GetString());
        var panels = AllPanels(root).ToList();
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            var title = panel.GetProperty("title").GetString();
            Assert.False(string.IsNullOrWhiteSpace(title));
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has no query");
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString())));
            var grid = panel.GetProperty("gridPos");
            Assert.InRange(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32(), 1, 24);
        }
    }

    [Fact]
    public void AlertRules_CoverTheIssuesAlerts()
    {
        var rules = ReadDeployFile("prometheus/alerts.yml");
        Assert.DoesNotContain('\t', rules);
        var names = AlertNamePattern().Matches(rules).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var required in new[]
                 {
                     "PaymentGatewayProviderErrorRate", "PaymentGatewayWebhookBacklog", "PaymentGatewayStuckProcessingPayments",
                     "PaymentGatewayHighLatencyP99",
                 })
        {
            Assert.Contains(required, names);
        }

        Assert.Equal(names.Count, AlertExpressions(rules).Count);
    }

    [Fact]
    public void Compose_NamesTheServicesAndMountsFilesThatExist()
    {
        // Not `docker compose config` (no Docker here): a structural read of the top-level keys and the services block.
        var compose = ReadDeployFile("compose.yaml");
        Assert.DoesNotContain('\t', compose);
        var lines = compose.Split('\n');
        var topLevel = lines.Where(l => Regex.IsMatch(l, "^[A-Za-z][\\w.-]*:")).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).ToList();
        Assert.Contains("services", topLevel);
        var services = lines.SkipWhile(l => !l.StartsWith("services:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.Length == 0 || l.StartsWith(' ') || l.StartsWith('#'))
            .Where(l => Regex.IsMatch(l, "^  [A-Za-z][\\w.-]*:\\s*$"))
            .Select(l => l.Trim().TrimEnd(':'))
            .ToList();
        foreach (var service in new[] { "caddy", "gateway-1", "gateway-2", "postgres", "prometheus", "alertmanager", "grafana", "otel-collector" })
        {
            Assert.Contains(service, services);
        }

        Assert.Contains("PaymentGateway__Storage__Engine: postgres", compose, StringComparison.Ordinal);

        // The nodes' password comes from a PostgreSQL password file (a compose secret), as Npgsql reads the string.
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionStringPattern().Match(compose).Groups[1].Value.Trim());
        Assert.Equal("postgres", connection.Host);
        Assert.Null(connection.Password);
        Assert.Equal("/run/secrets/pgpass", connection.Passfile);
        foreach (Match mount in MountPattern().Matches(compose))
        {
            var path = mount.Groups[1].Value;
            Assert.True(File.Exists(DeployPath(path)) || Directory.Exists(DeployPath(path)), $"compose mounts ./{path}, which is missing");
        }

        Assert.True(File.Exists(DeployPath("Dockerfile")));
        Assert.True(File.Exists(DeployPath("gateway.env.example")));
        Assert.Contains("[Service]", ReadDeployFile("paymentgateway.service"), StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAfterScriptedRunAsync(GatewayServer server)
    {
        var merchant = await server.CreateMerchantAsync();
        var api = server.Client(merchant.SecretKey);

        // A webhook endpoint nobody listens on: deliveries are attempted and scheduled for retry.
        (await api.PostAsync("/v1/webhook_endpoints", new { url = $"http://127.0.0.1:{ClosedPort()}/hooks", enabled_events = new[] { "*" } }))
            .EnsureStatus(200);

        (await Flows.PayAsync(server, merchant)).EnsureStatus(200);
        (await Flows.PayAsync(server, merchant, number: "4000000000000002")).EnsureStatus(402);
        var pm = await Flows.TokenizeAsync(server, merchant);
        var key = "deploy-assets-" + Guid.NewGuid().ToString("N");
        var body = new { amount = 700, currency = "USD", payment_method = pm, confirm = true };
        (await api.PostAsync("/v1/payments", body, key)).EnsureStatus(200);
        (await api.PostAsync("/v1/payments", body, key)).EnsureStatus(200); // replay

        // A routed payment (test-mode simulator provider account + rule) gives the account's circuit breaker a state.
        var routed = await server.CreateMerchantAsync("Routed");
        var admin = server.Client(server.AdminKey);
        var account = (await admin.PostAsync($"/v1/merchants/{routed.Id}/provider_accounts", new { provider = "simulator", livemode = false })).EnsureStatus(200);
        (await admin.PostAsync($"/v1/merchants/{routed.Id}/routing_rules", new { livemode = false, priority = 1, targets = new[] { new { provider_account = account.Str("id") } } }))
            .EnsureStatus(200);
        (await Flows.PayAsync(server, routed)).EnsureStatus(200);

        // Unknown outcome: processing until the reconciler resolves it.
        var processing = (await Flows.PayAsync(server, merchant, number: "4000000000000259")).EnsureStatus(200);
        await Steps.PollPaymentAsync(api, processing.Str("id") ?? "", p => p.Str("status") != "processing", TimeSpan.FromSeconds(15));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        string scrape;
        do
        {
            scrape = (await server.Client(null).GetAsync("/metrics")).EnsureStatus(200).Body;
            if (scrape.Contains("paymentgateway_webhooks_deliveries_total{", StringComparison.Ordinal)
                && scrape.Contains("paymentgateway_reconciler_payments_total{", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        // Kept for deploy/validate.sh, which checks the same files against a saved scrape.
        Directory.CreateDirectory(GatewayServer.TestRoot);
        await File.WriteAllTextAsync(Path.Combine(GatewayServer.TestRoot, "metrics-sample.txt"), scrape);
        return scrape;
    }

    internal static HashSet<string> ExposedMetricNames(string scrape) =>
        scrape.Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Metric names in a PromQL expression: identifiers outside strings, label matchers, ranges and grouping clauses that are not functions or keywords.</summary>
    internal static IEnumerable<string> MetricNames(string expr)
    {
        var stripped = Regex.Replace(expr, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        stripped = Regex.Replace(stripped, "\\{[^}]*\\}", " ");
        stripped = Regex.Replace(stripped, "\\[[^\\]]*\\]", " ");
        stripped = Regex.Replace(stripped, "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        stripped = Regex.Replace(stripped, "\\$\\w+", " ");
        return MetricNamePattern().Matches(stripped)
            .Where(m => !PromQlWords.Contains(m.Value) && !IsFunctionCall(stripped, m.Index + m.Length))
            .Select(m => m.Value)
            .Distinct();
    }

    private static bool IsFunctionCall(string text, int end)
    {
        while (end < text.Length && char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return end < text.Length && text[end] == '(';
    }

    internal static List<string> DashboardExpressions(string dashboardJson)
    {
        using var json = JsonDocument.Parse(dashboardJson);
        return AllPanels(json.RootElement)
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString() ?? "")
            .ToList();
    }

    private static IEnumerable<JsonElement> AllPanels(JsonElement root)
    {
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            yield return panel.Clone();
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner.Clone();
                }
            }
        }
    }

    /// <summary><c>expr:</c> values of a rules file: inline, or a block scalar (<c>|</c>, <c>&gt;</c>) of the more-indented lines below.</summary>
    internal static List<string> AlertExpressions(string rulesYaml)
    {
        var lines = rulesYaml.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var result = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = ExprLinePattern().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var value = match.Groups[2].Value.Trim();
            if (value.StartsWith('|') || value.StartsWith('>'))
            {
                var indent = match.Groups[1].Value.Length;
                var block = new List<string>();
                while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
                {
                    block.Add(lines[++i].Trim());
                }

                value = string.Join(" ", block).Trim();
            }

            result.Add(value);
        }

        return result;
    }

    private static string ReadDeployFile(string relative) => RepositoryFiles.ReadDeployFile(relative);

    private static string DeployPath(string relative) => RepositoryFiles.DeployPath(relative);

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("(?<![\\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricNamePattern();

    [GeneratedRegex("^(\\s*)(?:-\\s+)?expr:(.*)$")]
    private static partial Regex ExprLinePattern();

    [GeneratedRegex("^\\s*-\\s+alert:\\s*(\\S+)", RegexOptions.Multiline)]
    private static partial Regex AlertNamePattern();

    [GeneratedRegex("^\\s*-\\s+\\./([^:\\s]+):", RegexOptions.Multiline)]
    private static partial Regex MountPattern();

    [GeneratedRegex("PaymentGateway__Storage__ConnectionString: (.+)")]
    private static partial Regex ConnectionStringPattern();
}

/// <summary>
/// Runs alone, after the parallel collections: ASP.NET Core's meters share their names across every host in the test
/// process, and a host started or stopped meanwhile can take the HTTP server series out of another host's scrape.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeployAssetsCollection
{
    public const string Name = "deploy-assets";
}
