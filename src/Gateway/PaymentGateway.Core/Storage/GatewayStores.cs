namespace PaymentGateway.Core.Storage;

/// <summary>
/// One storage engine's stores, one per seam, over the engine's shared database object. Each engine builds one
/// (<c>SqliteStores.Create</c>, <c>PostgresStores.Create</c>); the host registers every seam from it and the storage
/// contract tests run against it. A new seam is a new interface here and a class per engine: the required members
/// make both engines supply it.
/// </summary>
public sealed record GatewayStores : IAsyncDisposable
{
    public required IPaymentStore Payments { get; init; }
    public required IEventStore Events { get; init; }
    public required IMerchantStore Merchants { get; init; }
    public required IIdempotencyStore Idempotency { get; init; }
    public required ILeaseStore Leases { get; init; }
    public required IWebhookStore Webhooks { get; init; }
    public required IBankTransferStore BankTransfers { get; init; }
    public required IDirectDebitStore DirectDebits { get; init; }
    public required IMandateStore Mandates { get; init; }
    public required IProviderBankTransferStore ProviderBankTransfers { get; init; }
    public required IRoutingStore Routing { get; init; }
    public required ICheckoutStore Checkout { get; init; }
    public required IDisputeStore Disputes { get; init; }
    public required ICustomerStore Customers { get; init; }
    public required IReportStore Reports { get; init; }
    public required IExportStore Exports { get; init; }
    public required ISettlementStore Settlements { get; init; }
    public required IConsoleStore Console { get; init; }
    public required IAuditStore Audit { get; init; }

    /// <summary>The rows that hold vault ciphertexts, for re-encryption and the start-up key check.</summary>
    public required IVaultRecordStore VaultRecords { get; init; }

    /// <summary>Migrations and the readiness check.</summary>
    public required IStoreMaintenance Maintenance { get; init; }

    /// <summary>The engine's shared database object (connections, the SQLite writer); disposed with these stores.</summary>
    public required IAsyncDisposable Database { get; init; }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
