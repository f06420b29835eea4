using Polly.Timeout;

namespace PaymentGateway.Providers.Http;

/// <summary>
/// The one rule that turns what happened to a provider call into <see cref="ProviderErrorDisposition"/>, for every HTTP
/// adapter: an exception before or after sending (<see cref="ForException"/>), and an error answer by its status
/// (<see cref="ForStatus"/>) unless the provider documents that error to mean something else
/// (<see cref="ProviderHttpTransport.ReadError"/>). Adapters do not decide this themselves; a change of the rule is a
/// change here.
/// </summary>
public static class ProviderErrorPolicy
{
    /// <summary>
    /// The shared status rule. 400, 404, 422: the provider refused the request (declined). 401, 403, 429, 502, 503:
    /// the provider did not process it (unavailable). 500, 504, 409 and anything else: it may have (outcome unknown).
    /// </summary>
    public static ProviderErrorDisposition ForStatus(int statusCode) => statusCode switch
    {
        400 or 404 or 422 => ProviderErrorDisposition.Declined,
        401 or 403 or 429 or 502 or 503 => ProviderErrorDisposition.Unavailable,
        _ => ProviderErrorDisposition.OutcomeUnknown,
    };

    /// <summary>
    /// An error answer: the provider's documented meaning of this error when it has one, else <see cref="ForStatus"/>.
    /// "Not processed" becomes unknown when an earlier attempt of the same call may have been processed (it timed out
    /// or was cut, then the retry was refused).
    /// </summary>
    public static ProviderErrorDisposition ForAnswer(int statusCode, ProviderErrorDisposition? documented, bool mayHaveProcessed)
    {
        var disposition = documented ?? ForStatus(statusCode);
        return disposition == ProviderErrorDisposition.Unavailable && mayHaveProcessed ? ProviderErrorDisposition.OutcomeUnknown : disposition;
    }

    /// <summary>
    /// A call that ended in an exception: unavailable only when no attempt can have reached the provider (the
    /// connection was never made or the name did not resolve), else the outcome is unknown (a timeout or a connection
    /// cut after the request started).
    /// </summary>
    public static ProviderErrorDisposition ForException(Exception exception, bool mayHaveProcessed) =>
        !mayHaveProcessed && WasNotSent(exception) ? ProviderErrorDisposition.Unavailable : ProviderErrorDisposition.OutcomeUnknown;

    /// <summary>True for an attempt that failed before anything was sent.</summary>
    public static bool WasNotSent(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>The exceptions a provider call can end in that the policy classifies (anything else is a bug and propagates).</summary>
    public static bool IsTransportFailure(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or OperationCanceledException;
}
