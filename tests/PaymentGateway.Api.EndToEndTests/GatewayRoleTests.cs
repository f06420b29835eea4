using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Host.Background;
using PaymentGateway.Host.Webhooks;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Node roles (<c>--role api | worker | all</c>): two API nodes and one worker on one PostgreSQL database, created on
/// the server named by <c>PAYMENTGATEWAY_TEST_POSTGRES</c> for each test and dropped afterwards (skipped without it).
/// The API nodes run no background job, the worker serves no API, and together they still deliver a payment's webhook.
/// </summary>
public sealed class GatewayRoleTests : IAsyncLifetime
{
    private string? _database;
    private readonly List<GatewayServer> _nodes = [];
    private readonly string _adminKey = "admin_test_" + Guid.NewGuid().ToString("N");

    public async Task InitializeAsync()
    {
        var server = MultiNodePostgres.ConnectionString ?? throw new InvalidOperationException(MultiNodePostgres.SkipReason);
        _database = await MultiNodePostgres.CreateDatabaseAsync("pg_roles_");
        var shared = new Dictionary<string, string?>
        {
            ["PaymentGateway:Storage:Engine"] = "postgres",
            ["PaymentGateway:Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString,
            ["PaymentGateway:AdminKey"] = _adminKey,
            ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        foreach (var role in new[] { "api", "api", "worker" })
        {
            _nodes.Add(await GatewayServer.StartAsync(new Dictionary<string, string?>(shared) { ["PaymentGateway:Role"] = role }));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (_database is not null && MultiNodePostgres.ConnectionString is not null)
        {
            await MultiNodePostgres.DropDatabaseAsync(_database);
        }
    }

    [MultiNodePostgresFact]
    public async Task TwoApiNodesAndOneWorker_ReportTheirRoles_SplitTheWork_AndDeliverAPaymentsWebhook()
    {
        var (api1, api2, worker) = (_nodes[0], _nodes[1], _nodes[2]);
        foreach (var (node, role) in new[] { (api1, "api"), (api2, "api"), (worker, "worker") })
        {
            foreach (var path in new[] { "/health/live", "/health/ready" })
            {
                var health = await node.Client(null).GetAsync(path);
                Assert.Equal(200, health.Status);
                Assert.Equal(role, health.Header("PaymentGateway-Role"));
            }
        }

        // The worker runs every job; an API node none.
        Type[] jobs = [typeof(ReconcilerService), typeof(WebhookDispatcherService), typeof(BankTransferExpiryService), typeof(DirectDebitSettlementService)];
        var workerServices = worker.Services.GetServices<IHostedService>().ToList();
        Assert.All(jobs, job => Assert.Contains(workerServices, job.IsInstanceOfType));
        Assert.All(new[] { api1, api2 }, node => Assert.DoesNotContain(node.Services.GetServices<IHostedService>(), s => jobs.Any(j => j.IsInstanceOfType(s))));

        // The worker serves no API.
        Problem.Assert(await worker.Client(_adminKey).PostAsync("/v1/merchants", new { name = "not here" }), 404, "route_not_found");

        // A merchant made on one API node pays on the other; the worker delivers the webhook.
        var merchant = (await api1.Client(_adminKey).PostAsync("/v1/merchants", new { name = "Roles merchant" })).EnsureStatus(200);
        var id = merchant.Str("id") ?? throw new InvalidOperationException("no id");
        async Task<string> KeyAsync(string type) =>
            (await api1.Client(_adminKey).PostAsync($"/v1/merchants/{id}/api_keys", new { type, livemode = false })).EnsureStatus(200).Str("secret")
            ?? throw new InvalidOperationException("no secret");
        var keys = new TestMerchant(id, await KeyAsync("secret"), await KeyAsync("publishable"), null, null);
        await using var receiver = await WebhookReceiver.StartAsync();
        (await api2.Client(keys.SecretKey).PostAsync("/v1/webhook_endpoints", new { url = receiver.Url, enabled_events = new[] { "payment.succeeded" } })).EnsureStatus(200);
        var payment = (await Flows.PayAsync(api2, keys)).EnsureStatus(200);

        var delivered = await receiver.WaitForAsync(r => r.Any(w => w.Type == "payment.succeeded"), TimeSpan.FromSeconds(30), "payment.succeeded from the worker");
        Assert.Contains(delivered, w => w.Body.Contains(payment.Str("id") ?? "?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiRole_OnSqlite_RefusesToStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Role"] = "api" }));
        Assert.Contains("--role all", error.ToString(), StringComparison.Ordinal);
    }
}
