namespace PaymentGateway.Host.Checkout;

/// <summary>
/// Security headers on every response: <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: no-referrer</c>, and
/// clickjacking protection (<c>Content-Security-Policy: frame-ancestors 'none'</c> + <c>X-Frame-Options: DENY</c>)
/// unless the endpoint set its own policy (the checkout page frames only for the session's allowed origins).
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (!headers.ContainsKey("Referrer-Policy"))
            {
                headers["Referrer-Policy"] = "no-referrer";
            }

            var policy = headers.ContentSecurityPolicy.ToString();
            if (policy.Length == 0)
            {
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                headers.XFrameOptions = "DENY";
            }
            else if (policy.Contains("frame-ancestors 'none'", StringComparison.Ordinal))
            {
                headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
