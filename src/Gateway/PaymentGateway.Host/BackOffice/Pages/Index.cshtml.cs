using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>The console's home: who you are and what your grants allow. The back office's part 2 puts the dashboard here.</summary>
public sealed class IndexModel : ConsolePageModel
{
    public void OnGet()
    {
    }

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
