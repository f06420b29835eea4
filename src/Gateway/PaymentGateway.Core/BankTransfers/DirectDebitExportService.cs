using Microsoft.Extensions.Options;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// Exports the merchant's processing direct debits not yet in a collection file as one pain.008.001.02, marking them
/// with the batch id in the same (version-checked) commit, so a second export does not repeat them. The debtor IBAN is
/// decrypted only into the file: never logged, never in an event.
/// </summary>
public sealed class DirectDebitExportService(IGatewayStore store, CardVault vault, IOptions<GatewayOptions> options, TimeProvider time)
{
    public const int MaxPerBatch = 1000;

    /// <summary>The file, or null when nothing is waiting to be exported.</summary>
    public async Task<DirectDebitExport?> ExportAsync(CallerContext caller, CancellationToken ct)
    {
        var settings = options.Value.BankTransfers;
        var account = settings.For(caller.MerchantId);
        var creditorIban = Iban.Normalize(account?.Iban);
        var creditorId = CreditorIdentifier.Normalize(settings.CreditorId);
        if (account is null || creditorIban is null || !Iban.IsValid(creditorIban) || string.IsNullOrWhiteSpace(account.AccountHolderName)
            || creditorId is null || !CreditorIdentifier.IsValid(creditorId))
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.DirectDebitNotConfigured,
                "Direct debits need a collection account and a creditor identifier in PaymentGateway:BankTransfers; see docs/bank-transfers.md.");
        }

        var debits = await store.ListUnexportedDirectDebitsAsync(caller.MerchantId, caller.Livemode, MaxPerBatch, ct).ConfigureAwait(false);
        if (debits.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var batchId = Ids.New(Ids.DirectDebitBatch);
        var collectionDate = DateOnly.FromDateTime((now + settings.CollectionLeadTime).UtcDateTime);
        var transactions = new List<DirectDebitTransaction>(debits.Count);
        var changes = new BankTransferChanges();
        foreach (var payment in debits)
        {
            var details = payment.DirectDebit!;
            var method = await store.GetPaymentMethodAsync(caller.MerchantId, caller.Livemode, details.PaymentMethodId, ct).ConfigureAwait(false)
                         ?? throw new InvalidOperationException($"Payment method {details.PaymentMethodId} of debit {payment.Id} is missing.");
            transactions.Add(new DirectDebitTransaction
            {
                PaymentId = payment.Id,
                Amount = payment.Amount,
                MandateReference = details.MandateReference,
                MandateSignatureDate = DateOnly.ParseExact(details.MandateSignatureDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                SequenceType = "FRST",
                CollectionDate = collectionDate,
                DebtorName = method.HolderName ?? "NOTPROVIDED",
                DebtorIban = vault.Decrypt(method.Id, method.EncryptedNumber ?? throw new InvalidOperationException($"Payment method {method.Id} has no account.")),
                DebtorBic = method.SepaDebit?.Bic,
                RemittanceInformation = payment.Description ?? payment.Id,
            });
            details.BatchId = batchId;
            payment.Updated = now;
            changes.UpdatedPayments.Add(payment);
        }

        try
        {
            await store.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw GatewayException.StateConflict("A debit changed while it was being exported (returned or exported concurrently); export again.");
        }

        var file = new MemoryStream();
        Pain008Writer.Write(file, batchId.Replace('_', '-'), now, new DirectDebitCreditor
        {
            Name = account.AccountHolderName.Trim(),
            Iban = creditorIban,
            Bic = Bic.Normalize(account.Bic),
            CreditorId = creditorId,
        }, transactions);
        file.Position = 0;
        return new DirectDebitExport(batchId, transactions.Count, transactions.Sum(t => t.Amount), file);
    }
}

public sealed record DirectDebitExport(string BatchId, int Count, long AmountTotal, MemoryStream File);
