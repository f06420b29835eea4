using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Core.Storage;

/// <summary>Merchants, their API keys and the gateway's settings.</summary>
public interface IMerchantStore
{
    Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken);

    Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken);
}
