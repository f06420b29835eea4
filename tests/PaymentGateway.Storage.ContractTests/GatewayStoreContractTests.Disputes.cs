using Microsoft.Extensions.Logging.Abstractions;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- disputes: the seam

    private static Dispute NewDispute(Payment payment, string? providerDisputeId = null, DisputeStatus status = DisputeStatus.NeedsResponse,
        DateTimeOffset? due = null, DateTimeOffset? created = null, string provider = "stripe")
    {
        var at = created ?? T0.AddHours(1);
        return new Dispute
        {
            Id = Ids.New(Ids.Dispute, at),
            MerchantId = payment.MerchantId,
            Livemode = payment.Livemode,
            PaymentId = payment.Id,
            Provider = provider,
            ProviderAccountId = "pa_1",
            ProviderDisputeId = providerDisputeId ?? "du_" + Guid.NewGuid().ToString("N"),
            ProviderPaymentReference = "ch_1",
            Status = status,
            Stage = status.StageOf(),
            Amount = 700,
            Currency = "EUR",
            Reason = DisputeReason.ProductNotReceived,
            ProviderReasonCode = "13.1",
            EvidenceDueBy = due,
            AmountWithdrawn = 700,
            Funds = [new DisputeFundsRecord { Kind = DisputeFundsKind.Withdrawn, Amount = 700, Currency = "EUR", At = at }],
            AmountHeld = 700,
            Evidence = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["shipping_tracking_number"] = "1Z 999 ünï" },
            Files = [new DisputeEvidenceFile { Id = "dpf_1", FileName = "receipt.pdf", ContentType = "application/pdf", Size = 12, Sha256 = "ab", Created = at }],
            Submission = new DisputeSubmission { Kind = "evidence", Stage = DisputeStage.Chargeback, IdempotencyKey = "k", State = DisputeSubmissionState.Rejected, At = at },
            Facts = [new DisputeFact { Id = "state:1", Stage = DisputeStage.Chargeback, Trigger = DisputeTrigger.OpenChargeback, OccurredAt = at, Source = "provider" }],
            AlertsSent = ["86400:123"],
            Created = at,
            Updated = at,
        };
    }

    private async Task<Payment> SucceededPaymentAsync(string merchant, long received = 10_000, string? providerReference = null)
    {
        var payment = Payment(merchant, status: PaymentStatus.Succeeded);
        payment = new Payment
        {
            Id = payment.Id,
            MerchantId = merchant,
            Livemode = false,
            Status = PaymentStatus.Succeeded,
            Amount = received,
            Currency = "EUR",
            AmountReceived = received,
            Provider = "stripe",
            ProviderReference = providerReference,
            Attempts =
            [
                new PaymentAttempt
                {
                    Id = Ids.New(Ids.Attempt, T0), Provider = "stripe", ProviderAccountId = "pa_1", IdempotencyKey = "k", PaymentMethodId = "pm_1",
                    Status = AttemptStatus.Captured, ProviderReference = providerReference, Created = T0, Updated = T0,
                },
            ],
            Created = T0,
            Updated = T0,
        };
        await CommitAsync(c => c.NewPayments.Add(payment));
        return payment;
    }

    private async Task<int> EventCountAsync(string merchant, string objectId, string type) =>
        (await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { ObjectId = objectId, Type = type, Limit = 100 }, Ct)).Count;

    [StoreFact]
    public async Task Dispute_round_trips_every_field_with_its_payment_and_event_in_one_commit()
    {
        var merchant = NewMerchantId();
        var payment = await SucceededPaymentAsync(merchant);
        var dispute = NewDispute(payment, due: T0.AddDays(7));
        payment.AmountDisputed = 700;
        payment.Disputes = [dispute.Id];
        var changes = new DisputeChanges();
        changes.NewDisputes.Add(dispute);
        changes.UpdatedPayments.Add(payment);
        changes.Events.Add(EventFactory.ForDispute(dispute, EventTypes.DisputeCreated, T0));
        await Store.Disputes.CommitDisputesAsync(changes, Ct);
        await ReopenAsync();

        var stored = await Store.Disputes.GetDisputeAsync(merchant, false, dispute.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(DisputeStorageJsonRoundTrip(dispute), DisputeStorageJsonRoundTrip(stored));
        Assert.Equal(0, stored.Version);
        Assert.Equal("1Z 999 ünï", stored.Evidence["shipping_tracking_number"]);
        Assert.Equal(DisputeSubmissionState.Rejected, stored.Submission?.State);
        Assert.Equal(dispute.Id, (await Store.Disputes.GetDisputeByIdAsync(dispute.Id, Ct))?.Id);
        Assert.Equal(dispute.Id, (await Store.Disputes.FindDisputeByProviderIdAsync("stripe", dispute.ProviderDisputeId, Ct))?.Id);
        Assert.Null(await Store.Disputes.FindDisputeByProviderIdAsync("adyen", dispute.ProviderDisputeId, Ct));
        Assert.Null(await Store.Disputes.GetDisputeAsync(NewMerchantId(), false, dispute.Id, Ct));
        Assert.Null(await Store.Disputes.GetDisputeAsync(merchant, true, dispute.Id, Ct));
        var storedPayment = await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct);
        Assert.Equal(700, storedPayment?.AmountDisputed);
        Assert.Equal([dispute.Id], storedPayment?.Disputes);
        Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeCreated));
    }

    private static string DisputeStorageJsonRoundTrip(Dispute d) => DisputeRows.Json(d);

    [StoreFact]
    public async Task A_second_dispute_with_the_same_provider_id_conflicts_and_writes_nothing()
    {
        var merchant = NewMerchantId();
        var payment = await SucceededPaymentAsync(merchant);
        var first = NewDispute(payment, "du_same");
        await Store.Disputes.CommitDisputesAsync(Commit(d => d.NewDisputes.Add(first)), Ct);

        var copy = NewDispute(payment, "du_same");
        var conflict = await Outcome(Store.Disputes.CommitDisputesAsync(Commit(d =>
        {
            d.NewDisputes.Add(copy);
            d.Events.Add(EventFactory.ForDispute(copy, EventTypes.DisputeCreated, T0));
        }), Ct));

        Assert.IsType<ConcurrencyConflictException>(conflict);
        Assert.Null(await Store.Disputes.GetDisputeByIdAsync(copy.Id, Ct));
        Assert.Equal(0, await EventCountAsync(merchant, copy.Id, EventTypes.DisputeCreated));
    }

    [StoreFact]
    public async Task A_stale_payment_in_a_dispute_commit_writes_neither_the_dispute_nor_its_events()
    {
        var merchant = NewMerchantId();
        var payment = await SucceededPaymentAsync(merchant);
        var dispute = NewDispute(payment);
        await Store.Disputes.CommitDisputesAsync(Commit(d => d.NewDisputes.Add(dispute)), Ct);
        var staleDispute = (await Store.Disputes.GetDisputeByIdAsync(dispute.Id, Ct))!;
        var stalePayment = (await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct))!;

        var refund = (await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct))!;
        refund.AmountRefunded = 9000;
        await CommitAsync(c => c.UpdatedPayments.Add(refund));

        staleDispute.Status = DisputeStatus.Lost;
        stalePayment.AmountDisputed = 700;
        var conflict = await Outcome(Store.Disputes.CommitDisputesAsync(Commit(d =>
        {
            d.UpdatedDisputes.Add(staleDispute);
            d.UpdatedPayments.Add(stalePayment);
            d.Events.Add(EventFactory.ForDispute(staleDispute, EventTypes.DisputeClosed, T0));
        }), Ct));

        Assert.IsType<ConcurrencyConflictException>(conflict);
        Assert.Equal(DisputeStatus.NeedsResponse, (await Store.Disputes.GetDisputeByIdAsync(dispute.Id, Ct))?.Status);
        Assert.Equal(0, (await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct))?.AmountDisputed);
        Assert.Equal(0, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeClosed));
    }

    [StoreFact]
    public async Task A_dispute_update_is_version_checked_and_bumps_the_version()
    {
        var payment = await SucceededPaymentAsync(NewMerchantId());
        var dispute = NewDispute(payment);
        await Store.Disputes.CommitDisputesAsync(Commit(d => d.NewDisputes.Add(dispute)), Ct);
        var a = (await Store.Disputes.GetDisputeByIdAsync(dispute.Id, Ct))!;
        var b = (await Store.Disputes.GetDisputeByIdAsync(dispute.Id, Ct))!;

        a.Status = DisputeStatus.UnderReview;
        await Store.Disputes.CommitDisputesAsync(Commit(d => d.UpdatedDisputes.Add(a)), Ct);
        b.Status = DisputeStatus.Accepted;
        var conflict = await Outcome(Store.Disputes.CommitDisputesAsync(Commit(d => d.UpdatedDisputes.Add(b)), Ct));

        Assert.Equal(1, a.Version);
        Assert.IsType<ConcurrencyConflictException>(conflict);
        var stored = await Store.Disputes.GetDisputeByIdAsync(dispute.Id, Ct);
        Assert.Equal(DisputeStatus.UnderReview, stored?.Status);
        Assert.Equal(1, stored?.Version);
    }

    [StoreFact]
    public async Task Disputes_list_newest_first_with_status_and_payment_filters_and_cursors()
    {
        var merchant = NewMerchantId();
        var p1 = await SucceededPaymentAsync(merchant);
        var p2 = await SucceededPaymentAsync(merchant);
        var d1 = NewDispute(p1, created: T0.AddMinutes(1));
        var d2 = NewDispute(p2, status: DisputeStatus.Won, created: T0.AddMinutes(2));
        var d3 = NewDispute(p1, status: DisputeStatus.Won, created: T0.AddMinutes(3));
        await Store.Disputes.CommitDisputesAsync(Commit(d => d.NewDisputes.AddRange([d1, d2, d3])), Ct);

        string[] Ids(IEnumerable<Dispute> list) => [.. list.Select(d => d.Id)];
        Assert.Equal([d3.Id, d2.Id, d1.Id], Ids(await Store.Disputes.ListDisputesAsync(merchant, false, new DisputeListQuery { Limit = 10 }, Ct)));
        Assert.Equal([d3.Id, d2.Id], Ids(await Store.Disputes.ListDisputesAsync(merchant, false, new DisputeListQuery { Limit = 10, Status = DisputeStatus.Won }, Ct)));
        Assert.Equal([d3.Id, d1.Id], Ids(await Store.Disputes.ListDisputesAsync(merchant, false, new DisputeListQuery { Limit = 10, PaymentId = p1.Id }, Ct)));
        Assert.Equal([d2.Id, d1.Id], Ids(await Store.Disputes.ListDisputesAsync(merchant, false, new DisputeListQuery { Limit = 10, StartingAfter = d3.Id }, Ct)));
        Assert.Empty(await Store.Disputes.ListDisputesAsync(merchant, true, new DisputeListQuery { Limit = 10 }, Ct));
    }

    [StoreFact]
    public async Task Dispute_queue_is_by_evidence_deadline_soonest_first_without_one_last_within_merchant_mode_and_status()
    {
        var merchant = NewMerchantId();
        var payment = await SucceededPaymentAsync(merchant);
        var noDeadline = NewDispute(payment, status: DisputeStatus.NeedsResponse);
        var later = NewDispute(payment, status: DisputeStatus.NeedsResponse, due: T0.AddDays(5));
        var soonest = NewDispute(payment, status: DisputeStatus.UnderReview, due: T0.AddDays(1));
        var middle = NewDispute(payment, status: DisputeStatus.NeedsResponse, due: T0.AddDays(3));
        await Store.Disputes.CommitDisputesAsync(Commit(d => d.NewDisputes.AddRange([noDeadline, later, soonest, middle])), Ct);
        var other = NewDispute(await SucceededPaymentAsync(NewMerchantId()), due: T0);
        await Store.Disputes.CommitDisputesAsync(Commit(d => d.NewDisputes.Add(other)), Ct);

        Assert.Equal([soonest.Id, middle.Id, later.Id, noDeadline.Id], (await Store.Disputes.ListDisputeQueueAsync(merchant, false, null, 10, Ct)).Select(d => d.Id));
        Assert.Equal([middle.Id, later.Id, noDeadline.Id], (await Store.Disputes.ListDisputeQueueAsync(merchant, false, DisputeStatus.NeedsResponse, 10, Ct)).Select(d => d.Id));
        Assert.Equal([soonest.Id, middle.Id], (await Store.Disputes.ListDisputeQueueAsync(merchant, false, null, 2, Ct)).Select(d => d.Id));
        Assert.Empty(await Store.Disputes.ListDisputeQueueAsync(merchant, true, null, 10, Ct));
    }

    [StoreFact]
    public async Task A_console_audit_record_in_a_dispute_commit_is_written_with_it_and_not_without_it()
    {
        var merchant = NewMerchantId();
        var payment = await SucceededPaymentAsync(merchant);
        var dispute = NewDispute(payment);
        var action = "console.dispute.test." + Guid.NewGuid().ToString("N");
        PaymentGateway.Core.Audit.AuditRecord Record() => new()
        {
            Created = DateTimeOffset.UtcNow,
            Action = action,
            Outcome = PaymentGateway.Core.Audit.AuditOutcomes.Succeeded,
            Actor = PaymentGateway.Core.Audit.AuditActor.System,
            MerchantId = merchant,
            TargetType = "dispute",
            TargetId = dispute.Id,
            Context = PaymentGateway.Core.Audit.AuditContext.None,
        };
        await Store.Disputes.CommitDisputesAsync(Commit(d => { d.NewDisputes.Add(dispute); d.AuditRecords.Add(Record()); }), Ct);

        // A stale update carries its record with it: neither is written.
        var stale = await Store.Disputes.GetDisputeByIdAsync(dispute.Id, Ct);
        Assert.NotNull(stale);
        var fresh = await Store.Disputes.GetDisputeByIdAsync(dispute.Id, Ct);
        Assert.NotNull(fresh);
        await Store.Disputes.CommitDisputesAsync(Commit(d => { d.UpdatedDisputes.Add(fresh); d.AuditRecords.Add(Record()); }), Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Disputes.CommitDisputesAsync(Commit(d => { d.UpdatedDisputes.Add(stale); d.AuditRecords.Add(Record()); }), Ct));

        var entries = await Store.Audit.ListAsync(new AuditQuery { Action = action, Limit = 10 }, Ct);
        Assert.Equal(2, entries.Count);
    }

    [StoreFact]
    public async Task Due_and_open_lists_take_only_disputes_that_still_wait()
    {
        var payment = await SucceededPaymentAsync(NewMerchantId());
        var soon = NewDispute(payment, status: DisputeStatus.NeedsResponse, due: T0.AddDays(1), provider: "adyen");
        var later = NewDispute(payment, status: DisputeStatus.WarningNeedsResponse, due: T0.AddDays(2), provider: "adyen");
        var reviewing = NewDispute(payment, status: DisputeStatus.UnderReview, due: T0.AddHours(1), provider: "adyen");
        var closed = NewDispute(payment, status: DisputeStatus.Lost, due: T0.AddHours(1), provider: "adyen");
        var noDeadline = NewDispute(payment, status: DisputeStatus.NeedsResponse, provider: "adyen");
        await Store.Disputes.CommitDisputesAsync(Commit(d => d.NewDisputes.AddRange([soon, later, reviewing, closed, noDeadline])), Ct);

        var due = await Store.Disputes.ListDisputesDueBeforeAsync(T0.AddDays(3), 10, Ct);
        var open = await Store.Disputes.ListOpenDisputesAsync("adyen", T0.AddDays(1), 10, Ct);

        Assert.Equal([soon.Id, later.Id], due.Where(d => d.PaymentId == payment.Id).Select(d => d.Id));
        Assert.Equal(new[] { soon.Id, later.Id, reviewing.Id, noDeadline.Id }.Order(StringComparer.Ordinal), open.Where(d => d.PaymentId == payment.Id).Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await Store.Disputes.ListOpenDisputesAsync("stripe", T0.AddDays(1), 10, Ct));
        Assert.Empty(await Store.Disputes.ListOpenDisputesAsync("adyen", T0, 10, Ct));
    }

    [StoreFact]
    public async Task Evidence_file_content_is_stored_as_given_and_read_only_through_its_dispute()
    {
        var payment = await SucceededPaymentAsync(NewMerchantId());
        var dispute = NewDispute(payment);
        var file = new StoredDisputeFile
        {
            Id = Ids.New(Ids.DisputeFile, T0),
            DisputeId = dispute.Id,
            MerchantId = dispute.MerchantId,
            Livemode = false,
            EncryptedContent = "v1:k1:wrapped:SEALED-BYTES",
            Created = T0,
        };
        await Store.Disputes.CommitDisputesAsync(Commit(d =>
        {
            d.NewDisputes.Add(dispute);
            d.NewFiles.Add(file);
        }), Ct);

        var stored = await Store.Disputes.GetDisputeFileAsync(dispute.Id, file.Id, Ct);
        Assert.Equal(file, stored);
        Assert.Null(await Store.Disputes.GetDisputeFileAsync(Ids.New(Ids.Dispute), file.Id, Ct));
    }

    [StoreFact]
    public async Task Payment_is_found_by_its_provider_reference_within_the_merchant_and_mode()
    {
        var merchant = NewMerchantId();
        var payment = await SucceededPaymentAsync(merchant, providerReference: "pi_abc");
        await SucceededPaymentAsync(NewMerchantId(), providerReference: "pi_abc");

        Assert.Equal(payment.Id, await Store.Disputes.FindPaymentIdByProviderReferenceAsync(merchant, false, "pi_abc", Ct));
        Assert.Null(await Store.Disputes.FindPaymentIdByProviderReferenceAsync(merchant, true, "pi_abc", Ct));
        Assert.Null(await Store.Disputes.FindPaymentIdByProviderReferenceAsync(merchant, false, "pi_other", Ct));
    }

    [StoreFact]
    public async Task Simulator_notices_keep_their_first_version_and_list_by_due_window()
    {
        var tag = Guid.NewGuid().ToString("N");
        SimulatorDisputeNoticeRow Row(string id, int seconds, string json = "{\"v\":1}") => new($"{tag}:{id}", T0.AddSeconds(seconds), json);
        await Store.Disputes.ScheduleSimulatorDisputeNoticesAsync([Row("a", 10), Row("b", 20), Row("c", 20), Row("d", 30)], Ct);
        await Store.Disputes.ScheduleSimulatorDisputeNoticesAsync([Row("a", 10, "{\"v\":2}")], Ct);

        var window = await Store.Disputes.ListSimulatorDisputeNoticesAsync(T0.AddSeconds(10), T0.AddSeconds(20), 10, Ct);
        var first = await Store.Disputes.ListSimulatorDisputeNoticesAsync(T0, T0.AddSeconds(10), 10, Ct);

        Assert.Equal([$"{tag}:b", $"{tag}:c"], window.Select(r => r.Id));
        var a = Assert.Single(first);
        Assert.Contains("1", a.Json, StringComparison.Ordinal);
        Assert.DoesNotContain("2", a.Json, StringComparison.Ordinal);
        Assert.Equal(T0.AddSeconds(10), a.DueAt);
    }

    private static DisputeChanges Commit(Action<DisputeChanges> fill)
    {
        var changes = new DisputeChanges();
        fill(changes);
        return changes;
    }

    // ---------------------------------------------------------------- disputes: notifications through the real write path

    private DisputeNotifications Notifications() =>
        new(Store.Disputes, Store.Payments, new DisputeWriter(Store.Disputes, TimeProvider.System), NullLogger<DisputeNotifications>.Instance);

    private static readonly DisputeNotifications.Origin StripeAccount = new("stripe", "pa_1", null, false);

    private static IReadOnlyList<DisputeNotification> StripeDispute(string paymentId, string disputeId, bool won)
    {
        DisputeNotification N(string code, string status, int minute, DisputeFundsMovement? funds = null) => new()
        {
            ProviderDisputeId = disputeId,
            PaymentReference = paymentId,
            EventCode = code,
            ProviderStatus = status,
            Amount = Money.Of(6000, "EUR"),
            ReasonCode = "fraudulent",
            EvidenceDueBy = T0.AddDays(7),
            OccurredAt = T0.AddMinutes(minute),
            EventId = $"evt_{disputeId}_{minute}",
            FundsMovements = funds is null ? [] : [funds],
        };

        DisputeFundsMovement Move(DisputeFundsDirection direction, string reference) =>
            new() { Direction = direction, Amount = Money.Of(6000, "EUR"), Reference = reference };

        return won
            ?
            [
                N("charge.dispute.created", "needs_response", 0),
                N("charge.dispute.funds_withdrawn", "needs_response", 1, Move(DisputeFundsDirection.Withdrawn, disputeId + "_txn1")),
                N("charge.dispute.updated", "under_review", 10),
                N("charge.dispute.closed", "won", 20),
                N("charge.dispute.funds_reinstated", "won", 21, Move(DisputeFundsDirection.Reinstated, disputeId + "_txn2")),
            ]
            :
            [
                N("charge.dispute.created", "warning_needs_response", 0),
                N("charge.dispute.updated", "needs_response", 5),
                N("charge.dispute.funds_withdrawn", "needs_response", 6, Move(DisputeFundsDirection.Withdrawn, disputeId + "_txn1")),
                N("charge.dispute.updated", "under_review", 10),
                N("charge.dispute.closed", "lost", 20),
            ];
    }

    [StoreFact]
    public async Task Shuffled_and_repeated_dispute_notifications_end_in_the_same_state_with_each_event_once()
    {
        var notifications = Notifications();
        var random = new Random(19);
        for (var round = 0; round < 24; round++)
        {
            var won = round % 2 == 0;
            var merchant = NewMerchantId();
            var payment = await SucceededPaymentAsync(merchant);
            var events = StripeDispute(payment.Id, $"du_{Guid.NewGuid():N}", won);
            var deliveries = events.Concat(events).OrderBy(_ => random.Next()).ToList();

            foreach (var delivery in deliveries)
            {
                await notifications.ApplyAsync(StripeAccount with { MerchantId = merchant }, delivery, "provider", Ct);
            }

            var dispute = await Store.Disputes.FindDisputeByProviderIdAsync("stripe", events[0].ProviderDisputeId, Ct);
            Assert.NotNull(dispute);
            var stored = await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct);
            Assert.NotNull(stored);
            Assert.Equal(won ? DisputeStatus.Won : DisputeStatus.Lost, dispute.Status);
            Assert.Equal(DisputeReason.Fraudulent, dispute.Reason);
            Assert.Equal(T0.AddDays(7), dispute.EvidenceDueBy);
            Assert.Equal(6000, dispute.AmountWithdrawn);
            Assert.Equal(won ? 6000 : 0, dispute.AmountReinstated);
            Assert.Equal(won ? 0 : 6000, dispute.AmountHeld);
            Assert.Equal(dispute.AmountHeld, stored.AmountDisputed);
            Assert.Equal([dispute.Id], stored.Disputes);
            Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeCreated));
            Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeClosed));
            Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeFundsWithdrawn));
            Assert.Equal(won ? 1 : 0, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeFundsReinstated));
        }
    }

    [StoreFact]
    public async Task Concurrent_deliveries_of_the_same_notifications_write_each_event_once()
    {
        var notifications = Notifications();
        var merchant = NewMerchantId();
        var payment = await SucceededPaymentAsync(merchant);
        var events = StripeDispute(payment.Id, $"du_{Guid.NewGuid():N}", won: true);

        await Task.WhenAll(Enumerable.Range(0, 6).SelectMany(_ => events).Select(n =>
            Task.Run(() => notifications.ApplyAsync(StripeAccount with { MerchantId = merchant }, n, "provider", Ct))));

        var dispute = await Store.Disputes.FindDisputeByProviderIdAsync("stripe", events[0].ProviderDisputeId, Ct);
        Assert.NotNull(dispute);
        Assert.Equal(DisputeStatus.Won, dispute.Status);
        Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeCreated));
        Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeClosed));
        Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeFundsWithdrawn));
        Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeFundsReinstated));
        Assert.Equal(0, (await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct))?.AmountDisputed);
    }

    [StoreFact]
    public async Task Concurrent_refunds_and_dispute_notifications_never_let_refunded_plus_disputed_exceed_received()
    {
        // The real refund path: RefundService checks received − refunded − disputed and reserves the refund in its
        // version-checked commit before it calls the provider. No provider is registered here, so each refund stops right
        // after that commit (provider_not_configured) with its amount reserved, which is all the invariant is about.
        var refunds = new RefundService(Store.Payments, new ProviderRegistry([]), new Core.Routing.ProviderRouting(null!, null!, null!), TimeProvider.System);
        var notifications = Notifications();
        for (var round = 0; round < 6; round++)
        {
            var won = round % 3 == 0;
            var merchant = NewMerchantId();
            var payment = await SucceededPaymentAsync(merchant, received: 10_000);
            var events = StripeDispute(payment.Id, $"du_{Guid.NewGuid():N}", won); // 6000 disputed
            var caller = new CallerContext(merchant, false, ApiKeyKind.Secret);

            async Task RefundLoopAsync()
            {
                for (var i = 0; i < 5; i++)
                {
                    try
                    {
                        await refunds.CreateAsync(caller, new CreateRefundRequest { Payment = payment.Id, Amount = 500 }, null, Ct);
                    }
                    catch (GatewayException e) when (e.Code is ErrorCodes.AmountExceedsRefundable or ErrorCodes.ProviderNotConfigured)
                    {
                    }
                }
            }

            var random = new Random(round);
            var deliveries = events.Concat(events).OrderBy(_ => random.Next())
                .Select(n => Task.Run(() => notifications.ApplyAsync(StripeAccount with { MerchantId = merchant }, n, "provider", Ct)));
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(RefundLoopAsync)).Concat(deliveries));

            var stored = await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct);
            var dispute = await Store.Disputes.FindDisputeByProviderIdAsync("stripe", events[0].ProviderDisputeId, Ct);
            Assert.NotNull(stored);
            Assert.NotNull(dispute);
            var reserved = (await Store.Payments.ListRefundsAsync(merchant, false, payment.Id, new ListQuery { Limit = 100 }, Ct)).Sum(r => r.Amount);
            Assert.Equal(reserved, stored.AmountRefunded);
            Assert.Equal(dispute.AmountHeld, stored.AmountDisputed);
            Assert.True(stored.AmountRefunded + stored.AmountDisputed <= 10_000, $"round {round}: refunded {stored.AmountRefunded} + disputed {stored.AmountDisputed} exceed 10000");
            Assert.Equal(won ? DisputeStatus.Won : DisputeStatus.Lost, dispute.Status);
            if (won)
            {
                Assert.Equal(0, stored.AmountDisputed);
            }
            else
            {
                // 40 refunds of 500 were tried: what the lost dispute does not hold was all given back, and no more.
                Assert.Equal(10_000, stored.AmountRefunded + stored.AmountDisputed);
            }

            Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeCreated));
            Assert.Equal(1, await EventCountAsync(merchant, dispute.Id, EventTypes.DisputeFundsWithdrawn));
        }
    }

    [StoreFact]
    public async Task A_notification_for_another_accounts_payment_changes_nothing()
    {
        var notifications = Notifications();
        var merchant = NewMerchantId();
        var payment = await SucceededPaymentAsync(merchant);
        var n = StripeDispute(payment.Id, $"du_{Guid.NewGuid():N}", won: true)[0];

        Assert.False(await notifications.ApplyAsync(StripeAccount with { MerchantId = NewMerchantId() }, n, "provider", Ct));
        Assert.False(await notifications.ApplyAsync(StripeAccount with { MerchantId = merchant, AccountId = "pa_other" }, n, "provider", Ct));
        Assert.False(await notifications.ApplyAsync(new DisputeNotifications.Origin("adyen", "pa_1", merchant, false), n with { EventCode = "CHARGEBACK" }, "provider", Ct));
        Assert.Null(await Store.Disputes.FindDisputeByProviderIdAsync("stripe", n.ProviderDisputeId, Ct));
        Assert.True(await notifications.ApplyAsync(StripeAccount with { MerchantId = merchant }, n, "provider", Ct));
    }
}
