using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PaymentGateway.Tests.Infrastructure;

namespace PaymentGateway.Browser.Tests.Infrastructure;

/// <summary>
/// A merchant's web site: a second small Kestrel app, listening on two loopback ports, so it is two origins - the
/// "shop" origin that sessions allow to frame the checkout, and an "other" origin they do not. It serves a page that
/// frames a checkout URL, a page that uses gateway.js, and the success and cancel pages.
/// </summary>
public sealed class MerchantSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MerchantSite(WebApplication app, string shopOrigin, string otherOrigin)
    {
        _app = app;
        ShopOrigin = shopOrigin;
        OtherOrigin = otherOrigin;
    }

    /// <summary>The origin checkout sessions list in allowed_frame_ancestors.</summary>
    public string ShopOrigin { get; }

    /// <summary>An origin no session allows.</summary>
    public string OtherOrigin { get; }

    /// <summary>Starts the site; a port found free but taken before Kestrel bound it means another try on fresh ports.</summary>
    public static Task<MerchantSite> StartAsync() => LoopbackPorts.StartAsync(StartOnceAsync);

    private static async Task<MerchantSite> StartOnceAsync()
    {
        var shop = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var other = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(shop, other);
        var app = builder.Build();

        app.MapGet("/thanks", (string? session_id) => Html("Thank you", $"<h1 id=\"thanks\">Thank you for your order</h1><p id=\"session\">{WebUtility.HtmlEncode(session_id)}</p>"));
        app.MapGet("/cart", () => Html("Cart", "<h1 id=\"cart\">Your cart</h1>"));

        // Iframe mode: the checkout page inside the merchant's page; every message the frame sends is logged.
        app.MapGet("/embed", (string url) => Html("Shop - checkout", $$"""
            <h1>Fine Coffee Ltd - checkout</h1>
            <ol id="messages"></ol>
            <iframe id="checkout" title="Checkout" src="{{WebUtility.HtmlEncode(url)}}" style="width:100%;max-width:34rem;height:44rem;border:1px solid #ccc"></iframe>
            <script>
              window.__messages = [];
              window.addEventListener('message', function (e) {
                window.__messages.push({ origin: e.origin, data: e.data });
                var li = document.createElement('li'); li.textContent = e.origin + ' ' + JSON.stringify(e.data);
                document.getElementById('messages').appendChild(li);
              });
            </script>
            """));

        // JS SDK mode: hosted card fields from the gateway, pay() with the session's client secret.
        app.MapGet("/sdk", (string gateway, string pk, string secret) => Html("Shop - pay", $$"""
            <h1>Fine Coffee Ltd - pay by card</h1>
            <div id="card"></div>
            <p><input type="checkbox" id="save-card"> <label for="save-card">Save my card for next time</label></p>
            <button id="pay" type="button">Pay now</button>
            <pre id="result"></pre>
            <script src="{{WebUtility.HtmlEncode(gateway)}}/js/v1/gateway.js"></script>
            <script>
              window.__messages = [];
              window.addEventListener('message', function (e) { window.__messages.push({ origin: e.origin, data: e.data }); });
              var gateway = Gateway.init({ publishableKey: {{System.Text.Json.JsonSerializer.Serialize(pk)}} });
              window.__ready = gateway.mount('#card');
              document.getElementById('pay').addEventListener('click', function () {
                document.getElementById('result').textContent = 'paying';
                gateway.pay({ clientSecret: {{System.Text.Json.JsonSerializer.Serialize(secret)}}, saveCard: document.getElementById('save-card').checked }).then(function (payment) {
                  document.getElementById('result').textContent = JSON.stringify({ ok: true, payment: payment });
                }, function (error) {
                  document.getElementById('result').textContent = JSON.stringify({ ok: false, name: error.name, type: error.type, code: error.code, decline_code: error.decline_code, message: error.message });
                });
              });
            </script>
            """));

        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new MerchantSite(app, shop, other);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult Html(string title, string body) => Results.Content(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head><body style=\"font-family:sans-serif\">{body}</body></html>",
        "text/html; charset=utf-8");
}
