using Polly.Timeout;

namespace PaymentGateway.Providers.Http;

/// <summary>
/// The one rule that turns what happened to a provider call into <see cref="ProviderErrorDisposition"/>, for every HTTP
/// adapter. Money first: only a request that never left may fail over (<see cref="ProviderErrorDisposition.Unavailable"/>
/// comes only from <see cref="ForException"/>, for a connection, name or TLS failure before anything was sent); every
/// answer after sending is either the provider's definite refusal (<see cref="ProviderErrorDisposition.Declined"/>) or
/// unknown (reconcile with the same idempotency key), whatever an adapter documents. A status lookup that fails is never
/// the provider's word about the payment: it is unknown too (<see cref="ForLookup"/>). Adapters do not decide this
/// themselves; a change of the rule is a change here.
/// </summary>
public static class ProviderErrorPolicy
{
    /// <summary>
    /// The shared status rule for an answer to a write: 400, 401, 403, 404, 422 and 429 are the provider's refusal of the
    /// request (nothing was done: declined, never failed over); 409, every 5xx and anything else may have been
    /// processed (outcome unknown).
    /// </summary>
    public static ProviderErrorDisposition ForStatus(int statusCode) => statusCode switch
    {
        400 or 401 or 403 or 404 or 422 or 429 => ProviderErrorDisposition.Declined,
        _ => ProviderErrorDisposition.OutcomeUnknown,
    };

    /// <summary>
    /// An error answer to a write: the provider's documented meaning of this error when it has one, else
    /// <see cref="ForStatus"/>. An answer came back, so the request was sent: "not processed" is never a result here
    /// (a documented <see cref="ProviderErrorDisposition.Unavailable"/> is unknown). A refusal judged by its status alone
    /// is unknown when an earlier attempt of the same call may have been processed (it timed out or was cut, then the
    /// retry was refused); a documented refusal (a card decline the provider replays) stays a decline.
    /// </summary>
    public static ProviderErrorDisposition ForAnswer(int statusCode, ProviderErrorDisposition? documented, bool mayHaveProcessed)
    {
        var disposition = documented ?? ForStatus(statusCode);
        if (disposition == ProviderErrorDisposition.Unavailable)
        {
            return ProviderErrorDisposition.OutcomeUnknown;
        }

        return disposition == ProviderErrorDisposition.Declined && documented is null && mayHaveProcessed
            ? ProviderErrorDisposition.OutcomeUnknown
            : disposition;
    }

    /// <summary>
    /// An error answer to a status lookup (sync, a 3-D Secure return read, a search): whatever the status (400, 404,
    /// 5xx) or body, a failed lookup is not the provider's word about the payment, so its outcome stays unknown and the
    /// reconciler backs off and asks again.
    /// </summary>
    public static ProviderErrorDisposition ForLookup(int statusCode)
    {
        _ = statusCode;
        return ProviderErrorDisposition.OutcomeUnknown;
    }

    /// <summary>
    /// A call that ended in an exception: unavailable only when no attempt can have reached the provider (the
    /// connection was never made, the name did not resolve, the TLS handshake failed), else the outcome is unknown (a
    /// timeout or a connection cut after the request started).
    /// </summary>
    public static ProviderErrorDisposition ForException(Exception exception, bool mayHaveProcessed) =>
        !mayHaveProcessed && WasNotSent(exception) ? ProviderErrorDisposition.Unavailable : ProviderErrorDisposition.OutcomeUnknown;

    /// <summary>
    /// True for an attempt that failed before anything was sent: the connection was refused or could not be made, the
    /// host name did not resolve, or the TLS handshake failed (the request is written only after it).
    /// </summary>
    public static bool WasNotSent(Exception exception) =>
        exception is HttpRequestException
        {
            HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError,
        };

    /// <summary>The exceptions a provider call can end in that the policy classifies (anything else is a bug and propagates).</summary>
    public static bool IsTransportFailure(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or OperationCanceledException;
}
