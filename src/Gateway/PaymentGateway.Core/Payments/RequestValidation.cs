using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// The input rules every service applies to money, metadata, free text and URLs from the API. Each rule throws the
/// 400 problem (<see cref="GatewayException"/>) naming the parameter; none of them writes anything.
/// </summary>
public static class RequestValidation
{
    public const int MaxMetadataKeys = 50;

    /// <summary>Amount and currency against the currency table and <paramref name="maxAmount"/>.</summary>
    public static Money Money(long? amount, string? currencyCode, string amountParam, long maxAmount)
    {
        if (amount is not { } minorUnits)
        {
            throw GatewayException.Missing(amountParam);
        }

        if (minorUnits <= 0)
        {
            throw GatewayException.Invalid(ErrorCodes.AmountInvalid, $"{amountParam} must be a positive integer in minor units.", amountParam);
        }

        if (minorUnits > maxAmount)
        {
            throw GatewayException.Invalid(ErrorCodes.AmountTooLarge, $"{amountParam} must be at most {maxAmount}.", amountParam);
        }

        if (currencyCode is null)
        {
            throw GatewayException.Missing("currency");
        }

        return Currency.TryFind(currencyCode, out var currency)
            ? new Money(minorUnits, currency)
            : throw GatewayException.Invalid(ErrorCodes.CurrencyUnsupported, $"'{Clip(currencyCode, 8)}' is not a supported ISO 4217 currency.", "currency");
    }

    /// <summary>At most <see cref="MaxMetadataKeys"/> keys of 1 to 40 characters, each value a string of at most 500.</summary>
    public static void Metadata(Dictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > MaxMetadataKeys)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"metadata can have at most {MaxMetadataKeys} keys.", "metadata");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > 40)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "metadata keys must be 1 to 40 characters.", "metadata");
            }

            if (value is null || value.Length > 500)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "metadata values must be strings of at most 500 characters.", $"metadata[{key}]");
            }
        }
    }

    /// <summary>Absent, or at most <paramref name="max"/> characters.</summary>
    public static void Text(string? value, string param, int max)
    {
        if (value is not null && value.Length > max)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} must be at most {max} characters.", param);
        }
    }

    /// <summary>Absent, or an absolute http(s) URL of at most 2048 characters.</summary>
    public static void Url(string? value, string param)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > 2048 || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} must be an absolute http(s) URL.", param);
        }
    }

    /// <summary>A caller's value shortened for an error message.</summary>
    internal static string Clip(string value, int max) => value.Length > max ? value[..max] : value;
}
