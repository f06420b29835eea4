namespace PaymentGateway.Providers;

/// <summary>
/// What the gateway knows about the customer's browser session at authorization (the hosted checkout collects it):
/// providers use it for risk checks and browser-based 3-D Secure 2 (Adyen requires <c>browserInfo</c>, <c>origin</c>
/// and <c>shopperIP</c> for web 3-D Secure 2; Checkout.com takes <c>payment_ip</c>). Every field is optional; an
/// adapter sends what is present and documents what it does without the rest.
/// </summary>
public sealed record CustomerBrowser
{
    /// <summary>The customer's IP address as the gateway saw it (IPv4 or IPv6).</summary>
    public string? IpAddress { get; init; }

    /// <summary>The origin of the page the customer paid on (<c>https://shop.example</c>: scheme, host and port, no path).</summary>
    public string? Origin { get; init; }

    /// <summary>The browser's <c>User-Agent</c> header.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The browser's <c>Accept</c> header.</summary>
    public string? AcceptHeader { get; init; }

    /// <summary>The browser language (<c>navigator.language</c>, e.g. <c>nl-NL</c>).</summary>
    public string? Language { get; init; }

    /// <summary>The screen's colour depth in bits (<c>screen.colorDepth</c>).</summary>
    public int? ColorDepth { get; init; }

    /// <summary>The screen height in pixels.</summary>
    public int? ScreenHeight { get; init; }

    /// <summary>The screen width in pixels.</summary>
    public int? ScreenWidth { get; init; }

    /// <summary>The difference between UTC and the browser's local time in minutes (<c>new Date().getTimezoneOffset()</c>).</summary>
    public int? TimeZoneOffsetMinutes { get; init; }

    /// <summary>Whether the browser can run Java.</summary>
    public bool? JavaEnabled { get; init; }

    /// <summary>Whether the browser runs JavaScript (the hosted checkout can tell).</summary>
    public bool? JavaScriptEnabled { get; init; }

    /// <summary>True when every field 3-D Secure 2's browser data needs is present (Adyen's <c>BrowserInfo</c> requires all of them).</summary>
    public bool HasThreeDSecureBrowserData =>
        UserAgent is not null && AcceptHeader is not null && Language is not null && ColorDepth is not null
        && ScreenHeight is not null && ScreenWidth is not null && TimeZoneOffsetMinutes is not null && JavaEnabled is not null;
}
