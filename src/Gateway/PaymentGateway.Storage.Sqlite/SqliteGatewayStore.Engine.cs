namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// The engine primitives other stores of this assembly build on (the console and audit stores): the single writer and
/// the connection string for reads. When the engine is split into per-seam classes over a shared engine object, these
/// stores take that object instead.
/// </summary>
public sealed partial class SqliteGatewayStore
{
    internal SqliteWriter Writer => _writer;

    internal string ConnectionString => _connectionString;
}
