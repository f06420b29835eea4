using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>The console's home: a merchant's day and week (volume, count, approval rate), recent failures, webhook health and provider circuits; who you are and what your grants allow.</summary>
public sealed class IndexModel(ConsolePaymentService payments, ConsoleHomeService home) : ConsolePageModel
{
    public IReadOnlyList<PaymentGateway.Core.Merchants.Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    public bool Livemode { get; private set; }

    public ConsoleHome? Home { get; private set; }

    public async Task OnGetAsync(string? merchant, string? mode)
    {
        var ct = HttpContext.RequestAborted;
        if (!Caller.CanAnywhere(ConsolePermission.ViewPayments))
        {
            return;
        }

        Merchants = await payments.MerchantsAsync(Caller, ct);
        MerchantId = string.IsNullOrWhiteSpace(merchant) ? Merchants.FirstOrDefault()?.Id : merchant.Trim();
        Livemode = mode == "live";
        if (MerchantId is not null)
        {
            Home = await home.GetAsync(Caller, MerchantId, Livemode, ct);
        }
    }

    public static string Rate(double? rate) => rate is { } r ? (r * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "—";

    public static string Describe(ConsolePermission permission) => permission switch
    {
        ConsolePermission.ViewPayments => "view payments",
        ConsolePermission.CapturePayments => "capture",
        ConsolePermission.CancelPayments => "cancel",
        ConsolePermission.RefundPayments => "refund",
        ConsolePermission.ViewEvents => "events",
        ConsolePermission.ResendWebhooks => "resend webhooks",
        ConsolePermission.ManageWebhooks => "manage webhooks",
        ConsolePermission.ManageApiKeys => "API keys",
        ConsolePermission.ViewLogs => "logs",
        ConsolePermission.ViewReports => "reports",
        ConsolePermission.ExportData => "exports",
        ConsolePermission.ManageProviderAccounts => "provider accounts",
        ConsolePermission.ManageRouting => "routing rules",
        ConsolePermission.ManageUsers => "team",
        _ => "audit log",
    };
}
