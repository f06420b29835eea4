using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Disputes.Mapping;

namespace PaymentGateway.Core.UnitTests.Disputes;

public sealed class ProviderDisputeMappingTests
{
    [Theory]
    [InlineData("charge.dispute.created", "warning_needs_response", DisputeStage.Inquiry, DisputeTrigger.OpenInquiry, null)]
    [InlineData("charge.dispute.updated", "warning_under_review", DisputeStage.Inquiry, DisputeTrigger.SubmitEvidence, null)]
    [InlineData("charge.dispute.closed", "warning_closed", DisputeStage.Inquiry, DisputeTrigger.CloseInquiry, null)]
    [InlineData("charge.dispute.created", "needs_response", DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, null)]
    [InlineData("charge.dispute.updated", "under_review", DisputeStage.Chargeback, DisputeTrigger.SubmitEvidence, null)]
    [InlineData("charge.dispute.closed", "won", DisputeStage.Chargeback, DisputeTrigger.Win, null)]
    [InlineData("charge.dispute.closed", "lost", DisputeStage.Chargeback, DisputeTrigger.Lose, null)]
    [InlineData("charge.dispute.funds_withdrawn", "needs_response", DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, DisputeFundsKind.Withdrawn)]
    [InlineData("charge.dispute.funds_reinstated", "won", DisputeStage.Chargeback, DisputeTrigger.Win, DisputeFundsKind.Reinstated)]
    [InlineData("snapshot", "under_review", DisputeStage.Chargeback, DisputeTrigger.SubmitEvidence, null)]
    public void Stripe(string code, string status, DisputeStage stage, DisputeTrigger trigger, DisputeFundsKind? funds) =>
        Assert.Equal(new DisputeMove(stage, trigger, funds), StripeDisputeMapping.Move(code, status));

    [Fact]
    public void Stripe_unknown_status_moves_nothing_and_other_events_are_not_disputes()
    {
        Assert.Equal(new DisputeMove(DisputeStage.Chargeback, null), StripeDisputeMapping.Move("charge.dispute.updated", "something_new"));
        Assert.Null(StripeDisputeMapping.Move("charge.refunded", "won"));
    }

    [Theory]
    [InlineData("REQUEST_FOR_INFORMATION", "Unresponded", DisputeStage.Inquiry, DisputeTrigger.OpenInquiry, null)]
    [InlineData("REQUEST_FOR_INFORMATION", "Responded", DisputeStage.Inquiry, DisputeTrigger.SubmitEvidence, null)]
    [InlineData("REQUEST_FOR_INFORMATION", "Expired", DisputeStage.Inquiry, DisputeTrigger.CloseInquiry, null)]
    [InlineData("INFORMATION_SUPPLIED", null, DisputeStage.Inquiry, DisputeTrigger.SubmitEvidence, null)]
    [InlineData("NOTIFICATION_OF_CHARGEBACK", "Undefended", DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, null)]
    [InlineData("CHARGEBACK", "Undefended", DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, DisputeFundsKind.Withdrawn)]
    [InlineData("CHARGEBACK", "Pending", DisputeStage.Chargeback, DisputeTrigger.SubmitEvidence, DisputeFundsKind.Withdrawn)]
    [InlineData("CHARGEBACK", "Accepted", DisputeStage.Chargeback, DisputeTrigger.Accept, DisputeFundsKind.Withdrawn)]
    [InlineData("CHARGEBACK", "Lost", DisputeStage.Chargeback, DisputeTrigger.Lose, DisputeFundsKind.Withdrawn)]
    [InlineData("CHARGEBACK_REVERSED", "Won", DisputeStage.Chargeback, DisputeTrigger.Win, DisputeFundsKind.Reinstated)]
    [InlineData("SECOND_CHARGEBACK", "Lost", DisputeStage.PreArbitration, DisputeTrigger.Lose, DisputeFundsKind.Withdrawn)]
    [InlineData("SECOND_CHARGEBACK", null, DisputeStage.PreArbitration, DisputeTrigger.OpenPreArbitration, DisputeFundsKind.Withdrawn)]
    [InlineData("PREARBITRATION_WON", "Won", DisputeStage.PreArbitration, DisputeTrigger.Win, null)]
    [InlineData("PREARBITRATION_LOST", "Lost", DisputeStage.PreArbitration, DisputeTrigger.Lose, null)]
    [InlineData("ISSUER_RESPONSE_TIMEFRAME_EXPIRED", null, DisputeStage.Chargeback, DisputeTrigger.Win, null)]
    public void Adyen(string code, string? status, DisputeStage stage, DisputeTrigger trigger, DisputeFundsKind? funds) =>
        Assert.Equal(new DisputeMove(stage, trigger, funds), AdyenDisputeMapping.Move(code, status));

    [Fact]
    public void Adyen_fraud_notice_and_payment_events_are_not_disputes()
    {
        Assert.Null(AdyenDisputeMapping.Move("NOTIFICATION_OF_FRAUD", null));
        Assert.Null(AdyenDisputeMapping.Move("AUTHORISATION", null));
        Assert.Equal(new DisputeMove(DisputeStage.Chargeback, null), AdyenDisputeMapping.Move("DISPUTE_DEFENSE_PERIOD_ENDED", null));
    }

