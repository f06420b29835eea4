using System.Text.Json;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>The one mapping from error kinds to HTTP, and the writer of RFC 9457 problem responses.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidRequest => StatusCodes.Status400BadRequest,
        ErrorKind.Authentication => StatusCodes.Status401Unauthorized,
        ErrorKind.CardDeclined => StatusCodes.Status402PaymentRequired,
        ErrorKind.PermissionDenied => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorKind.ProviderUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static string TitleFor(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidRequest => "Invalid request",
        ErrorKind.Authentication => "Authentication failed",
        ErrorKind.CardDeclined => "Card declined",
        ErrorKind.PermissionDenied => "Permission denied",
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.PayloadTooLarge => "Request too large",
        ErrorKind.Unprocessable => "Unprocessable request",
        ErrorKind.RateLimited => "Too many requests",
        ErrorKind.ProviderUnavailable => "Provider unavailable",
        ErrorKind.Gone => "Gone",
        _ => "Internal error",
    };

    public static ProblemResource From(GatewayException e, string? requestId) => new()
    {
        Type = $"urn:paymentgateway:error:{e.Code}",
        Title = TitleFor(e.Kind),
        Status = StatusFor(e.Kind),
        Detail = e.Message,
        Code = e.Code,
        Param = e.Param,
        DeclineCode = e.DeclineCode,
        RequestId = requestId,
        Payment = e.Resource as PaymentResource,
    };

    public static async Task WriteAsync(HttpContext context, GatewayException e)
    {
        var problem = From(e, context.GetRequestId());
        context.Response.StatusCode = problem.Status;
        context.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, ApiJson.Context.ProblemResource, context.RequestAborted);
    }
}
