using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using PaymentGateway.Grpc.ParityTests.Infrastructure;
using Payments.V1;

namespace PaymentGateway.Grpc.ParityTests;

/// <summary>What only the gRPC side has: reflection, the health service, deadlines, response metadata, the h2c port.</summary>
[Collection(ParityCollection.Name)]
public sealed class GrpcServiceTests(ParityFixture fixture)
{
    [Fact]
    public async Task Reflection_ListsThePaymentsService()
    {
        var client = new ServerReflection.ServerReflectionClient(fixture.Channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("payments.v1.PaymentGatewayService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Theory]
    [InlineData("")]
    [InlineData("payments.v1.PaymentGatewayService")]
    public async Task Health_ReportsServing(string service)
    {
        var response = await new Health.HealthClient(fixture.Channel).CheckAsync(new HealthCheckRequest { Service = service });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Deadline_InThePast_IsDeadlineExceeded()
    {
        var merchant = await fixture.Server.CreateMerchantAsync();
        var client = new PaymentGatewayService.PaymentGatewayServiceClient(fixture.Channel);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.ListPaymentsAsync(
            new ListPaymentsRequest(), new Metadata { { "authorization", "Bearer " + merchant.SecretKey } }, deadline: DateTime.UtcNow.AddMilliseconds(-1)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Responses_CarryARequestIdAndReplaysAreMarked()
    {
        var merchant = await fixture.Server.CreateMerchantAsync();
        var client = new PaymentGatewayService.PaymentGatewayServiceClient(fixture.Channel);
        var headers = new Metadata { { "authorization", "Bearer " + merchant.SecretKey }, { "idempotency-key", "k-1" } };
        var request = new CreatePaymentRequest { Amount = 100, Currency = "EUR" };
        using var first = client.CreatePaymentAsync(request, headers);
        var created = await first.ResponseAsync;
        var firstHeaders = await first.ResponseHeadersAsync;
        Assert.StartsWith("req_", firstHeaders.GetValue("request-id"));
        Assert.Null(firstHeaders.GetValue("idempotent-replayed"));

        using var second = client.CreatePaymentAsync(request, headers);
        var replayed = await second.ResponseAsync;
        Assert.Equal("true", (await second.ResponseHeadersAsync).GetValue("idempotent-replayed"));
        Assert.Equal(created.Payment, replayed.Payment);
    }

    [Fact]
    public async Task RestPort_StillServesHttp1_AndGrpcPortIsHttp2Only()
    {
        var merchant = await fixture.Server.CreateMerchantAsync();
        var rest = await fixture.Server.Client(merchant.SecretKey).GetAsync("/v1/payments");
        Assert.Equal(200, rest.Status);

        // The REST port speaks HTTP/1.1 only, so a gRPC client cannot use it.
        using var wrongPort = GrpcChannel.ForAddress(fixture.Server.BaseAddress);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await new PaymentGatewayService.PaymentGatewayServiceClient(wrongPort)
            .ListPaymentsAsync(new ListPaymentsRequest(), new Metadata { { "authorization", "Bearer " + merchant.SecretKey } }));
        Assert.NotEqual(StatusCode.OK, error.StatusCode);
    }
}
