using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Core.Customers;

/// <summary>Configuration section <c>PaymentGateway:Customers</c>: the <c>payment_method.expiring</c> notices.</summary>
public sealed class CustomerOptions
{
    public const string SectionName = "PaymentGateway:Customers";

    /// <summary>Whether this node runs the expiring-card job (under a lease, so any number of nodes may).</summary>
    public bool ExpiringNoticesEnabled { get; set; } = true;

    /// <summary>How many days before a saved card stops working (the end of its expiry month) <c>payment_method.expiring</c> is sent.</summary>
    [Range(1, 366)]
    public int ExpiringNoticeDays { get; set; } = 30;

    /// <summary>How often the job looks for saved cards about to expire.</summary>
    public TimeSpan ExpiringCheckInterval { get; set; } = TimeSpan.FromHours(1);
}
