namespace PaymentGateway.Core.BackOffice;

/// <summary>Something a console user may do. Services demand one through <see cref="ConsoleCaller.Demand"/>; pages never decide.</summary>
public enum ConsolePermission
{
    ViewPayments,
    CapturePayments,
    CancelPayments,
    RefundPayments,
    RespondToDisputes,
    ViewEvents,
    ResendWebhooks,
    ManageWebhooks,
    ManageApiKeys,
    ViewLogs,
    ViewReports,
    ExportData,
    ManageProviderAccounts,
    ManageRouting,
    ManageUsers,
    ViewAudit,
    ManageCustomers,

    /// <summary>Credit an unmatched bank statement entry to a bank-transfer payment by hand (reconciliation).</summary>
    MatchBankTransfers,
}

/// <summary>The role × permission matrix: the one place that says who may do what.</summary>
public static class ConsolePermissions
{
    private static readonly Dictionary<ConsoleRole, HashSet<ConsolePermission>> Matrix = new()
    {
        [ConsoleRole.Owner] = [.. Enum.GetValues<ConsolePermission>()],
        [ConsoleRole.Developer] =
        [
            ConsolePermission.ViewPayments, ConsolePermission.ViewEvents, ConsolePermission.ResendWebhooks, ConsolePermission.ManageWebhooks,
            ConsolePermission.ManageApiKeys, ConsolePermission.ViewLogs,
        ],
        [ConsoleRole.Support] =
        [
            ConsolePermission.ViewPayments, ConsolePermission.CapturePayments, ConsolePermission.CancelPayments, ConsolePermission.RefundPayments,
            ConsolePermission.RespondToDisputes, ConsolePermission.ViewEvents, ConsolePermission.ResendWebhooks, ConsolePermission.ManageCustomers,
        ],
        [ConsoleRole.Finance] =
        [
            ConsolePermission.ViewPayments, ConsolePermission.ViewEvents, ConsolePermission.ViewLogs, ConsolePermission.ViewReports,
            ConsolePermission.ExportData, ConsolePermission.ViewAudit, ConsolePermission.MatchBankTransfers,
        ],
        [ConsoleRole.Viewer] = [ConsolePermission.ViewPayments, ConsolePermission.ViewEvents],
    };

    public static bool Allows(this ConsoleRole role, ConsolePermission permission) => Matrix[role].Contains(permission);

    public static IReadOnlySet<ConsolePermission> For(ConsoleRole role) => Matrix[role];
}
