using System.Text;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>
/// The simulator's dispute flow driven from the SDK over REST and over gRPC against one real gateway: a dispute card's
/// payment is disputed, the evidence (fields and a file) goes in, the submission wins or loses it, and both transports
/// see the same dispute and the same typed errors.
/// </summary>
public sealed class SdkDisputeTests : IAsyncLifetime
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    private TestMerchant Merchant => _merchant ?? throw new InvalidOperationException();

    public static TheoryData<PaymentGatewayTransport> Transports => new() { PaymentGatewayTransport.Rest, PaymentGatewayTransport.Grpc };

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:Simulator:DisputeDelay"] = "00:00:01",
            ["PaymentGateway:Simulator:DisputeOutcomeDelay"] = "00:00:01",
            ["PaymentGateway:Disputes:SyncInterval"] = "00:00:00.200",
        }, withGrpcPort: true);
        _merchant = await _server.CreateMerchantAsync("SDK dispute merchant");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private PaymentGatewayClient NewClient(PaymentGatewayTransport transport) => new(new PaymentGatewayClientOptions
    {
        BaseAddress = transport == PaymentGatewayTransport.Grpc ? Server.GrpcAddress : Server.BaseAddress,
        ApiKey = Merchant.SecretKey,
        Transport = transport,
        MaxRetries = 2,
    });

    private async Task<Payment> PayAsync(PaymentGatewayClient client, string card, long amount)
    {
        var method = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = card, ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" } },
            new RequestOptions { ApiKey = Merchant.PublishableKey });
        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = amount, Currency = "EUR", PaymentMethod = method.Id, Confirm = true });
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        return payment;
    }

    private static async Task<Dispute> WaitAsync(PaymentGatewayClient client, string paymentId, Func<Dispute, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Dispute? last = null;
        while (DateTime.UtcNow < deadline)
        {
            await foreach (var dispute in client.Disputes.ListAutoPagingAsync(new ListDisputesRequest { Payment = paymentId, Limit = 1 }))
            {
                last = dispute;
                if (until(dispute))
                {
                    return dispute;
                }
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"The dispute of {paymentId} did not reach the expected state; last seen: {last}");
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Fraudulent_dispute_answered_with_an_activity_log_and_a_file_is_won_from_the_sdk(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var payment = await PayAsync(client, "4000000000005258", 4200);

        var dispute = await WaitAsync(client, payment.Id, d => d.AmountWithdrawn == 4200);
        Assert.Equal(DisputeStatus.NeedsResponse, dispute.Status);
        Assert.Equal(DisputeReason.Fraudulent, dispute.Reason);
        Assert.Equal(4200, dispute.AmountHeld);
        var disputed = await client.Payments.GetAsync(payment.Id);
        Assert.Equal(4200, disputed.AmountDisputed);
        Assert.Equal([dispute.Id], disputed.Disputes);

        using var pdf = new MemoryStream(Pdf);
        var file = await client.Disputes.UploadEvidenceFileAsync(dispute.Id, pdf, "activity.pdf", "application/pdf");
        Assert.Equal("activity.pdf", file.Filename);
        Assert.Equal(Pdf.Length, file.Size);
        await using (var downloaded = await client.Disputes.DownloadEvidenceFileAsync(dispute.Id, file.Id))
        {
            using var copy = new MemoryStream();
            await downloaded.CopyToAsync(copy);
            Assert.Equal(Pdf, copy.ToArray());
        }

        var invalid = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.Disputes.UploadEvidenceFileAsync(dispute.Id, new MemoryStream(Encoding.ASCII.GetBytes("<html></html>")), "page.html", "text/html"));
        Assert.Equal(ErrorCode.EvidenceFileInvalid, invalid.Code);

        dispute = await client.Disputes.UpdateEvidenceAsync(dispute.Id, new UpdateDisputeEvidenceRequest
        {
            Evidence = new DisputeEvidence { AccessActivityLog = "Signed in from the usual device.", UncategorizedFile = file.Id },
        });
        Assert.Equal(file.Id, dispute.Evidence.UncategorizedFile);

        dispute = await client.Disputes.SubmitAsync(dispute.Id);
        Assert.Equal(DisputeStatus.UnderReview, dispute.Status);
        var twice = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Disputes.SubmitAsync(dispute.Id));
        Assert.Equal(ErrorCode.DisputeAlreadySubmitted, twice.Code);
        Assert.Equal(409, twice.Status);

        var won = await WaitAsync(client, payment.Id, d => d.Status == DisputeStatus.Won && d.AmountReinstated == 4200);
        Assert.Equal(0, won.AmountHeld);
        Assert.Equal(0, (await client.Payments.GetAsync(payment.Id)).AmountDisputed);
        Assert.Contains(won.FundsMovements, m => m.Amount == 4200);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Losing_evidence_loses_the_dispute_from_the_sdk_the_money_stays_withdrawn_and_refunds_stop_at_what_is_held(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var payment = await PayAsync(client, "4000000000002685", 3000);
        var dispute = await WaitAsync(client, payment.Id, d => d.AmountWithdrawn == 3000);
        Assert.Equal(DisputeReason.ProductNotReceived, dispute.Reason);

        // A partial refund while the dispute is open: the customer already has 3000 back through the chargeback, so
        // nothing is refundable on top of it.
        var whileOpen = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.Refunds.CreateAsync(new CreateRefundRequest { Payment = payment.Id, Amount = 1 }));
        Assert.Equal(ErrorCode.AmountExceedsRefundable, whileOpen.Code);

        await client.Disputes.UpdateEvidenceAsync(dispute.Id, new UpdateDisputeEvidenceRequest
        {
            Evidence = new DisputeEvidence { UncategorizedText = "losing_evidence: no proof of delivery" },
        });
        Assert.Equal(DisputeStatus.UnderReview, (await client.Disputes.SubmitAsync(dispute.Id)).Status);

        var lost = await WaitAsync(client, payment.Id, d => d.Status == DisputeStatus.Lost);
        Assert.Equal(3000, lost.AmountWithdrawn);
        Assert.Equal(0, lost.AmountReinstated);
        Assert.Equal(3000, lost.AmountHeld);
        Assert.DoesNotContain(lost.FundsMovements, m => m.Type == "reinstated");
        Assert.Equal(3000, (await client.Payments.GetAsync(payment.Id)).AmountDisputed);
        var afterLoss = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.Refunds.CreateAsync(new CreateRefundRequest { Payment = payment.Id, Amount = 1 }));
        Assert.Equal(ErrorCode.AmountExceedsRefundable, afterLoss.Code);
        var late = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Disputes.SubmitAsync(dispute.Id));
        Assert.Equal(409, late.Status);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Accepting_from_the_sdk_closes_the_dispute_and_keeps_the_money_held(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var payment = await PayAsync(client, "4000000000002685", 1800);
        var dispute = await WaitAsync(client, payment.Id, _ => true);

        var accepted = await client.Disputes.AcceptAsync(dispute.Id);
        Assert.Equal(DisputeStatus.Accepted, accepted.Status);
        Assert.Equal(1800, accepted.AmountHeld);
        var refused = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.Refunds.CreateAsync(new CreateRefundRequest { Payment = payment.Id, Amount = 1 }));
        Assert.Equal(ErrorCode.AmountExceedsRefundable, refused.Code);
        var missing = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Disputes.GetAsync("dp_" + new string('0', 26)));
        Assert.Equal(ErrorCode.ResourceMissing, missing.Code);
    }

    [Fact]
    public async Task The_same_dispute_reads_equal_over_rest_and_grpc()
    {
        using var rest = NewClient(PaymentGatewayTransport.Rest);
        using var grpc = NewClient(PaymentGatewayTransport.Grpc);
        var payment = await PayAsync(rest, "4000000000001976", 900);
        var dispute = await WaitAsync(rest, payment.Id, _ => true);
        await rest.Disputes.UpdateEvidenceAsync(dispute.Id, new UpdateDisputeEvidenceRequest
        {
            Evidence = new DisputeEvidence { ShippingTrackingNumber = "1Z999AA10123456784", CustomerName = "Ada Lovelace" },
        });
        using var png = new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9, 9]);
        await grpc.Disputes.UploadEvidenceFileAsync(dispute.Id, png, "label.png", "image/png");

        var overRest = await rest.Disputes.GetAsync(dispute.Id);
        var overGrpc = await grpc.Disputes.GetAsync(dispute.Id);
        Assert.Equal(overRest with { EvidenceFiles = [], FundsMovements = [] }, overGrpc with { EvidenceFiles = [], FundsMovements = [] });
        Assert.Equal(overRest.EvidenceFiles, overGrpc.EvidenceFiles);
        Assert.Equal(overRest.FundsMovements, overGrpc.FundsMovements);
        Assert.Equal(DisputeStatus.WarningNeedsResponse, overGrpc.Status);
        Assert.Equal("1Z999AA10123456784", overGrpc.Evidence.ShippingTrackingNumber);

        var restPage = await rest.Disputes.ListAsync(new ListDisputesRequest { Status = DisputeStatus.WarningNeedsResponse, Limit = 100 });
        var grpcPage = await grpc.Disputes.ListAsync(new ListDisputesRequest { Status = DisputeStatus.WarningNeedsResponse, Limit = 100 });
        Assert.Equal(restPage.Data.Select(d => d.Id), grpcPage.Data.Select(d => d.Id));
        Assert.Contains(dispute.Id, grpcPage.Data.Select(d => d.Id));
    }
}
