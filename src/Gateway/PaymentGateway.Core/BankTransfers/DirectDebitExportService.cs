using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// Exports the merchant's processing direct debits not yet in a collection file as one pain.008.001.02, marking them
/// with the batch id in the same (version-checked) commit, so a second export does not repeat them. The debtor IBAN is
/// decrypted only into the file: never logged, never in an event.
/// </summary>
public sealed class DirectDebitExportService(IPaymentStore paymentStore, IDirectDebitStore directDebitStore, IMandateStore mandateStore, CardVault vault, IOptions<GatewayOptions> options, TimeProvider time)
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

        var debits = await mandateStore.ListUnexportedDirectDebitsAsync(caller.MerchantId, caller.Livemode, MaxPerBatch, ct).ConfigureAwait(false);
        if (debits.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var batchId = Ids.New(Ids.DirectDebitBatch);
        var messageId = batchId.Replace('_', '-');
        // Banks collect on TARGET2 business days only: a requested date on a weekend or closing day moves to the next one.
        var collectionDate = Target2Calendar.OnOrAfter(DateOnly.FromDateTime((now + settings.CollectionLeadTime).UtcDateTime));
        var collectionDateText = collectionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var transactions = new List<DirectDebitTransaction>(debits.Count);
        var changes = new DirectDebitExportChanges();
        var mandates = new Dictionary<string, (Mandate Mandate, bool NeedsFirst)>(StringComparer.Ordinal);
        var firstInThisFile = new HashSet<string>(StringComparer.Ordinal);
        foreach (var payment in debits)
        {
            var details = payment.DirectDebit ?? throw new InvalidOperationException($"Payment {payment.Id} is not a direct debit.");
            if (!mandates.TryGetValue(details.MandateId, out var state))
            {
                var mandate = await mandateStore.GetMandateAsync(caller.MerchantId, caller.Livemode, details.MandateId, ct).ConfigureAwait(false)
                              ?? throw new InvalidOperationException($"Mandate {details.MandateId} of debit {payment.Id} is missing.");
                state = (mandate, await NeedsFirstCollectionAsync(caller, mandate, ct).ConfigureAwait(false));
                mandates[mandate.Id] = state;
            }

            string sequenceType;
            if (!state.NeedsFirst)
            {
                sequenceType = "RCUR";
            }
            else if (firstInThisFile.Add(state.Mandate.Id))
            {
                // The mandate's first collection: FRST, remembered on the mandate in the same commit.
                sequenceType = "FRST";
                state.Mandate.FirstCollectionPaymentId = payment.Id;
                changes.UpdatedMandates.Add(state.Mandate);
            }
            else
            {
                // A RCUR may only follow a FRST that was sent: later debits of the same new mandate wait for the next file.
                continue;
            }

            var method = await paymentStore.GetPaymentMethodAsync(caller.MerchantId, caller.Livemode, details.PaymentMethodId, ct).ConfigureAwait(false)
                         ?? throw new InvalidOperationException($"Payment method {details.PaymentMethodId} of debit {payment.Id} is missing.");
            transactions.Add(new DirectDebitTransaction
            {
                PaymentId = payment.Id,
                Amount = payment.Amount,
                MandateReference = details.MandateReference,
                MandateSignatureDate = DateOnly.ParseExact(details.MandateSignatureDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                SequenceType = sequenceType,
                CollectionDate = collectionDate,
                DebtorName = method.HolderName ?? "NOTPROVIDED",
                DebtorIban = vault.Decrypt(method.Id, method.EncryptedNumber ?? throw new InvalidOperationException($"Payment method {method.Id} has no account.")),
                DebtorBic = method.SepaDebit?.Bic,
                RemittanceInformation = payment.Description ?? payment.Id,
            });
            details.BatchId = batchId;
            details.SequenceType = sequenceType;
            details.CollectionDate = collectionDateText;
            payment.Updated = now;
            changes.UpdatedPayments.Add(payment);
        }

        using var file = new MemoryStream();
        Pain008Writer.Write(file, messageId, now, new DirectDebitCreditor
        {
            Name = account.AccountHolderName.Trim(),
            Iban = creditorIban,
            Bic = Bic.Normalize(account.Bic),
            CreditorId = creditorId,
        }, transactions);
        var bytes = file.ToArray();
        var batch = new DirectDebitBatch
        {
            Id = batchId,
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            MessageId = messageId,
            Count = transactions.Count,
            ControlSum = transactions.Sum(t => t.Amount),
            FirstCount = transactions.Count(t => t.SequenceType == "FRST"),
            CollectionDate = collectionDateText,
            Created = now,
            // The file carries debtor IBANs: stored only vault-encrypted, bound to the batch id.
            EncryptedFile = vault.Encrypt(DirectDebitBatch.VaultRecordId(batchId), Encoding.UTF8.GetString(bytes)),
        };
        changes.NewBatch = batch;

        try
        {
            await directDebitStore.CommitDirectDebitExportAsync(changes, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw GatewayException.StateConflict("A debit or mandate changed while it was being exported (returned or exported concurrently); export again.");
        }

        return new DirectDebitExport(batch, bytes);
    }

    /// <summary>
    /// Whether the mandate's next debit is a first collection (FRST): nothing was exported under it yet, or its first
    /// collection was returned before it settled (SEPA rulebook: the next one is FRST again).
    /// </summary>
    private async Task<bool> NeedsFirstCollectionAsync(CallerContext caller, Mandate mandate, CancellationToken ct)
    {
        if (mandate.FirstCollectionPaymentId is not { } first)
        {
            return true;
        }

        var payment = await paymentStore.GetPaymentAsync(caller.MerchantId, caller.Livemode, first, ct).ConfigureAwait(false);
        return payment is null || payment.Status == PaymentStatus.Failed;
    }

    public async Task<DirectDebitBatchResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await directDebitStore.GetDirectDebitBatchAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
         ?? throw GatewayException.NotFound("direct_debit_batch", id)).ToResource();

    public async Task<ListResource<DirectDebitBatchResource>> ListAsync(CallerContext caller, ListQuery query, CancellationToken ct)
    {
        var rows = await directDebitStore.ListDirectDebitBatchesAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, b => b.ToResource());
    }

    /// <summary>The stored pain.008 file, decrypted, exactly as it was first returned.</summary>
    public async Task<(DirectDebitBatch Batch, byte[] File)> GetFileAsync(CallerContext caller, string id, CancellationToken ct)
    {
        var batch = await directDebitStore.GetDirectDebitBatchWithFileAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
                    ?? throw GatewayException.NotFound("direct_debit_batch", id);
        var xml = vault.Decrypt(DirectDebitBatch.VaultRecordId(batch.Id), batch.EncryptedFile ?? throw new InvalidOperationException($"Batch {batch.Id} has no file."));
        return (batch, Encoding.UTF8.GetBytes(xml));
    }
}

/// <summary>An export: the stored batch and the file's bytes (UTF-8 XML).</summary>
public sealed record DirectDebitExport(DirectDebitBatch Batch, byte[] File);
