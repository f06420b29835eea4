using Npgsql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// The engine primitive other stores of this assembly build on (the console and audit stores): the pooled data
/// source. When the engine is split into per-seam classes over a shared engine object, these stores take that instead.
/// </summary>
public sealed partial class PostgresGatewayStore
{
    internal NpgsqlDataSource DataSource => _dataSource;
}
