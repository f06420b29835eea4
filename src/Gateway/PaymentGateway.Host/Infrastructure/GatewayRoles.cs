using PaymentGateway.Host.Background;
using PaymentGateway.Host.Webhooks;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>What a node does (<c>--role</c>, or <c>PaymentGateway:Role</c>).</summary>
public enum GatewayRole
{
    /// <summary>Everything: the default, and the only role for the embedded SQLite engine.</summary>
    All,

    /// <summary>Serves REST, gRPC, hosted checkout and the console; runs no background job.</summary>
    Api,

    /// <summary>Runs the background jobs (webhook delivery, reconciliation, expiry, settlement); serves only health and metrics.</summary>
    Worker,
}

/// <summary>The role of this node, as a service.</summary>
public sealed record NodeRole(GatewayRole Role)
{
    /// <summary>The role's name as configured and reported: <c>all</c>, <c>api</c> or <c>worker</c>.</summary>
    public string Name => Role switch
    {
        GatewayRole.Api => "api",
        GatewayRole.Worker => "worker",
        _ => "all",
    };

    /// <summary>Whether this node serves the API (REST, gRPC, checkout, console).</summary>
    public bool ServesApi => Role != GatewayRole.Worker;
}

/// <summary>
/// Node roles. Any number of API and worker nodes share one PostgreSQL database: the jobs take leases in the database,
/// so they are safe on every worker, and API nodes keep nothing in process memory. On SQLite a node is the only
/// process on its database file, so the only role there is <c>all</c>.
/// </summary>
public static class GatewayRoles
{
    /// <summary>The configuration key of the role (also <c>--role</c> on the command line).</summary>
    public const string ConfigurationKey = "PaymentGateway:Role";

    /// <summary>The response header through which the health endpoints report the node's role.</summary>
    public const string HeaderName = "PaymentGateway-Role";

    /// <summary>The background jobs (with every <see cref="LeasedPeriodicJob"/>): a worker's work, never an API node's.</summary>
    private static readonly Type[] WorkerJobs =
    [
        typeof(ReconcilerService), typeof(WebhookDispatcherService), typeof(BankTransferExpiryService), typeof(DirectDebitSettlementService),
        typeof(ExportWorkerService),
    ];

    /// <summary>Reads the role from <c>PaymentGateway:Role</c> or <c>--role</c>; an unknown name, or a split role on SQLite, stops the start.</summary>
    public static NodeRole Read(IConfiguration configuration)
    {
        var value = configuration[ConfigurationKey] is { Length: > 0 } configured ? configured : configuration["role"];
        var role = value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "all" => GatewayRole.All,
            "api" => GatewayRole.Api,
            "worker" => GatewayRole.Worker,
            _ => throw new InvalidOperationException($"Unknown role '{value}': --role is api, worker or all."),
        };
        var engine = configuration["PaymentGateway:Storage:Engine"];
        if (role != GatewayRole.All && !string.Equals(engine, "postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"--role {value} needs PaymentGateway:Storage:Engine=postgres: an SQLite database has one gateway process, which runs everything (--role all).");
        }

        return new NodeRole(role);
    }

    /// <summary>
    /// Registers <paramref name="role"/> and, on an API node, keeps the background jobs from starting: every hosted
    /// service is wrapped, and a worker job in it is replaced by one that does nothing. Call it after every registration.
    /// </summary>
    public static void ApplyRole(IServiceCollection services, NodeRole role)
    {
        services.AddSingleton(role);
        if (role.Role != GatewayRole.Api)
        {
            return;
        }

        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(IHostedService) && !descriptor.IsKeyedService)
            {
                services[i] = ServiceDescriptor.Singleton<IHostedService>(sp => Create(sp, descriptor) is var service && IsWorkerJob(service) ? new NoJob() : service);
            }
        }
    }

    private static bool IsWorkerJob(IHostedService service) => service is LeasedPeriodicJob || Array.Exists(WorkerJobs, t => t.IsInstanceOfType(service));

    private static IHostedService Create(IServiceProvider services, ServiceDescriptor descriptor) => descriptor switch
    {
        { ImplementationInstance: IHostedService instance } => instance,
        { ImplementationFactory: { } factory } => (IHostedService)factory(services),
        { ImplementationType: { } type } => (IHostedService)ActivatorUtilities.CreateInstance(services, type),
        _ => throw new InvalidOperationException("A hosted service registration without an implementation."),
    };

    /// <summary>A worker job's place on an API node.</summary>
    private sealed class NoJob : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
