using PaymentGateway.Tests.Infrastructure;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace PaymentGateway.Providers.ContractTests.Infrastructure;

/// <summary>WireMock on 127.0.0.1 (a free port) playing a provider's documented API, plus what the adapter sent.</summary>
public sealed class ProviderWireMock : IDisposable
{
    public ProviderWireMock()
    {
        (Server, BaseUrl) = LoopbackPorts.Start(() =>
        {
            var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
            return (WireMockServer.Start(new WireMockServerSettings { Urls = [url] }), url);
        });
    }

    public WireMockServer Server { get; }

    public string BaseUrl { get; }

    /// <summary>Answers <paramref name="request"/> with each response in turn; the last one repeats.</summary>
    public void RespondInSequence(IRequestBuilder request, params IResponseBuilder[] responses)
    {
        var scenario = Guid.NewGuid().ToString();
        for (var i = 0; i < responses.Length; i++)
        {
            var mapping = Server.Given(request).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"step{i}");
            }

            if (i < responses.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"step{i + 1}");
            }

            mapping.RespondWith(responses[i]);
        }
    }

    /// <summary>A JSON response.</summary>
    public static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> Requests =>
        Server.LogEntries.OrderBy(e => e.RequestMessage?.DateTime).Select(e => e.RequestMessage).OfType<IRequestMessage>().ToList();

    /// <summary>A request header (first value), case-insensitively.</summary>
    public static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>A form body decoded into fields.</summary>
    public static Dictionary<string, string> Form(IRequestMessage request) => Form(request.Body);

    /// <summary>A form body decoded into fields.</summary>
    public static Dictionary<string, string> Form(string? body) =>
        (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty, StringComparer.Ordinal);

    public void Dispose() => Server.Stop();
}
