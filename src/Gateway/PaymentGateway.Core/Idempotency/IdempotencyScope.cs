using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Idempotency;

/// <summary>
/// How the transport serving a request writes a payment answer (the resource, or an error such as a decline), so the
/// commit that ends the request can store exactly the response the client will get.
/// </summary>
public interface IPaymentAnswerRenderer
{
    /// <summary>
    /// The answer carrying <paramref name="payment"/>; <paramref name="json"/> is its API JSON when an event of the same
    /// commit already serialized this very resource (null otherwise), for a transport that answers in that JSON.
    /// </summary>
    IdempotentResponse Render(PaymentResource payment, string? json);

    IdempotentResponse Render(GatewayException error);
}

/// <summary>
/// A request with an idempotency key, in progress on this async flow (<see cref="Current"/>, entered by the transport
/// for the duration of the request).
/// <para>
/// Deferred claim: for endpoints that allow it (<see cref="IdempotencyService.ClaimAsync"/> with a deferred claim), a key that does not exist
/// yet is not written on its own. Its claim rides in the request's first commit (<see cref="ForCommit"/>, attached by
/// <see cref="Payments.PaymentWriter"/>): the key and the request's first change land together or not at all, and if
/// another request (on any node) wrote the key first, the commit fails whole with
/// <see cref="IdempotencyKeyTakenException"/> and the request is answered as if it had come second. Nothing before
/// that commit may have an effect outside the request, which is why only flows that write first through the
/// payment writer defer (the others call <see cref="IdempotencyService.EnsureClaimedAsync"/> first).
/// </para>
/// <para>
/// Response in the last commit: when the transport gave a <see cref="Renderer"/>, the commit that ends the request
/// stores the rendered answer too. The transport then compares what it sent with <see cref="StoredResponse"/> and only
/// writes the response itself when they differ. A keyed one-shot payment is two commits instead of four.
/// </para>
/// </summary>
public sealed class IdempotencyScope
{
    private static readonly AsyncLocal<IdempotencyScope?> Ambient = new();

    internal IdempotencyScope(IdempotencyBeginRequest request, string recoverySeed, bool isFirstUse, bool claimWritten)
    {
        Request = request;
        RecoverySeed = recoverySeed;
        IsFirstUse = isFirstUse;
        ClaimWritten = claimWritten;
    }

    /// <summary>The keyed request running on this async flow, or null.</summary>
    public static IdempotencyScope? Current => Ambient.Value;

    public string MerchantId => Request.MerchantId;

    public string Key => Request.Key;

    /// <summary>The seed reserved for the key; create endpoints derive the new object's id from it.</summary>
    public string RecoverySeed { get; }

    /// <summary>The seed was made for this request: no object exists yet under an id derived from it, so a create need not look for one.</summary>
    public bool IsFirstUse { get; }

    /// <summary>The key's row is written: claimed by a commit of its own, or carried by a commit of this request.</summary>
    public bool ClaimWritten { get; private set; }

    /// <summary>How this transport writes a payment answer; null when the request's last commit does not carry its response.</summary>
    public IPaymentAnswerRenderer? Renderer { get; set; }

    /// <summary>The response a commit of this request stored, or null.</summary>
    public IdempotentResponse? StoredResponse { get; private set; }

    internal IdempotencyBeginRequest Request { get; }

    /// <summary>Makes this the <see cref="Current"/> scope until the result is disposed.</summary>
    public IDisposable Enter()
    {
        var previous = Ambient.Value;
        Ambient.Value = this;
        return new Exit(previous);
    }

    /// <summary>
    /// The key's writes for a commit this request is about to make: the claim while it is unwritten, and with
    /// <paramref name="answer"/> (the commit ends the request) the rendered response. Null when there is nothing to add.
    /// Call <see cref="Committed"/> once the commit succeeded.
    /// </summary>
    public IdempotencyKeyChanges? ForCommit(Func<IPaymentAnswerRenderer, IdempotentResponse>? answer)
    {
        var response = answer is not null && Renderer is { } renderer ? answer(renderer) : null;
        if (ClaimWritten && response is null)
        {
            return null;
        }

        return new IdempotencyKeyChanges
        {
            MerchantId = Request.MerchantId,
            Key = Request.Key,
            Claim = ClaimWritten ? null : new IdempotencyKeyClaim(Request.RequestHash, RecoverySeed, Request.Now + Request.LockDuration, Request.Now),
            Response = response,
        };
    }

    /// <summary>A commit carrying <paramref name="changes"/> succeeded.</summary>
    public void Committed(IdempotencyKeyChanges? changes)
    {
        if (changes is null)
        {
            return;
        }

        ClaimWritten = true;
        StoredResponse = changes.Response ?? StoredResponse;
    }

    private sealed class Exit(IdempotencyScope? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
