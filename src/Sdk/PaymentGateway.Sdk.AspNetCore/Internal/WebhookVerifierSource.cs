using Microsoft.Extensions.Options;
using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Sdk.AspNetCore;

/// <summary>The verifier for the current options; rebuilt when the options change (a reloaded configuration).</summary>
internal sealed class WebhookVerifierSource(IOptionsMonitor<PaymentGatewayWebhookOptions> options, TimeProvider timeProvider)
{
    private (PaymentGatewayWebhookOptions Options, WebhookVerifier Verifier)? _current;

    public PaymentGatewayWebhookOptions Options => options.CurrentValue;

    public WebhookVerifier Verifier
    {
        get
        {
            var value = options.CurrentValue;
            var current = _current;
            if (current is { } c && ReferenceEquals(c.Options, value))
            {
                return c.Verifier;
            }

            var verifier = new WebhookVerifier(value.Secrets, value.Tolerance, timeProvider);
            _current = (value, verifier);
            return verifier;
        }
    }
}

/// <summary>Checks the options when the host starts, so a missing or malformed secret fails at start rather than at the first webhook.</summary>
internal sealed class PaymentGatewayWebhookOptionsValidator : IValidateOptions<PaymentGatewayWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentGatewayWebhookOptions options)
    {
        var errors = new List<string>();
        if (options.Secrets is not { Count: > 0 })
        {
            errors.Add("PaymentGatewayWebhookOptions.Secrets needs at least one endpoint secret (whsec_…).");
        }
        else
        {
            for (var i = 0; i < options.Secrets.Count; i++)
            {
                try
                {
                    _ = new WebhookVerifier(options.Secrets[i]);
                }
                catch (ArgumentException)
                {
                    // Never echo the secret itself.
                    errors.Add($"PaymentGatewayWebhookOptions.Secrets[{i}] is not a webhook secret ('whsec_' followed by base64).");
                }
            }
        }

        if (options.Tolerance < TimeSpan.Zero)
        {
            errors.Add("PaymentGatewayWebhookOptions.Tolerance must not be negative.");
        }

        if (options.MaxBodySize <= 0)
        {
            errors.Add("PaymentGatewayWebhookOptions.MaxBodySize must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
