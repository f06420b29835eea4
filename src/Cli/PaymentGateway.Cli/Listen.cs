using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Cli;

/// <summary>
/// <c>pgw listen --forward-to URL</c>: reads this merchant's events from the gateway's event stream
/// (<c>GET /v1/events/stream</c>, so no public URL is needed) and POSTs each to a local URL signed like a webhook
/// (Standard Webhooks headers) with a secret it prints, so the receiving code runs unchanged.
/// </summary>
public static class Listen
{
    public static Command Command(CliEnvironment env)
    {
        var forwardTo = new Option<string>("--forward-to") { Description = "The local URL that receives each event as a signed POST (http://localhost:3000/webhooks).", Required = true };
        var events = new Option<string?>("--events") { Description = "Only these event types, comma-separated (payment.succeeded,refund.succeeded)." };
        var secret = new Option<string?>("--secret") { Description = "Sign with this whsec_… secret instead of a new one (keep your receiver's configuration between runs)." };
        var count = new Option<int?>("--count") { Description = "Stop after forwarding this many events (scripts and tests); by default until Ctrl-C." };
        var command = new Command("listen", "Forward this merchant's events to a local URL, signed like webhooks.") { forwardTo, events, secret, count };
        command.SetAction(async (parsed, ct) =>
        {
            var target = Uri.TryCreate(parsed.GetValue(forwardTo), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new CliException(ExitCodes.Usage, $"--forward-to '{parsed.GetValue(forwardTo)}' is not an http:// or https:// URL");
            var signingSecret = parsed.GetValue(secret) ?? "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            WebhookVerifier signer;
            try
            {
                signer = new WebhookVerifier(signingSecret);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ExitCodes.Usage, $"--secret is not a whsec_… secret: {ex.Message}");
            }
            var limit = parsed.GetValue(count);
            var types = parsed.GetValue(events);
            using var http = CliApp.Connect(parsed, env);
            using var forward = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var forwarded = 0;
            return await http.FollowAsync(
                "v1/events/stream" + (string.IsNullOrWhiteSpace(types) ? "" : "?types=" + Uri.EscapeDataString(types)),
                "event stream",
                async () =>
                {
                    await env.Out.WriteLineAsync($"Ready. Forwarding {(string.IsNullOrWhiteSpace(types) ? "every event" : types)} from {http.BaseUrl.ToString().TrimEnd('/')} to {target}").ConfigureAwait(false);
                    await env.Out.WriteLineAsync($"Webhook signing secret: {signingSecret}").ConfigureAwait(false);
                    await env.Out.FlushAsync(ct).ConfigureAwait(false);
                },
                async item =>
                {
                    var id = item.EventId ?? $"msg_{Guid.NewGuid():N}";
                    await env.Out.WriteLineAsync($"{DateTimeOffset.UtcNow:HH:mm:ss}  --> {item.EventType} [{id}]").ConfigureAwait(false);
                    await env.Out.WriteLineAsync(await ForwardAsync(forward, target, signer, id, item.Data, ct).ConfigureAwait(false)).ConfigureAwait(false);
                    await env.Out.FlushAsync(ct).ConfigureAwait(false);
                    return ++forwarded != limit;
                },
                ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>One signed POST; the line says what the receiver answered (or why it could not).</summary>
    private static async Task<string> ForwardAsync(HttpClient client, Uri target, WebhookVerifier signer, string id, string payload, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookVerifier.IdHeader, id);
        request.Headers.Add(WebhookVerifier.TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookVerifier.SignatureHeader, signer.Sign(payload, id, now));
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, ct).ConfigureAwait(false);
            return $"{DateTimeOffset.UtcNow:HH:mm:ss}  <-- [{(int)response.StatusCode}] POST {target} ({clock.ElapsedMilliseconds} ms)";
        }
        catch (HttpRequestException ex)
        {
            return $"{DateTimeOffset.UtcNow:HH:mm:ss}  <-- error: POST {target}: {ex.Message} (is your server running?)";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"{DateTimeOffset.UtcNow:HH:mm:ss}  <-- error: POST {target}: no answer within 30 s";
        }
    }
}
