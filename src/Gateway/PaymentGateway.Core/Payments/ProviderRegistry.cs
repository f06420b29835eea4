using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>The provider adapters registered in DI, by id, and the choice of provider for a payment.</summary>
public sealed class ProviderRegistry(IEnumerable<IPaymentProvider> providers)
{
    public const string SimulatorId = "simulator";

    private readonly Dictionary<string, IPaymentProvider> _byId = providers.ToDictionary(p => p.Id, StringComparer.Ordinal);

    /// <summary>Whether an adapter with this id is registered.</summary>
    public bool IsRegistered(string id) => _byId.ContainsKey(id);

    /// <summary>
    /// Whether the adapter takes this payment method type (bank transfers also need its <see cref="IBankTransferProvider"/>
    /// flow); false for an id that is not registered.
    /// </summary>
    public bool SupportsMethod(string providerId, string type) =>
        _byId.TryGetValue(providerId, out var provider)
        && provider.Capabilities.PaymentMethodTypes.Contains(type)
        && (type != PaymentMethodTypes.BankTransfer || provider is IBankTransferProvider);

    public IPaymentProvider Get(string id) =>
        _byId.TryGetValue(id, out var provider)
            ? provider
            : throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderNotConfigured, $"Provider '{id}' is not configured.", "provider");

    public TFlow GetFlow<TFlow>(string id)
        where TFlow : class =>
        Get(id) as TFlow
        ?? throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderNotConfigured, $"Provider '{id}' does not support this operation.", "provider");

    /// <summary>Without routing rules: test mode reaches only the simulator; live mode has no provider (routing rules choose provider accounts).</summary>
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

        // Live mode without routing rules: adapters need a merchant's provider account, which only routing supplies.
        _ = currency;
        if (requested == SimulatorId)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Live-mode payments cannot use the simulator.", "provider");
        }

        throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderNotConfigured,
            "No live provider is configured for this merchant: create a live provider account and a routing rule (docs/providers.md).", "provider");
    }
}
