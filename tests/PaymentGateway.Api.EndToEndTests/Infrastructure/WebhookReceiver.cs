using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, string? Id, string? Timestamp, string? Signature, string Body, DateTimeOffset At)
{
    public string? Type => System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("type").GetString();
}

/// <summary>
/// A real HTTP webhook receiver on 127.0.0.1 (Kestrel, random port). Records every request; <see cref="Handler"/>
/// decides each answer (200 by default).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The URL to register: <c>http://127.0.0.1:{port}/hooks</c>.</summary>
    public string Url => new Uri(BaseAddress, "/hooks").ToString();

    /// <summary>Answers a request; the number is how many requests came before it (0 for the first).</summary>
    public Func<ReceivedWebhook, int, HttpContext, Task> Handler { get; set; } = (_, _, context) =>
    {
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    };

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        // Port 0: Kestrel binds a free port itself, so no other process can take it between choosing and binding.
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        var count = 0;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var hook = new ReceivedWebhook(context.Request.Path, context.Request.Headers["webhook-id"].FirstOrDefault(),
                context.Request.Headers["webhook-timestamp"].FirstOrDefault(), context.Request.Headers["webhook-signature"].FirstOrDefault(),
                body, DateTimeOffset.UtcNow);
            receiver._received.Enqueue(hook);
            await receiver.Handler(hook, Interlocked.Increment(ref count) - 1, context);
        });
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Urls.Single()); // the address Kestrel bound
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for what was received, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var until = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTimeOffset.UtcNow < until)
        {
            var received = Received;
            if (condition(received))
            {
                return received;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what ?? "webhooks"}; received: " +
            string.Join(", ", Received.Select(r => $"{r.Id} {r.Path}")));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A Standard Webhooks verifier written for the tests from the spec alone (independent of the gateway's signer).</summary>
public static class SpecVerifier
{
    /// <summary>True when one of the space-separated <c>v1,</c> signatures in <paramref name="header"/> matches <paramref name="secret"/>.</summary>
    public static bool Verify(string secret, string? id, string? timestamp, string body, string? header)
    {
        if (id is null || timestamp is null || header is null)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        foreach (var part in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && part[..comma] == "v1" &&
                CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(part[(comma + 1)..]), expected))
            {
                return true;
            }
        }

        return false;
    }
}
