using PaymentGateway.Core.Diagnostics;
using Sentry;

namespace PaymentGateway.Host.Observability;

/// <summary>Scrubs card data and secrets from Sentry events and breadcrumbs before they leave the process.</summary>
public static class SentryScrubber
{
    public static SentryEvent Scrub(SentryEvent sentryEvent)
    {
        ArgumentNullException.ThrowIfNull(sentryEvent);
        if (sentryEvent.Message is { } message)
        {
            sentryEvent.Message = new SentryMessage
            {
                Message = Redactor.Redact(message.Message),
                Formatted = Redactor.Redact(message.Formatted),
            };
        }

        foreach (var exception in sentryEvent.SentryExceptions ?? [])
        {
            exception.Value = Redactor.Redact(exception.Value);
        }

        foreach (var key in sentryEvent.Extra.Keys.ToList())
        {
            sentryEvent.SetExtra(key, Redactor.RedactProperty(key, sentryEvent.Extra[key]));
        }

        foreach (var key in sentryEvent.Tags.Keys.ToList())
        {
            sentryEvent.SetTag(key, Redactor.RedactProperty(key, sentryEvent.Tags[key]));
        }

        if (sentryEvent.Request is { } request)
        {
            request.Data = null;
            request.Cookies = null;
            request.QueryString = Redactor.Redact(request.QueryString);
            foreach (var header in request.Headers.Keys.ToList())
            {
                request.Headers[header] = Redactor.RedactProperty(header, request.Headers[header]);
            }
        }

        return sentryEvent;
    }

    public static Breadcrumb Scrub(Breadcrumb breadcrumb)
    {
        ArgumentNullException.ThrowIfNull(breadcrumb);
        var data = breadcrumb.Data?.ToDictionary(kv => kv.Key, kv => Redactor.RedactProperty(kv.Key, kv.Value));
        return new Breadcrumb(Redactor.Redact(breadcrumb.Message), breadcrumb.Type ?? "default", data, breadcrumb.Category, breadcrumb.Level);
    }
}
