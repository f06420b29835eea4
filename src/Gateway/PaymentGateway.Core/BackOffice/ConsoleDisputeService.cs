using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>A dispute as the console's dispute page shows it, with its payment.</summary>
public sealed record ConsoleDisputeView(Dispute Dispute, Payment Payment);

/// <summary>
/// The console's disputes: the queue (a merchant's disputes by evidence deadline, soonest first), one dispute, and the
/// answers — evidence fields, evidence files, submit, accept — through the same services as the API
/// (<see cref="DisputeEvidenceService"/>, <see cref="DisputeResponses"/>). Every role that reads payments reads
/// disputes; answering needs <see cref="ConsolePermission.RespondToDisputes"/> (owners and support). Each answer is
/// audited in the commit of the change it records; a refused one is audited on its own.
/// </summary>
public sealed class ConsoleDisputeService(IDisputeStore disputes, IPaymentStore payments, IConsoleStore consoleStore, DisputeEvidenceService evidence,
    DisputeResponses responses, TimeProvider time)
{
    public const string EvidenceUpdatedAction = "console.dispute.evidence_updated";
    public const string FileUploadedAction = "console.dispute.evidence_file_uploaded";
    public const string SubmittedAction = "console.dispute.submitted";
    public const string AcceptedAction = "console.dispute.accepted";
    public const string DisputeTarget = "dispute";

    /// <summary>The most disputes the queue shows.</summary>
    public const int QueueSize = 200;

    /// <summary>The merchant's disputes (of one status, when given), evidence deadline soonest first, those without one last.</summary>
    public Task<IReadOnlyList<Dispute>> QueueAsync(ConsoleCaller caller, string merchantId, bool livemode, DisputeStatus? status, CancellationToken ct)
    {
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        return disputes.ListDisputeQueueAsync(merchantId, livemode, status, QueueSize, ct);
    }

    /// <summary>A payment's disputes, oldest first (the payment page's list); the caller already read the payment.</summary>
    public async Task<IReadOnlyList<Dispute>> ForPaymentAsync(ConsoleCaller caller, Payment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        caller.Demand(ConsolePermission.ViewPayments, payment.MerchantId);
        if (payment.Disputes is not { Count: > 0 })
        {
            return [];
        }

        var rows = await disputes.ListDisputesAsync(payment.MerchantId, payment.Livemode, new DisputeListQuery { PaymentId = payment.Id, Limit = 100 }, ct).ConfigureAwait(false);
        return rows.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>One dispute with its payment; 404 for a dispute of a merchant the caller may not see.</summary>
    public async Task<ConsoleDisputeView> GetAsync(ConsoleCaller caller, string id, CancellationToken ct)
    {
        caller.DemandAnywhere(ConsolePermission.ViewPayments);
        var dispute = await disputes.GetDisputeByIdAsync(id, ct).ConfigureAwait(false);
        if (dispute is null || !caller.Can(ConsolePermission.ViewPayments, dispute.MerchantId))
        {
            throw GatewayException.NotFound("dispute", id);
        }

        var payment = await payments.GetPaymentByIdAsync(dispute.PaymentId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Dispute {dispute.Id} has no payment.");
        return new ConsoleDisputeView(dispute, payment);
    }

    /// <summary>Whether the caller may answer this dispute (the page offers the form only then; the answers check again).</summary>
    public static bool MayRespond(ConsoleCaller caller, Dispute dispute) =>
        caller.Can(ConsolePermission.RespondToDisputes, dispute.MerchantId) && DisputeStateMachine.CanApply(dispute.Status, DisputeTrigger.SubmitEvidence);

    /// <summary>Sets the evidence's text fields (an empty value clears one) and file fields (a file id of this dispute).</summary>
    public Task UpdateEvidenceAsync(ConsoleCaller caller, string id, IReadOnlyDictionary<string, string> fields, CancellationToken ct) =>
        RunAsync(caller, id, EvidenceUpdatedAction, string.Join(',', fields.Keys.Order(StringComparer.Ordinal)),
            (api, audit) => evidence.UpdateFieldsAsync(api, id, fields, audit, ct), ct);

    /// <summary>Stores an evidence file (checked, encrypted, like the API's upload) and returns its id.</summary>
    public Task<string> UploadAsync(ConsoleCaller caller, string id, Stream? content, string? contentType, string? fileName, CancellationToken ct) =>
        RunAsync(caller, id, FileUploadedAction, contentType, async (api, audit) => content is null
            ? throw new ConsoleValidationException("File", "Choose a PDF, PNG or JPEG file.")
            : (await evidence.UploadAsync(api, id, content, contentType, fileName, audit, ct).ConfigureAwait(false)).Id, ct);

    /// <summary>Submits the evidence to the provider.</summary>
    public Task SubmitAsync(ConsoleCaller caller, string id, CancellationToken ct) =>
        RunAsync(caller, id, SubmittedAction, null, (api, audit) => responses.SubmitAsync(api, id, audit, ct), ct);

    /// <summary>Accepts the dispute (the merchant will not defend it).</summary>
    public Task AcceptAsync(ConsoleCaller caller, string id, CancellationToken ct) =>
        RunAsync(caller, id, AcceptedAction, null, (api, audit) => responses.AcceptAsync(api, id, audit, ct), ct);

    private async Task<T> RunAsync<T>(ConsoleCaller caller, string id, string action, string? detail, Func<CallerContext, AuditRecord, Task<T>> run, CancellationToken ct)
    {
        var dispute = await disputes.GetDisputeByIdAsync(id, ct).ConfigureAwait(false);
        if (dispute is null || !caller.Can(ConsolePermission.ViewPayments, dispute.MerchantId))
        {
            // Another merchant's dispute (or none): refused and recorded, with nothing said about whether it exists.
            await AuditAsync(Record(caller, null, action, dispute?.MerchantId, id, detail, AuditOutcomes.Refused, "not_found_or_other_merchant")).ConfigureAwait(false);
            throw GatewayException.NotFound("dispute", id);
        }

        var role = await caller.DemandAuditedAsync(ConsolePermission.RespondToDisputes, dispute.MerchantId,
            () => AuditAsync(Record(caller, null, action, dispute.MerchantId, id, detail, AuditOutcomes.Refused, "role"))).ConfigureAwait(false);

        var api = new CallerContext(dispute.MerchantId, dispute.Livemode, ApiKeyKind.Secret);
        try
        {
            return await run(api, Record(caller, role, action, dispute.MerchantId, id, detail, AuditOutcomes.Succeeded, null)).ConfigureAwait(false);
        }
        catch (GatewayException refused) when (refused.Kind is not (ErrorKind.NotFound or ErrorKind.PermissionDenied))
        {
            // The dispute services refused (state, deadline, file, provider): nothing of it was written but this record.
            await AuditAsync(Record(caller, role, action, dispute.MerchantId, id, detail, AuditOutcomes.Refused, refused.Code)).ConfigureAwait(false);
            throw new ConsoleValidationException(action == FileUploadedAction ? "File" : "Evidence", refused.Message);
        }
    }

    /// <summary>A refused answer's entry, written on its own: nothing else was written.</summary>
    private Task AuditAsync(AuditRecord record)
    {
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(record);
        return consoleStore.CommitAsync(changes, CancellationToken.None);
    }

    private AuditRecord Record(ConsoleCaller caller, ConsoleRole? role, string action, string? merchantId, string disputeId, string? detail, string outcome, string? reason) =>
        new()
        {
            Created = time.GetUtcNow(),
            Action = action,
            Outcome = outcome,
            Actor = caller.Actor(role),
            MerchantId = merchantId,
            TargetType = DisputeTarget,
            TargetId = disputeId,
            After = new Dictionary<string, string?>
            {
                ["detail"] = detail,
                ["reason"] = reason,
            },
            Context = caller.Context,
        };
}
