using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Sdk.AspNetCore.Tests;

/// <summary>The receiving helper on a real Kestrel (127.0.0.1, a free port), driven by signed and unsigned HTTP requests.</summary>
public sealed class WebhookReceiverTests : IAsyncLifetime
{
    private const string OldSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string NewSecret = "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==";
    private const string OtherSecret = "whsec_c29tZWJvZHkgZWxzZSdzIHNlY3JldA==";
    private const long MaxBodySize = 4096;

    private readonly ConcurrentQueue<Event> _handled = new();
    private WebApplication? _app;
    private HttpClient? _http;

    private HttpClient Http => _http ?? throw new InvalidOperationException();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddPaymentGatewayWebhooks(o =>
        {
            o.Secrets = [NewSecret, OldSecret];
            o.MaxBodySize = MaxBodySize;
        });
        _app = builder.Build();
        _app.MapPaymentGatewayWebhooks("/webhooks", (evt, ct) =>
        {
            _handled.Enqueue(evt);
            return evt.Data.TryGetProperty("explode", out _) ? throw new InvalidOperationException("handler failed") : Task.CompletedTask;
        });
        _app.MapPaymentGatewayWebhooks("/webhooks/with-context", async (evt, context, ct) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var raw = await reader.ReadToEndAsync(ct);
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            await context.Response.WriteAsync(raw.Contains(evt.Id, StringComparison.Ordinal) ? "raw body rewound" : "no", ct);
        });
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static string EventJson(string id = "evt_1", string type = "payment.succeeded", string data = """{"id":"pay_1","object":"payment"}""") =>
        $$"""{"id":"{{id}}","object":"event","livemode":false,"type":"{{type}}","data":{{data}},"created":"2025-01-02T03:04:05Z"}""";

    private static HttpRequestMessage Signed(
        string body, string secret = OldSecret, string? webhookId = "evt_1", DateTimeOffset? at = null, string path = "/webhooks", string? signedBody = null)
    {
        var timestamp = at ?? DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (webhookId is not null)
        {
            request.Headers.Add(WebhookVerifier.IdHeader, webhookId);
            request.Headers.Add(WebhookVerifier.TimestampHeader, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookVerifier.SignatureHeader, new WebhookVerifier(secret).Sign(signedBody ?? body, webhookId, timestamp));
        }

        return request;
    }

    [Fact]
    public async Task SignedWebhook_RunsTheHandlerWithTheEvent_AndAnswers204()
    {
        using var response = await Http.SendAsync(Signed(EventJson()));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var evt = Assert.Single(_handled);
        Assert.Equal("evt_1", evt.Id);
        Assert.Equal(EventType.PaymentSucceeded, evt.Type);
        Assert.Equal("pay_1", evt.Data.GetProperty("id").GetString());
    }

    [Fact]
    public async Task WebhookSignedWithTheRotatedSecret_Passes()
    {
        using var response = await Http.SendAsync(Signed(EventJson(id: "evt_new"), secret: NewSecret, webhookId: "evt_new"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("evt_new", Assert.Single(_handled).Id);
    }

    [Fact]
    public async Task TamperedBody_Is400_AndTheHandlerDoesNotRun()
    {
        using var response = await Http.SendAsync(Signed(EventJson(type: "payment.failed"), signedBody: EventJson()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("signature", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task WrongSecret_Is400_AndTheHandlerDoesNotRun()
    {
        using var response = await Http.SendAsync(Signed(EventJson(), secret: OtherSecret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_handled);
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task TimestampOutsideTheTolerance_Is400_EvenWithAValidSignature(int minutes)
    {
        using var response = await Http.SendAsync(Signed(EventJson(), at: DateTimeOffset.UtcNow.AddMinutes(minutes)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("timestamp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_handled);
    }

    [Theory]
    [InlineData(WebhookVerifier.IdHeader)]
    [InlineData(WebhookVerifier.TimestampHeader)]
    [InlineData(WebhookVerifier.SignatureHeader)]
    public async Task MissingHeader_Is400_AndTheHandlerDoesNotRun(string header)
    {
        var request = Signed(EventJson());
        request.Headers.Remove(header);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(header, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task UnsignedRequest_Is400()
    {
        using var response = await Http.SendAsync(Signed(EventJson(), webhookId: null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task SignedBodyThatIsNotAnEvent_Is400()
    {
        using var response = await Http.SendAsync(Signed("""["not","an","event"]"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task OversizedBody_Is413_AndTheHandlerDoesNotRun()
    {
        var big = EventJson(data: $$"""{"id":"pay_1","padding":"{{new string('x', (int)MaxBodySize)}}"}""");

        using var response = await Http.SendAsync(Signed(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task HandlerException_Is500_SoTheGatewayRetries()
    {
        using var response = await Http.SendAsync(Signed(EventJson(data: """{"id":"pay_1","explode":true}""")));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(_handled);
    }

    [Fact]
    public async Task SameWebhookTwice_ReachesTheHandlerTwice_WithTheSameId()
    {
        // Deduplication is the application's job (README): the helper verifies and passes every delivery on.
        var at = DateTimeOffset.UtcNow;
        using var first = await Http.SendAsync(Signed(EventJson(), at: at));
        using var second = await Http.SendAsync(Signed(EventJson(), at: at.AddSeconds(5)));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal(["evt_1", "evt_1"], _handled.Select(e => e.Id));
    }

    [Fact]
    public async Task HandlerWithContext_CanSetItsStatus_AndReadTheRawBody()
    {
        using var response = await Http.SendAsync(Signed(EventJson(), path: "/webhooks/with-context"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("raw body rewound", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetRequest_IsNotHandled()
    {
        using var response = await Http.GetAsync("/webhooks");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(_handled);
    }
}

public sealed class WebhookOptionsValidationTests
{
    [Theory]
    [InlineData(new string[0], "at least one")]
    [InlineData(new[] { "whsec_***not base64***" }, "Secrets[0]")]
    public async Task InvalidSecrets_FailTheHostAtStart(string[] secrets, string expected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddPaymentGatewayWebhooks(o => o.Secrets = secrets);
        await using var app = builder.Build();
        app.MapPaymentGatewayWebhooks("/webhooks", (_, _) => Task.CompletedTask);

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_WithoutAddPaymentGatewayWebhooks_ExplainsWhatIsMissing()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapPaymentGatewayWebhooks("/webhooks", (_, _) => Task.CompletedTask));

        Assert.Contains("AddPaymentGatewayWebhooks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretsFromConfiguration_AreBound()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hooks:Secrets:0"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ["Hooks:Tolerance"] = "00:01:00",
        });
        builder.Services.AddPaymentGatewayWebhooks(builder.Configuration.GetSection("Hooks"));
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PaymentGatewayWebhookOptions>>().Value;

        Assert.Equal(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], options.Secrets);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Tolerance);
    }
}
