using Grpc.Net.Client;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Grpc.ParityTests.Infrastructure;

/// <summary>One real gateway with its REST port and its h2c gRPC port, and a client for each transport.</summary>
public sealed class ParityFixture : IAsyncLifetime
{
    private GatewayServer? _server;
    private GrpcChannel? _channel;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("Gateway not started.");

    public IParityApi Rest => new RestParityApi(Server);

    public IParityApi Grpc => new GrpcParityApi(Channel);

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(withGrpcPort: true);
        _channel = GrpcChannel.ForAddress(_server.GrpcAddress ?? throw new InvalidOperationException("no gRPC address"));
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ParityCollection : ICollectionFixture<ParityFixture>
{
    public const string Name = "parity";
}

/// <summary>Records each step of a scenario with its outcome.</summary>
public sealed class Recorder
{
    public List<(string Step, Outcome Outcome)> Steps { get; } = [];

    public async Task<Outcome> At(string step, Task<Outcome> call)
    {
        var outcome = await call;
        Steps.Add((step, outcome));
        return outcome;
    }
}
