using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Core.Checkout;

/// <summary>Hosted checkout settings (<c>PaymentGateway:Checkout</c>).</summary>
public sealed class CheckoutOptions
{
    public const string SectionName = "PaymentGateway:Checkout";

    /// <summary>How long a session stays open when the request gives no <c>expires_at</c>.</summary>
    public TimeSpan DefaultExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The shortest expiry a request may ask for.</summary>
    public TimeSpan MinExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest expiry a request may ask for.</summary>
    public TimeSpan MaxExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>At most this many allowed frame ancestors per session.</summary>
    [Range(1, 100)]
    public int MaxFrameAncestors { get; set; } = 10;
}
