using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>
/// The merchant a console user works on. A user scoped to several merchants (or a platform owner, who reaches all)
/// picks one; the choice is checked here against the caller's grants as stored now — a merchant outside them, or one
/// that does not exist, is refused 403 and the attempt is audited (<c>console.merchant.select</c>, refused). The page
/// keeps the choice in a cookie and asks <see cref="Current"/> on every request, so a revoked grant stops applying at once.
/// </summary>
public sealed class ConsoleMerchantSelection(IMerchantStore merchants, IAuditStore audit, TimeProvider time)
{
    public const string SelectAction = "console.merchant.select";

    /// <summary>The merchants the caller may pick, by name: every merchant for a platform grant, else those their grants name.</summary>
    public async Task<IReadOnlyList<Merchant>> ChoicesAsync(ConsoleCaller caller, CancellationToken ct)
    {
        if (caller.Grants.Any(g => g.IsPlatform))
        {
            return [.. (await merchants.ListMerchantsAsync(ct).ConfigureAwait(false)).OrderBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase)];
        }

        var found = new List<Merchant>();
        foreach (var id in caller.Grants.Select(g => g.MerchantId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await merchants.GetMerchantAsync(id, ct).ConfigureAwait(false) is { } merchant)
            {
                found.Add(merchant);
            }
        }

        return [.. found.OrderBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Checks that the caller may work on <paramref name="merchantId"/> and that it exists; else audits the refusal and throws 403.</summary>
    public async Task<Merchant> SelectAsync(ConsoleCaller caller, string? merchantId, CancellationToken ct)
    {
        var merchant = string.IsNullOrEmpty(merchantId) || merchantId.Length > 100 || !caller.GrantsFor(merchantId).Any()
            ? null
            : await merchants.GetMerchantAsync(merchantId, ct).ConfigureAwait(false);
        if (merchant is null)
        {
            await audit.AppendAsync([new AuditRecord
            {
                Created = time.GetUtcNow(),
                Action = SelectAction,
                Outcome = AuditOutcomes.Refused,
                Actor = caller.Actor(null),
                TargetType = "merchant",
                TargetId = merchantId is { Length: <= 100 } ? merchantId : merchantId?[..100],
                After = new Dictionary<string, string?>(StringComparer.Ordinal) { ["reason"] = "not_in_scope" },
                Context = caller.Context,
            }], ct).ConfigureAwait(false);
            throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.ConsolePermissionDenied, "You do not work on this merchant.");
        }

        return merchant;
    }

    /// <summary>
    /// The merchant the caller works on now: the remembered choice if their grants still reach it, else their only
    /// merchant, else null (several to choose from, or a platform owner who has not chosen: "all merchants").
    /// </summary>
    public static string? Current(ConsoleCaller caller, string? remembered)
    {
        if (!string.IsNullOrEmpty(remembered) && caller.GrantsFor(remembered).Any())
        {
            return remembered;
        }

        if (caller.Grants.Any(g => g.IsPlatform))
        {
            return null;
        }

        var named = caller.Grants.Select(g => g.MerchantId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return named.Count == 1 ? named[0] : null;
    }
}
