namespace PaymentGateway.Core.Disputes.Mapping;

/// <summary>
/// What one provider notification means in the gateway's terms: the stage it belongs to, the move it makes (null: it
/// states amounts, a reason or a deadline but moves nothing, like an unknown provider status) and the money movement its
/// event code documents when the adapter did not read one with its own reference.
/// </summary>
public sealed record DisputeMove(DisputeStage Stage, DisputeTrigger? Trigger, DisputeFundsKind? DerivedFunds = null);