    [Theory]
    [InlineData("dispute_evidence_required", DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, DisputeFundsKind.Withdrawn)]
    [InlineData("dispute_evidence_submitted", DisputeStage.Chargeback, DisputeTrigger.SubmitEvidence, null)]
    [InlineData("dispute_evidence_acknowledged_by_scheme", DisputeStage.Chargeback, DisputeTrigger.SubmitEvidence, null)]
    [InlineData("dispute_won", DisputeStage.Chargeback, DisputeTrigger.Win, DisputeFundsKind.Reinstated)]
    [InlineData("dispute_canceled", DisputeStage.Chargeback, DisputeTrigger.Win, DisputeFundsKind.Reinstated)]
    [InlineData("dispute_resolved", DisputeStage.Chargeback, DisputeTrigger.Win, null)]
    [InlineData("dispute_lost", DisputeStage.Chargeback, DisputeTrigger.Lose, null)]
    [InlineData("dispute_expired", DisputeStage.Chargeback, DisputeTrigger.Lose, null)]
    [InlineData("dispute_accepted", DisputeStage.Chargeback, DisputeTrigger.Accept, null)]
    [InlineData("dispute_arbitration_sent_to_scheme", DisputeStage.PreArbitration, DisputeTrigger.OpenPreArbitration, null)]
    [InlineData("dispute_arbitration_won", DisputeStage.PreArbitration, DisputeTrigger.Win, null)]
    [InlineData("dispute_arbitration_lost", DisputeStage.PreArbitration, DisputeTrigger.Lose, null)]
    public void CheckoutCom(string code, DisputeStage stage, DisputeTrigger trigger, DisputeFundsKind? funds) =>
        Assert.Equal(new DisputeMove(stage, trigger, funds), CheckoutComDisputeMapping.Move(code, null));

    [Theory]
    [InlineData("evidence_required", DisputeTrigger.OpenChargeback)]
    [InlineData("evidence_under_review", DisputeTrigger.SubmitEvidence)]
    [InlineData("won", DisputeTrigger.Win)]
    [InlineData("lost", DisputeTrigger.Lose)]
    [InlineData("accepted", DisputeTrigger.Accept)]
    public void CheckoutCom_snapshot_status(string status, DisputeTrigger trigger) =>
        Assert.Equal(trigger, CheckoutComDisputeMapping.Move("snapshot", status)?.Trigger);

    [Fact]
    public void Mollie_chargeback_and_its_reversal()
    {
        Assert.Equal(new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, DisputeFundsKind.Withdrawn), MollieDisputeMapping.Move("chargeback", null));
        Assert.Equal(new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win, DisputeFundsKind.Reinstated), MollieDisputeMapping.Move("chargeback_reversed", null));
        Assert.Equal(DisputeTrigger.Win, MollieDisputeMapping.Move("snapshot", "reversed")?.Trigger);
        Assert.Null(MollieDisputeMapping.Move("paid", null));
    }

    [Theory]
    [InlineData("stripe", "fraudulent", null, DisputeReason.Fraudulent)]
    [InlineData("stripe", "debit_not_authorized", null, DisputeReason.Fraudulent)]
    [InlineData("stripe", "product_unacceptable", null, DisputeReason.ProductUnacceptable)]
    [InlineData("stripe", "customer_initiated", null, DisputeReason.General)]
    [InlineData("adyen", "10.4", "visa", DisputeReason.Fraudulent)]
    [InlineData("adyen", "13.1", "visa", DisputeReason.ProductNotReceived)]
    [InlineData("adyen", "12.6.1", "visa", DisputeReason.Duplicate)]
    [InlineData("adyen", "13.2", null, DisputeReason.SubscriptionCanceled)]
    [InlineData("adyen", "4853", "mc", DisputeReason.ProductUnacceptable)]
    [InlineData("adyen", "4863", null, DisputeReason.Unrecognized)]
    [InlineData("adyen", "C08", "amex", DisputeReason.ProductNotReceived)]
    [InlineData("adyen", "RG", "discover", DisputeReason.ProductNotReceived)]
    [InlineData("adyen", "99.9", "visa", DisputeReason.General)]
    [InlineData("checkoutcom", "credit_not_issued", "VISA", DisputeReason.CreditNotProcessed)]
    [InlineData("checkoutcom", "canceled_recurring", null, DisputeReason.SubscriptionCanceled)]
    [InlineData("checkoutcom", "13.6", "VISA", DisputeReason.CreditNotProcessed)]
    [InlineData("mollie", "MD01", null, DisputeReason.Fraudulent)]
    [InlineData("mollie", "AC04", null, DisputeReason.General)]
    [InlineData("mollie", "4837", "mastercard", DisputeReason.Fraudulent)]
    [InlineData("simulator", "product_not_received", null, DisputeReason.ProductNotReceived)]
    public void Reasons(string provider, string code, string? scheme, DisputeReason expected) =>
        Assert.Equal(expected, ProviderDisputeMapping.Reason(provider, code, scheme));

    [Fact]
    public void Gateway_vocabulary_maps_every_status_into_itself()
    {
        foreach (var status in Enum.GetValues<DisputeStatus>())
        {
            var move = GatewayDisputeMapping.Move("dispute.updated", status.ToWire());
            Assert.NotNull(move);
            Assert.Equal(status.StageOf(), move.Stage);
            var from = DisputeStateMachine.OpenStatus(move.Stage);
            Assert.Equal(status, move.Trigger is { } t && DisputeStateMachine.TryNext(from, t) is { } next ? next : from);
        }
    }
}
