using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Diagnostics;

public sealed partial class InstrumentedGatewayStore
{
    public Task CommitBankTransfersAsync(BankTransferChanges changes, CancellationToken cancellationToken) =>
        Run("CommitBankTransfers", () => inner.CommitBankTransfersAsync(changes, cancellationToken));

    public Task<string?> FindPaymentIdByBankReferenceAsync(string merchantId, bool livemode, string reference, CancellationToken cancellationToken) =>
        Run("FindPaymentIdByBankReference", () => inner.FindPaymentIdByBankReferenceAsync(merchantId, livemode, reference, cancellationToken));

    public Task<BankStatement?> GetBankStatementAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetBankStatement", () => inner.GetBankStatementAsync(merchantId, livemode, id, cancellationToken));

    public Task<BankStatement?> FindBankStatementByKeyAsync(string merchantId, bool livemode, string statementKey, CancellationToken cancellationToken) =>
        Run("FindBankStatementByKey", () => inner.FindBankStatementByKeyAsync(merchantId, livemode, statementKey, cancellationToken));

    public Task<IReadOnlyList<BankStatement>> ListBankStatementsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        Run("ListBankStatements", () => inner.ListBankStatementsAsync(merchantId, livemode, query, cancellationToken));

    public Task<BankStatementEntry?> GetBankStatementEntryAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetBankStatementEntry", () => inner.GetBankStatementEntryAsync(merchantId, livemode, id, cancellationToken));

    public Task<IReadOnlyList<BankStatementEntry>> ListBankStatementEntriesAsync(string merchantId, bool livemode, BankStatementEntryListQuery query, CancellationToken cancellationToken) =>
        Run("ListBankStatementEntries", () => inner.ListBankStatementEntriesAsync(merchantId, livemode, query, cancellationToken));

    public Task<IReadOnlySet<string>> FindExistingBankEntryKeysAsync(string merchantId, bool livemode, IReadOnlyCollection<string> entryKeys, CancellationToken cancellationToken) =>
        Run("FindExistingBankEntryKeys", () => inner.FindExistingBankEntryKeysAsync(merchantId, livemode, entryKeys, cancellationToken));

    public Task<IReadOnlyList<Payment>> ListExpiredBankTransfersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Run("ListExpiredBankTransfers", () => inner.ListExpiredBankTransfersAsync(now, limit, cancellationToken));
}
