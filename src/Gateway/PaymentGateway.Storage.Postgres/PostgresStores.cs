using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Postgres;

/// <summary>The PostgreSQL engine's stores, one per seam, over one <see cref="PostgresDatabase"/>.</summary>
public static class PostgresStores
{
    /// <summary>Every store on <paramref name="database"/>; disposing the result disposes the database.</summary>
    public static GatewayStores Create(PostgresDatabase database) => new()
    {
        Payments = new PostgresPaymentStore(database),
        Events = new PostgresEventStore(database),
        Merchants = new PostgresMerchantStore(database),
        Idempotency = new PostgresIdempotencyStore(database),
        Leases = new PostgresLeaseStore(database),
        Webhooks = new PostgresWebhookStore(database),
        BankTransfers = new PostgresBankTransferStore(database),
        DirectDebits = new PostgresDirectDebitStore(database),
        Mandates = new PostgresMandateStore(database),
        ProviderBankTransfers = new PostgresProviderBankTransferStore(database),
        Routing = new PostgresRoutingStore(database),
        Checkout = new PostgresCheckoutStore(database),
        Disputes = new PostgresDisputeStore(database),
        Customers = new PostgresCustomerStore(database),
        Reports = new PostgresReportStore(database),
        Exports = new PostgresExportStore(database),
        Settlements = new PostgresSettlementStore(database),
        Console = new PostgresConsoleStore(database.DataSource),
        Audit = new PostgresAuditStore(database.DataSource),
        VaultRecords = new PostgresVaultRecordStore(database),
        Maintenance = new PostgresStoreMaintenance(database),
        Database = database,
    };

    /// <summary>A pooled data source on <paramref name="connectionString"/> and its stores.</summary>
    public static GatewayStores Open(string connectionString) => Create(new PostgresDatabase(connectionString));

    /// <summary>
    /// A pooled data source on <paramref name="connectionString"/> and its stores, change sets committed in groups by
    /// <paramref name="groupCommitWriters"/> writer loops (0: each in its own transaction).
    /// </summary>
    public static GatewayStores Open(string connectionString, int groupCommitWriters) => Create(new PostgresDatabase(connectionString, groupCommitWriters));
}
