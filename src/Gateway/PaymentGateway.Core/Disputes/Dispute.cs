using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// A dispute as stored (<c>dp_…</c>). Its status, amounts, reason and deadline are projected from its
/// <see cref="Facts"/> by <see cref="DisputeWriter"/>; nothing else sets them. Versioned like a payment.
/// </summary>
public sealed class Dispute
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string PaymentId { get; init; }

    /// <summary>The provider id (<c>stripe</c>, <c>adyen</c>, <c>simulator</c>, …).</summary>
    public required string Provider { get; init; }

    /// <summary>The provider account the disputed payment went through (null for the simulator without routing).</summary>
    public string? ProviderAccountId { get; init; }

    public required string ProviderDisputeId { get; init; }

    public string? ProviderPaymentReference { get; set; }

    public DisputeStatus Status { get; set; }

    public DisputeStage Stage { get; set; }

    public long Amount { get; set; }

    public required string Currency { get; set; }

    public DisputeReason Reason { get; set; }

    public string? ProviderReasonCode { get; set; }

    public DateTimeOffset? EvidenceDueBy { get; set; }

    public long AmountWithdrawn { get; set; }

    public long AmountReinstated { get; set; }

    public List<DisputeFundsRecord> Funds { get; set; } = [];

    /// <summary>The part of the payment's received amount this dispute keeps from being refunded (<see cref="DisputeHold"/>).</summary>
    public long AmountHeld { get; set; }

    /// <summary>The merchant's evidence by field name (<see cref="DisputeEvidenceFields"/>); file fields hold <c>dpf_</c> ids.</summary>
    public SortedDictionary<string, string> Evidence { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The evidence files uploaded to this dispute (their contents live encrypted beside it).</summary>
    public List<DisputeEvidenceFile> Files { get; init; } = [];

    /// <summary>The latest answer sent through the provider (submission or acceptance), if any.</summary>
    public DisputeSubmission? Submission { get; set; }

    public DateTimeOffset? EvidenceSubmittedAt { get; set; }

    /// <summary>Everything known about the dispute, deduplicated by id; its state is their fold.</summary>
    public List<DisputeFact> Facts { get; init; } = [];

    /// <summary><c>{threshold seconds}:{due by, unix ms}</c> of every <c>dispute.evidence_due_soon</c> already written.</summary>
    public List<string> AlertsSent { get; init; } = [];

    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>Optimistic concurrency, as for payments.</summary>
    public long Version { get; set; }
}

/// <summary>An answer sent to the provider: its stage, kind and whether the provider has taken it.</summary>
public sealed record DisputeSubmission
{
    /// <summary><c>evidence</c> or <c>accept</c>.</summary>
    public required string Kind { get; init; }

    public required DisputeStage Stage { get; init; }

    /// <summary>1 for the first answer of this kind in this stage; one more after each refusal.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The provider idempotency key, derived from the dispute, stage and attempt, reused by every retry.</summary>
    public required string IdempotencyKey { get; init; }

    public required DisputeSubmissionState State { get; init; }

    /// <summary>Why the provider refused it, when it did.</summary>
    public string? FailureMessage { get; init; }

    public required DateTimeOffset At { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<DisputeSubmissionState>))]
public enum DisputeSubmissionState
{
    /// <summary>Recorded before the provider was called; its answer is not known yet (a retry sends the same key).</summary>
    [JsonStringEnumMemberName("sending")] Sending,

    [JsonStringEnumMemberName("accepted")] Accepted,

    [JsonStringEnumMemberName("rejected")] Rejected,
}

/// <summary>An evidence file's description; its bytes are stored encrypted in the dispute file store.</summary>
public sealed record DisputeEvidenceFile
{
    public required string Id { get; init; }
    public required string FileName { get; init; }

    /// <summary>What the file's bytes are (sniffed): <c>application/pdf</c>, <c>image/png</c>, <c>image/jpeg</c>.</summary>
    public required string ContentType { get; init; }

    public required long Size { get; init; }

    /// <summary>Hex SHA-256 of the bytes: the same file uploaded twice is stored once.</summary>
    public required string Sha256 { get; init; }

    public required DateTimeOffset Created { get; init; }
}

/// <summary>An evidence file's bytes as stored: the vault blob and the record id it is bound to.</summary>
public sealed record StoredDisputeFile
{
    public required string Id { get; init; }
    public required string DisputeId { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }

    /// <summary>The vault ciphertext of the bytes (<see cref="Vault.CardVault.EncryptBytes"/>), bound to <see cref="Id"/>.</summary>
    public required string EncryptedContent { get; init; }

    public required DateTimeOffset Created { get; init; }
}
