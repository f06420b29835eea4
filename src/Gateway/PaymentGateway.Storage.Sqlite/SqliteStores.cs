using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>The SQLite engine's stores, one per seam, over one <see cref="SqliteDatabase"/>.</summary>
public static class SqliteStores
{
    /// <summary>Every store on <paramref name="database"/>; disposing the result disposes the database.</summary>
    public static GatewayStores Create(SqliteDatabase database) => new()
    {
        Payments = new SqlitePaymentStore(database),
        Events = new SqliteEventStore(database),
        Merchants = new SqliteMerchantStore(database),
        Idempotency = new SqliteIdempotencyStore(database),
        Leases = new SqliteLeaseStore(database),
        Webhooks = new SqliteWebhookStore(database),
        BankTransfers = new SqliteBankTransferStore(database),
        DirectDebits = new SqliteDirectDebitStore(database),
        Mandates = new SqliteMandateStore(database),
        ProviderBankTransfers = new SqliteProviderBankTransferStore(database),
        Routing = new SqliteRoutingStore(database),
        Checkout = new SqliteCheckoutStore(database),
        Disputes = new SqliteDisputeStore(database),
        Customers = new SqliteCustomerStore(database),
        Reports = new SqliteReportStore(database),
        Exports = new SqliteExportStore(database),
        Settlements = new SqliteSettlementStore(database),
        Console = new SqliteConsoleStore(database),
        Audit = new SqliteAuditStore(database),
        VaultRecords = new SqliteVaultRecordStore(database),
        Maintenance = new SqliteStoreMaintenance(database),
        Database = database,
    };

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/> and returns its stores.</summary>
    public static GatewayStores Open(string databasePath, TimeSpan? busyTimeout = null) => Create(new SqliteDatabase(databasePath, busyTimeout));
}
