using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>A section of the console in the main navigation, shown to a user some grant of whom allows <see cref="Permission"/> (null: everyone signed in).</summary>
public sealed record ConsoleNavItem(string Title, string Path, ConsolePermission? Permission);

/// <summary>
/// The console's sections, in navigation order. The pages of the back office's part 2 (Payments, Developers, Settings…)
/// add their entries here; showing an entry is a convenience — each page's service checks the permission itself.
/// </summary>
public static class ConsoleNavigation
{
    public static IReadOnlyList<ConsoleNavItem> Items { get; } =
    [
        new("Home", "/console", null),
        new("Payments", "/console/payments", ConsolePermission.ViewPayments),
        new("Refunds", "/console/refunds", ConsolePermission.ViewPayments),
        new("Customers", "/console/customers", ConsolePermission.ViewPayments),
        new("Bank transfers", "/console/bank-transfers", ConsolePermission.ViewPayments),
        new("Direct debits", "/console/direct-debits", ConsolePermission.ViewPayments),
        new("Disputes", "/console/disputes", ConsolePermission.ViewPayments),
        new("Reports", "/console/reports", ConsolePermission.ViewReports),
        new("Team", "/console/team", ConsolePermission.ManageUsers),
        new("Audit log", "/console/audit", ConsolePermission.ViewAudit),
        new("API keys", "/console/developers/api-keys", ConsolePermission.ManageApiKeys),
        new("Webhooks", "/console/developers/webhooks", ConsolePermission.ViewEvents),
        new("Events", "/console/events", ConsolePermission.ViewEvents),
        new("Provider accounts", "/console/settings/provider-accounts", ConsolePermission.ManageProviderAccounts),
        new("Routing", "/console/settings/routing", ConsolePermission.ManageRouting),
        new("Account", "/console/account", null),
    ];

    public static IEnumerable<ConsoleNavItem> For(ConsoleCaller caller) =>
        Items.Where(i => i.Permission is not { } p || caller.CanAnywhere(p));

    /// <summary>True when <paramref name="path"/> is this item's page or below it (Home only for itself).</summary>
    public static bool IsCurrent(ConsoleNavItem item, PathString path) =>
        item.Path == "/console" ? path.Value?.TrimEnd('/') == "/console" : path.StartsWithSegments(item.Path, StringComparison.OrdinalIgnoreCase);
}
