using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>The provider adapters registered in DI, by id, and the choice of provider for a payment.</summary>
public sealed class ProviderRegistry(IEnumerable<IPaymentProvider> providers)
{
    public const string SimulatorId = "simulator";

    private readonly Dictionary<string, IPaymentProvider> _byId = providers.ToDictionary(p => p.Id, StringComparer.Ordinal);

    public IPaymentProvider Get(string id) =>
        _byId.TryGetValue(id, out var provider)
            ? provider
            : throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderNotConfigured, $"Provider '{id}' is not configured.", "provider");

    public TFlow GetFlow<TFlow>(string id)
        where TFlow : class =>
        Get(id) as TFlow
        ?? throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderNotConfigured, $"Provider '{id}' does not support this operation.", "provider");

    /// <summary>Test mode reaches only the simulator. Live mode needs a configured live provider (the provider adapters issue adds routing).</summary>
    public string Choose(bool livemode, string? requested, string currency)
    {
        if (!livemode)
        {
            if (requested is not null && requested != SimulatorId)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Test-mode keys reach only the 'simulator' provider.", "provider");
            }

            return SimulatorId;
        }

        var candidate = requested ?? _byId.Keys.FirstOrDefault(id => id != SimulatorId)
            ?? throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderNotConfigured, "No live provider is configured for this merchant.", "provider");
        if (candidate == SimulatorId)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Live-mode payments cannot use the simulator.", "provider");
        }

        var provider = Get(candidate);
        if (!provider.Capabilities.SupportsCurrency(currency))
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.CurrencyUnsupported, $"Provider '{candidate}' does not support {currency}.", "currency");
        }

        return candidate;
    }
}
