namespace PaymentGateway.Providers;

/// <summary>
/// Answering a dispute through the provider: submit the merchant's evidence, or accept (concede) the dispute. Optional:
/// a provider without it is answered in its own dashboard. Like every flow, an answer that is not the provider's
/// definite word throws <see cref="ProviderOutcomeUnknownException"/> (the gateway retries with the same idempotency
/// key) or <see cref="ProviderUnavailableException"/>.
/// </summary>
public interface IDisputeFlow
{
    /// <summary>Sends the evidence (text fields and files) and submits it to the issuer.</summary>
    Task<DisputeResponseResult> SubmitEvidenceAsync(SubmitDisputeEvidenceRequest request, CancellationToken cancellationToken);

    /// <summary>Accepts the dispute: the merchant will not defend it.</summary>
    Task<DisputeResponseResult> AcceptDisputeAsync(AcceptDisputeRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Reading disputes from a provider that has a disputes API, so a notification that never arrived is still found
/// (the reconciler polls it). Optional. Both calls return <see cref="DisputeNotification"/>s with
/// <see cref="DisputeNotification.SnapshotEventCode"/> (or the provider's event code, for a provider whose API lists events).
/// </summary>
public interface IDisputeSyncFlow
{
    /// <summary>Disputes created or changed since the cursor (or, on the first call, since <see cref="ListProviderDisputesRequest.Since"/>), oldest first.</summary>
    Task<DisputeSyncPage> ListDisputesAsync(ListProviderDisputesRequest request, CancellationToken cancellationToken);

    /// <summary>The current state of one dispute, or null when the provider does not know it.</summary>
    Task<DisputeNotification?> GetDisputeAsync(GetProviderDisputeRequest request, CancellationToken cancellationToken);
}

/// <summary>Submit evidence for a dispute.</summary>
public sealed record SubmitDisputeEvidenceRequest
{
    /// <summary>The merchant's account at the provider; null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway's dispute id (<c>dp_…</c>).</summary>
    public required string DisputeId { get; init; }

    /// <summary>The provider's dispute id.</summary>
    public required string ProviderDisputeId { get; init; }

    /// <summary>The provider's reference of the disputed payment, when known.</summary>
    public string? ProviderPaymentReference { get; init; }

    /// <summary>Derived and stable for this dispute's stage: every retry of the same submission sends the same key.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>
    /// The text evidence by the gateway's field name (Stripe's set: <c>product_description</c>,
    /// <c>shipping_tracking_number</c>, <c>uncategorized_text</c>, …); only fields the merchant filled in.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Evidence { get; init; }

    /// <summary>The evidence files, decrypted for this call only, each under the evidence field it supports (<c>receipt</c>, <c>shipping_documentation</c>, …).</summary>
    public required IReadOnlyList<DisputeEvidenceDocument> Documents { get; init; }

    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>One evidence file as sent to a provider.</summary>
public sealed record DisputeEvidenceDocument
{
    /// <summary>The evidence field it supports (<c>receipt</c>, <c>customer_communication</c>, <c>uncategorized_file</c>, …).</summary>
    public required string Field { get; init; }

    /// <summary>The file name the merchant gave (sanitized).</summary>
    public required string FileName { get; init; }

    /// <summary><c>application/pdf</c>, <c>image/png</c> or <c>image/jpeg</c>, from the file's own bytes.</summary>
    public required string ContentType { get; init; }

    /// <summary>The file's bytes.</summary>
    public required ReadOnlyMemory<byte> Content { get; init; }
}

/// <summary>Accept a dispute.</summary>
public sealed record AcceptDisputeRequest
{
    /// <summary>The merchant's account at the provider; null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The gateway's dispute id (<c>dp_…</c>).</summary>
    public required string DisputeId { get; init; }

    /// <summary>The provider's dispute id.</summary>
    public required string ProviderDisputeId { get; init; }

    /// <summary>Derived and stable for this dispute.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>What the provider said to a submission or an acceptance.</summary>
public sealed record DisputeResponseResult
{
    /// <summary>Taken, or refused for good.</summary>
    public required DisputeResponseOutcome Outcome { get; init; }

    /// <summary>Why the provider refused, safe to show (no evidence contents).</summary>
    public string? Message { get; init; }

    /// <summary>The provider's status of the dispute after the call, verbatim, when it answers with one.</summary>
    public string? ProviderStatus { get; init; }
}

/// <summary>The provider's definite word on a dispute response.</summary>
public enum DisputeResponseOutcome
{
    /// <summary>The provider took the evidence (or the acceptance).</summary>
    Accepted,

    /// <summary>The provider refused it (the deadline passed at the provider, the dispute cannot be defended, a file was refused).</summary>
    Rejected,
}

/// <summary>List the provider's disputes changed since a point.</summary>
public sealed record ListProviderDisputesRequest
{
    /// <summary>The merchant's account at the provider; null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The cursor the previous page returned; null on the first call.</summary>
    public string? Cursor { get; init; }

    /// <summary>Where the first call starts (the gateway remembers cursors after that).</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>The most disputes to return.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}

/// <summary>One page of a provider's disputes.</summary>
public sealed record DisputeSyncPage
{
    /// <summary>The disputes' states (or events), oldest first.</summary>
    public required IReadOnlyList<DisputeNotification> Disputes { get; init; }

    /// <summary>Where the next call continues; null to keep the one passed in.</summary>
    public string? NextCursor { get; init; }

    /// <summary>Whether another page is ready now.</summary>
    public bool HasMore { get; init; }
}

/// <summary>Read one dispute.</summary>
public sealed record GetProviderDisputeRequest
{
    /// <summary>The merchant's account at the provider; null for the simulator.</summary>
    public ProviderAccount? Account { get; init; }

    /// <summary>The provider's dispute id.</summary>
    public required string ProviderDisputeId { get; init; }

    /// <summary>The provider's reference of the disputed payment, when known (Mollie reads a chargeback under its payment).</summary>
    public string? ProviderPaymentReference { get; init; }

    /// <summary>Whether this is test mode.</summary>
    public bool TestMode { get; init; }
}
