using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Storage;
using PaymentGateway.Storage.Postgres;
using PaymentGateway.Storage.Sqlite;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Chooses the storage engine from configuration: <c>PaymentGateway:Storage:Engine</c> = <c>sqlite</c> (default, a file
/// under the data directory) or <c>postgres</c> (for several nodes; connection string from
/// <c>PaymentGateway:Storage:ConnectionString</c> or <c>ConnectionStrings:Postgres</c>). Registers the engine as
/// <see cref="IGatewayStore"/> (wrapped in <see cref="InstrumentedGatewayStore"/> for spans and durations) and its <see cref="IStoreMaintenance"/> for migrations and readiness.
/// </summary>
public static class StorageEngines
{
    public const string EngineKey = "PaymentGateway:Storage:Engine";
    public const string ConnectionStringKey = "PaymentGateway:Storage:ConnectionString";

    public static IServiceCollection AddGatewayStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var engine = (configuration[EngineKey] ?? "sqlite").Trim().ToLowerInvariant();
        switch (engine)
        {
            case "" or "sqlite":
                services.AddSingleton(sp =>
                {
                    var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
                    var store = new SqliteGatewayStore(Path.Combine(gateway.DataDirectory, "gateway.db"));
                    GatewayTelemetry.ObserveSqliteWriter(() => (store.WriterStatistics.Commits, store.WriterStatistics.Units, store.Checkpoints));
                    return store;
                });
                services.AddSingleton<IGatewayStore>(sp => new InstrumentedGatewayStore(sp.GetRequiredService<SqliteGatewayStore>(), "sqlite"));
                services.AddSingleton<IStoreMaintenance>(sp => new SqliteStoreMaintenance(sp.GetRequiredService<SqliteGatewayStore>()));
                services.AddSingleton<IConsoleStore>(sp => new SqliteConsoleStore(sp.GetRequiredService<SqliteGatewayStore>()));
                services.AddSingleton<IAuditStore>(sp => new SqliteAuditStore(sp.GetRequiredService<SqliteGatewayStore>()));
                break;
            case "postgres" or "postgresql":
                var connectionString = configuration[ConnectionStringKey] is { Length: > 0 } configured ? configured : configuration.GetConnectionString("Postgres");
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        $"{EngineKey} is 'postgres' but no connection string is set: set {ConnectionStringKey} or ConnectionStrings:Postgres.");
                }

                services.AddSingleton(_ => new PostgresGatewayStore(connectionString));
                services.AddSingleton<IGatewayStore>(sp => new InstrumentedGatewayStore(sp.GetRequiredService<PostgresGatewayStore>(), "postgresql"));
                services.AddSingleton<IStoreMaintenance>(sp => sp.GetRequiredService<PostgresGatewayStore>());
                services.AddSingleton<IConsoleStore>(sp => new PostgresConsoleStore(sp.GetRequiredService<PostgresGatewayStore>()));
                services.AddSingleton<IAuditStore>(sp => new PostgresAuditStore(sp.GetRequiredService<PostgresGatewayStore>()));
                break;
            default:
                throw new InvalidOperationException($"{EngineKey} must be 'sqlite' or 'postgres', not '{configuration[EngineKey]}'.");
        }

        // Services depend on the seams they use; each resolves to the one instrumented engine.
        services.AddSingleton<IPaymentStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IMerchantStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IIdempotencyStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<ILeaseStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IWebhookStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IBankTransferStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IDirectDebitStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IMandateStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IProviderBankTransferStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<IRoutingStore>(sp => sp.GetRequiredService<IGatewayStore>());
        services.AddSingleton<ICheckoutStore>(sp => sp.GetRequiredService<IGatewayStore>());
        return services;
    }
}

/// <summary>Migrations and readiness for the SQLite engine; readiness also requires the database file to exist.</summary>
internal sealed class SqliteStoreMaintenance(SqliteGatewayStore store) : IStoreMaintenance
{
    public string Engine => "sqlite";

    public int LatestSchemaVersion => SqliteGatewayStore.LatestSchemaVersion;

    public Task MigrateAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) => store.GetSchemaVersionAsync(cancellationToken);

    public Task<string?> FindProblemAsync(CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(store.DatabasePath) ? null : $"database file {store.DatabasePath} is missing");
}
