using Grpc.Health.V1;
using Grpc.Net.Client;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>The standard grpc.health.v1 service follows /health/ready: serving while ready, not serving once the database is gone.</summary>
public sealed class GrpcHealthTests
{
    [Fact]
    public async Task GrpcHealth_FollowsReadiness_WhenTheDatabaseIsGone()
    {
        await using var server = await GatewayServer.StartAsync(withGrpcPort: true);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress ?? throw new InvalidOperationException("no gRPC port"));
        var health = new Health.HealthClient(channel);
        string[] services = ["", "payments.v1.PaymentGatewayService"];

        foreach (var service in services)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = service })).Status);
        }

        foreach (var file in Directory.GetFiles(server.DataDirectory, "gateway.db*"))
        {
            File.Delete(file);
        }

        Assert.Equal(503, (await server.Client(null).GetAsync("/health/ready")).Status);
        foreach (var service in services)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = service })).Status);
        }
    }
}
