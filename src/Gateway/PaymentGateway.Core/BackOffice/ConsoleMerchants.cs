using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>The merchant pickers of the console pages.</summary>
public static class ConsoleMerchants
{
    /// <summary>
    /// The merchants on which the caller's role allows <paramref name="permission"/>, by name (403 when it allows it on
    /// none).
    /// </summary>
    public static async Task<IReadOnlyList<Merchant>> AllowingAsync(IMerchantStore merchants, ConsoleCaller caller, ConsolePermission permission, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(merchants);
        ArgumentNullException.ThrowIfNull(caller);
        caller.DemandAnywhere(permission);
        var scope = caller.MerchantsAllowing(permission);
        var all = await merchants.ListMerchantsAsync(ct).ConfigureAwait(false);
        return all.Where(m => scope is null || scope.Contains(m.Id)).OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
    }
}
