using Microsoft.Extensions.Options;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>Fails start-up on a proxy address or network that does not parse, naming the setting and the entry.</summary>
internal sealed class TrustedProxyOptionsValidator : IValidateOptions<TrustedProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
