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
/// <c>PaymentGateway:Storage:ConnectionString</c> or <c>ConnectionStrings:Postgres</c>). The engine's
/// <see cref="GatewayStores"/> are instrumented (<see cref="StoreInstrumentation"/>: spans and durations) and each seam
/// is registered from them, with the engine's <see cref="IStoreMaintenance"/> for migrations and readiness.
/// </summary>
public static class StorageEngines
{
    public const string EngineKey = "PaymentGateway:Storage:Engine";
    public const string ConnectionStringKey = "PaymentGateway:Storage:ConnectionString";

    /// <summary>
    /// PostgreSQL: how many writer loops commit concurrent change sets in groups (one transaction and one commit per
    /// group, <c>PostgresGroupCommitter</c>); 0 commits each change set in its own transaction.
    /// </summary>
    public const string GroupCommitWritersKey = "PaymentGateway:Storage:GroupCommitWriters";

    public const int DefaultGroupCommitWriters = 2;

    public static IServiceCollection AddGatewayStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var engine = (configuration[EngineKey] ?? "sqlite").Trim().ToLowerInvariant();
        switch (engine)
        {
            case "" or "sqlite":
                services.AddSingleton(sp =>
                {
                    var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
                    var database = new SqliteDatabase(Path.Combine(gateway.DataDirectory, "gateway.db"));
                    GatewayTelemetry.ObserveSqliteWriter(() => (database.WriterStatistics.Commits, database.WriterStatistics.Units, database.Checkpoints));
                    return StoreInstrumentation.Instrument(SqliteStores.Create(database), "sqlite");
                });
                break;
            case "postgres" or "postgresql":
                var connectionString = configuration[ConnectionStringKey] is { Length: > 0 } configured ? configured : configuration.GetConnectionString("Postgres");
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        $"{EngineKey} is 'postgres' but no connection string is set: set {ConnectionStringKey} or ConnectionStrings:Postgres.");
                }

                var writers = configuration.GetValue(GroupCommitWritersKey, DefaultGroupCommitWriters);
                if (writers is < 0 or > 64)
                {
                    throw new InvalidOperationException($"{GroupCommitWritersKey} must be between 0 and 64, not {writers}.");
                }

                services.AddSingleton(_ =>
                {
                    var database = new PostgresDatabase(connectionString, writers);
                    if (writers > 0)
                    {
                        GatewayTelemetry.ObservePostgresGroupCommit(() => database.GroupCommitStatistics ?? default);
                    }

                    return StoreInstrumentation.Instrument(PostgresStores.Create(database), "postgresql");
                });
                // Every node hears the keys another node revokes or rolls, and forgets them at once.
                services.AddSingleton(sp => new PostgresKeyChangeListener(connectionString, sp.GetRequiredService<ILogger<PostgresKeyChangeListener>>()));
                services.AddHostedService<Background.ApiKeyChangeListenerService>();
                break;
            default:
                throw new InvalidOperationException($"{EngineKey} must be 'sqlite' or 'postgres', not '{configuration[EngineKey]}'.");
        }

        // Services depend on the seams they use; each is the engine's store for it, instrumented. The container
        // disposes the GatewayStores singleton, and with it the engine's database.
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Maintenance);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Payments);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Events);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Merchants);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Idempotency);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Leases);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Webhooks);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().BankTransfers);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().DirectDebits);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Mandates);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().ProviderBankTransfers);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Routing);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Checkout);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Disputes);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Customers);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Reports);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Exports);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Settlements);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Console);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().Audit);
        services.AddSingleton(sp => sp.GetRequiredService<GatewayStores>().VaultRecords);
        return services;
    }
}
