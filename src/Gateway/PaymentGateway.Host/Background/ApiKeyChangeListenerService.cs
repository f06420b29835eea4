using PaymentGateway.Core.Merchants;
using PaymentGateway.Storage.Postgres;

namespace PaymentGateway.Host.Background;

/// <summary>
/// On PostgreSQL, makes a key revoked or rolled on any node forgotten by this node's <see cref="ApiKeyCache"/> as soon as
/// the change commits (<see cref="PostgresKeyChangeListener"/>), instead of within <see cref="ApiKeyCache.Lifetime"/>;
/// after each (re)connect the whole cache is dropped, since changes made while it was not listening were not heard.
/// SQLite is one node: the node that changes a key forgets it itself (<see cref="ApiKeyCache.Forget"/>).
/// </summary>
public sealed class ApiKeyChangeListenerService(PostgresKeyChangeListener listener, ApiKeyCache cache) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        listener.RunAsync(cache.ForgetKey, cache.ForgetAll, stoppingToken);
}
