using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// Answering a dispute through its provider (<see cref="IDisputeFlow"/>): submit the evidence, or accept. Like a
/// payment attempt, the answer is recorded (<see cref="DisputeSubmissionState.Sending"/>, with a provider idempotency
/// key derived from the dispute and its stage) before the provider is called; an answer that is not the provider's
/// word leaves it sending and is a 503 to retry, which sends the same key. Refused clearly: a second submission for the
/// same stage (409 <c>dispute_already_submitted</c>), one after <c>evidence_due_by</c> (422
/// <c>dispute_evidence_deadline_passed</c>), any answer in a status that takes none (409 <c>dispute_state_conflict</c>),
/// and a provider without the flow (422 <c>dispute_response_unsupported</c>).
/// </summary>
public sealed class DisputeResponses(IDisputeStore store, IPaymentStore payments, DisputeWriter writer, DisputeEvidenceService evidence,
    ProviderRegistry providers, ProviderRouting routing)
{
    private const string EvidenceKind = "evidence";
    private const string AcceptKind = "accept";

    public Task<DisputeResource> SubmitAsync(CallerContext caller, string id, CancellationToken ct) => SubmitAsync(caller, id, null, ct);

    /// <summary>Submits the evidence; the console's audit entry (<paramref name="audit"/>) is written in the commit that records the submission as sending.</summary>
    public async Task<DisputeResource> SubmitAsync(CallerContext caller, string id, Audit.AuditRecord? audit, CancellationToken ct)
    {
        var (dispute, submission, flow) = await BeginAsync(caller, id, EvidenceKind, audit, ct).ConfigureAwait(false);
        var documents = await evidence.DocumentsAsync(dispute, ct).ConfigureAwait(false);
        var account = await routing.OpenAsync(dispute.ProviderAccountId, ct).ConfigureAwait(false);
        var result = await CallAsync(dispute, account, "dispute_submit", token => flow.SubmitEvidenceAsync(new SubmitDisputeEvidenceRequest
        {
            Account = account,
            DisputeId = dispute.Id,
            ProviderDisputeId = dispute.ProviderDisputeId,
            ProviderPaymentReference = dispute.ProviderPaymentReference,
            IdempotencyKey = submission.IdempotencyKey,
            Evidence = dispute.Evidence.Where(e => !DisputeEvidenceFields.IsFileField(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            Documents = documents,
            TestMode = !dispute.Livemode,
        }, token)).ConfigureAwait(false);
        return await FinishAsync(caller, id, submission, result, DisputeTrigger.SubmitEvidence, ct).ConfigureAwait(false);
    }

    public Task<DisputeResource> AcceptAsync(CallerContext caller, string id, CancellationToken ct) => AcceptAsync(caller, id, null, ct);

    /// <summary>Accepts the dispute; the console's audit entry (<paramref name="audit"/>) is written in the commit that records the acceptance as sending.</summary>
    public async Task<DisputeResource> AcceptAsync(CallerContext caller, string id, Audit.AuditRecord? audit, CancellationToken ct)
    {
        var (dispute, submission, flow) = await BeginAsync(caller, id, AcceptKind, audit, ct).ConfigureAwait(false);
        var account = await routing.OpenAsync(dispute.ProviderAccountId, ct).ConfigureAwait(false);
        var result = await CallAsync(dispute, account, "dispute_accept", token => flow.AcceptDisputeAsync(new AcceptDisputeRequest
        {
            Account = account,
            DisputeId = dispute.Id,
            ProviderDisputeId = dispute.ProviderDisputeId,
            IdempotencyKey = submission.IdempotencyKey,
            TestMode = !dispute.Livemode,
        }, token)).ConfigureAwait(false);
        return await FinishAsync(caller, id, submission, result, DisputeTrigger.Accept, ct).ConfigureAwait(false);
    }

    /// <summary>Checks the answer may be given and records it as sending (or finds the one already sending, to resend with its key).</summary>
    private Task<(Dispute Dispute, DisputeSubmission Submission, IDisputeFlow Flow)> BeginAsync(CallerContext caller, string id, string kind, Audit.AuditRecord? audit,
        CancellationToken ct) =>
        DisputeWriter.RetryAsync(async token =>
        {
            var dispute = await DisputeQueries.LoadAsync(store, caller, id, token).ConfigureAwait(false);
            var stage = dispute.Status.StageOf();
            var trigger = kind == EvidenceKind ? DisputeTrigger.SubmitEvidence : DisputeTrigger.Accept;
            if (dispute.Submission is { State: DisputeSubmissionState.Sending } sending && sending.Stage == stage && sending.Kind == kind
                && DisputeStateMachine.CanApply(dispute.Status, trigger))
            {
                return (dispute, sending, FlowOf(dispute));
            }

            if (!DisputeStateMachine.CanApply(dispute.Status, trigger) || dispute.Submission is { State: DisputeSubmissionState.Sending })
            {
                if (dispute.Submission is { State: DisputeSubmissionState.Accepted } done && done.Stage == stage)
                {
                    throw new GatewayException(ErrorKind.Conflict, ErrorCodes.DisputeAlreadySubmitted, done.Kind == EvidenceKind
                        ? $"Evidence for this dispute's {stage.ToWire()} stage was already submitted on {done.At:O}; the dispute is '{dispute.Status.ToWire()}'."
                        : $"This dispute was already accepted on {done.At:O}.");
                }

                throw new GatewayException(ErrorKind.Conflict, ErrorCodes.DisputeStateConflict, dispute.Submission is { State: DisputeSubmissionState.Sending } other
                    ? $"A response ({other.Kind}) to this dispute is still on its way to the provider; send that one again to finish it."
                    : $"A dispute in status '{dispute.Status.ToWire()}' cannot {(kind == EvidenceKind ? "take evidence" : "be accepted")}.");
            }

            var now = writer.Time.GetUtcNow();
            if (kind == EvidenceKind)
            {
                if (dispute.EvidenceDueBy is { } due && now > due)
                {
                    throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.DisputeEvidenceDeadlinePassed,
                        $"The evidence was due by {due:O}; the provider no longer takes it.");
                }

                if (dispute.Evidence.Count == 0)
                {
                    throw GatewayException.Missing("evidence");
                }
            }

            var flow = FlowOf(dispute);

            // After a refusal the merchant may try again with other evidence: a new key, so the provider does not replay the refusal.
            var attempt = dispute.Submission is { State: DisputeSubmissionState.Rejected } refused && refused.Kind == kind && refused.Stage == stage
                ? refused.Attempt + 1
                : 1;
            var submission = new DisputeSubmission
            {
                Kind = kind,
                Stage = stage,
                Attempt = attempt,
                IdempotencyKey = $"{dispute.Id}:{kind}:{stage.ToWire()}:{attempt}",
                State = DisputeSubmissionState.Sending,
                At = now,
            };
            dispute.Submission = submission;
            var changes = new DisputeChanges();
            changes.UpdatedDisputes.Add(dispute);
            if (audit is not null)
            {
                changes.AuditRecords.Add(audit);
            }

            await writer.CommitAsync(changes, token).ConfigureAwait(false);
            return (dispute, submission, flow);
        }, ct);

    private async Task<DisputeResponseResult> CallAsync(Dispute dispute, ProviderAccount? account, string flowName, Func<CancellationToken, Task<DisputeResponseResult>> call)
    {
        try
        {
            return await routing.CallAsync(account, dispute.Provider, flowName, dispute.PaymentId, call, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                $"Provider '{dispute.Provider}' did not answer; the response stays on its way. Send it again to retry with the same provider key.");
        }
    }

    /// <summary>Applies the provider's word: accepted moves the dispute (with its event); rejected is recorded and reported as 422.</summary>
    private async Task<DisputeResource> FinishAsync(CallerContext caller, string id, DisputeSubmission submission, DisputeResponseResult result, DisputeTrigger trigger,
        CancellationToken ct)
    {
        var resource = await DisputeWriter.RetryAsync(async token =>
        {
            var dispute = await DisputeQueries.LoadAsync(store, caller, id, token).ConfigureAwait(false);
            if (dispute.Submission?.IdempotencyKey != submission.IdempotencyKey || dispute.Submission.State != DisputeSubmissionState.Sending)
            {
                return dispute.ToResource(); // a concurrent retry of the same answer finished it
            }

            var now = writer.Time.GetUtcNow();
            var accepted = result.Outcome == DisputeResponseOutcome.Accepted;
            dispute.Submission = submission with
            {
                State = accepted ? DisputeSubmissionState.Accepted : DisputeSubmissionState.Rejected,
                FailureMessage = accepted ? null : result.Message ?? "The provider refused it.",
                At = now,
            };
            var changes = new DisputeChanges();
            if (accepted)
            {
                if (trigger == DisputeTrigger.SubmitEvidence)
                {
                    dispute.EvidenceSubmittedAt = now;
                }

                var payment = await payments.GetPaymentByIdAsync(dispute.PaymentId, token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Dispute {dispute.Id} has no payment.");
                writer.Project(dispute, payment, [new DisputeFact
                {
                    Id = $"gateway:{submission.Kind}:{submission.Stage.ToWire()}",
                    Stage = submission.Stage,
                    Trigger = trigger,
                    OccurredAt = now,
                    Source = "gateway",
                }], isNew: false, changes);
            }
            else
            {
                dispute.Updated = now;
                changes.UpdatedDisputes.Add(dispute);
            }

            await writer.CommitAsync(changes, token).ConfigureAwait(false);
            return dispute.ToResource();
        }, ct).ConfigureAwait(false);
        if (result.Outcome == DisputeResponseOutcome.Rejected)
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.DisputeResponseRejected,
                $"The provider refused the response: {result.Message ?? "no reason given"}.");
        }

        return resource;
    }

    private IDisputeFlow FlowOf(Dispute dispute) =>
        providers.IsRegistered(dispute.Provider) && providers.Get(dispute.Provider) is IDisputeFlow flow
            ? flow
            : throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.DisputeResponseUnsupported,
                $"Provider '{dispute.Provider}' takes dispute responses only in its own dashboard; answer this dispute there.");
}
