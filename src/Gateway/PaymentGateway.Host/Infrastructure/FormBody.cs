using PaymentGateway.Core;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>Reads a form body (the simulator's challenge page posts one) with a 400 for every way it can be malformed.</summary>
public static class FormBody
{
    /// <summary>The form, or null when the request is not a form post.</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await http.Request.ReadFormAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            // A multipart body without a boundary or cut short, more values than the form limits allow: the body was
            // read whole by RequestContextMiddleware, so this is the content, not the connection.
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "The form body could not be read: malformed, or over the form limits (1,024 values).");
        }
    }
}
