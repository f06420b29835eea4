using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// A gateway whose simulated provider opens a dispute card's dispute one second after capture and decides one second
/// after the answer, whose dispute sync and deadline jobs run every 200 ms, and which warns 8 days before a deadline
/// (the simulator gives 7), so a whole dispute lifecycle runs in a few seconds.
/// </summary>
public sealed class DisputeGatewayFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    public async Task InitializeAsync() => _server = await GatewayServer.StartAsync(new Dictionary<string, string?>
    {
        ["PaymentGateway:Simulator:DisputeDelay"] = "00:00:01",
        ["PaymentGateway:Simulator:DisputeOutcomeDelay"] = "00:00:01",
        ["PaymentGateway:Simulator:InquiryEscalationDelay"] = "00:10:00",
        ["PaymentGateway:Disputes:SyncInterval"] = "00:00:00.200",
        ["PaymentGateway:Disputes:AlertInterval"] = "00:00:00.200",
        ["PaymentGateway:Disputes:EvidenceDueSoon"] = "8.00:00:00",
        ["PaymentGateway:Disputes:MaxEvidenceFileBytes"] = "4096",
        ["PaymentGateway:Disputes:MaxEvidenceFiles"] = "2",
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Disputes end to end on a real gateway: the simulator's dispute cards through REST, evidence files, submission, outcomes, money and events.</summary>
public sealed class DisputeTests(DisputeGatewayFixture fixture) : IClassFixture<DisputeGatewayFixture>
{
    private const string FraudCard = "4000000000005258";
    private const string NotReceivedCard = "4000000000002685";
    private const string InquiryCard = "4000000000001976";

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private GatewayServer Server => fixture.Server;

    private async Task<(GatewayClient Api, string PaymentId, JsonElement Dispute)> DisputedPaymentAsync(string card, long amount = 5000)
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        api.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", merchant.SecretKey);
        var payment = (await Flows.PayAsync(Server, merchant, amount: amount, number: card)).EnsureStatus(200);
        Assert.Equal("succeeded", payment.Str("status"));
        var id = payment.Str("id") ?? throw new InvalidOperationException("no id");
        var dispute = await WaitForDisputeAsync(api, id, _ => true);
        return (api, id, dispute);
    }

    private static async Task<JsonElement> WaitForDisputeAsync(GatewayClient api, string paymentId, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var list = (await api.GetAsync($"/v1/disputes?payment={paymentId}")).EnsureStatus(200).Json.GetProperty("data");
            if (list.GetArrayLength() == 1)
            {
                last = list[0];
                if (until(list[0]))
                {
                    return list[0];
                }
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"The dispute of {paymentId} did not reach the expected state; last seen: {last}");
    }

    private static Task<JsonElement> WaitForStatusAsync(GatewayClient api, string paymentId, string status) =>
        WaitForDisputeAsync(api, paymentId, d => d.GetProperty("status").GetString() == status);

    private static async Task<ApiResponse> UploadAsync(GatewayClient api, string disputeId, byte[] bytes, string contentType, string? fileName = "receipt.pdf", bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/v1/disputes/{disputeId}/evidence/files" + (fileName is null ? string.Empty : "?filename=" + Uri.EscapeDataString(fileName)));
        request.Headers.Authorization = ApiKey(api);
        request.Content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await api.Http.SendAsync(request);
        return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync());
    }

    private static AuthenticationHeaderValue ApiKey(GatewayClient api) => api.Http.DefaultRequestHeaders.Authorization
        ?? throw new InvalidOperationException("the client has no key");

    private static async Task<string[]> EventTypesAsync(GatewayClient api, string disputeId) =>
        [.. (await api.GetAsync($"/v1/events?object_id={disputeId}&limit=100")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("type").GetString() ?? string.Empty)];

    [Fact]
    public async Task Fraudulent_card_is_disputed_after_success_and_winning_evidence_wins_the_money_back()
    {
        var (api, paymentId, dispute) = await DisputedPaymentAsync(FraudCard);
        var id = dispute.GetProperty("id").GetString() ?? throw new InvalidOperationException("no id");
        Assert.StartsWith("dp_", id, StringComparison.Ordinal);
        dispute = await WaitForDisputeAsync(api, paymentId, d => d.GetProperty("amount_withdrawn").GetInt64() == 5000);
        Assert.Equal("needs_response", dispute.GetProperty("status").GetString());
        Assert.Equal("fraudulent", dispute.GetProperty("reason").GetString());
        Assert.Equal(5000, dispute.GetProperty("amount_held").GetInt64());
        Assert.True(dispute.GetProperty("evidence_due_by").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6));
        var payment = (await api.GetAsync($"/v1/payments/{paymentId}")).EnsureStatus(200);
        Assert.Equal(5000, payment.Long("amount_disputed"));
        Assert.Equal([id], payment.Json.GetProperty("disputes").EnumerateArray().Select(e => e.GetString()));

        // The deadline job warns while the dispute awaits an answer (8 days before a 7-day deadline is now), once.
        await WaitForEventAsync(api, id, "dispute.evidence_due_soon");
        await Task.Delay(600);
        Assert.Equal(1, (await EventTypesAsync(api, id)).Count(t => t == "dispute.evidence_due_soon"));

        // While the dispute holds the whole payment, nothing can be refunded.
        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 1 }), 422, "amount_exceeds_refundable", "amount");

        var file = (await UploadAsync(api, id, Pdf, "application/pdf", "login log.pdf")).EnsureStatus(200);
        var fileId = file.Str("id") ?? throw new InvalidOperationException("no file id");
        Assert.StartsWith("dpf_", fileId, StringComparison.Ordinal);
        Assert.Equal("login_log.pdf", file.Str("filename"));
        Assert.Equal(fileId, (await UploadAsync(api, id, Pdf, "application/pdf")).EnsureStatus(200).Str("id"));
        var updated = (await api.PostAsync($"/v1/disputes/{id}/evidence", new
        {
            access_activity_log = "Logged in from the customer's usual device before the purchase.",
            customer_purchase_ip = "203.0.113.7",
            uncategorized_file = fileId,
        })).EnsureStatus(200);
        Assert.Equal(fileId, updated.Json.GetProperty("evidence").GetProperty("uncategorized_file").GetString());
        Assert.Single(updated.Json.GetProperty("evidence_files").EnumerateArray());

        var submitted = (await api.PostAsync($"/v1/disputes/{id}/submit", null)).EnsureStatus(200);
        Assert.Equal("under_review", submitted.Str("status"));
        Assert.NotNull(submitted.Str("evidence_submitted_at"));
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/submit", null), 409, "dispute_already_submitted");
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/evidence", new { customer_name = "late" }), 409, "dispute_state_conflict");

        var won = await WaitForDisputeAsync(api, paymentId, d => d.GetProperty("status").GetString() == "won" && d.GetProperty("amount_reinstated").GetInt64() == 5000);
        Assert.Equal(0, won.GetProperty("amount_held").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, won.GetProperty("closed_at").ValueKind);
        Assert.Equal(0, (await api.GetAsync($"/v1/payments/{paymentId}")).EnsureStatus(200).Long("amount_disputed"));
        (await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 1000 })).EnsureStatus(200);

        var types = await EventTypesAsync(api, id);
        Assert.Equal(1, types.Count(t => t == "dispute.created"));
        Assert.Equal(1, types.Count(t => t == "dispute.funds_withdrawn"));
        Assert.Equal(1, types.Count(t => t == "dispute.funds_reinstated"));
        Assert.Equal(1, types.Count(t => t == "dispute.closed"));
        Assert.Contains("dispute.updated", types);
        Assert.Equal(1, types.Count(t => t == "dispute.evidence_due_soon"));
    }

    private static async Task WaitForEventAsync(GatewayClient api, string disputeId, string type)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await EventTypesAsync(api, disputeId)).Contains(type))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {type} event for {disputeId}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Product_not_received_answered_without_proof_of_shipping_is_lost_and_the_money_stays_held()
    {
        var (api, paymentId, dispute) = await DisputedPaymentAsync(NotReceivedCard, amount: 3000);
        var id = dispute.GetProperty("id").GetString() ?? throw new InvalidOperationException("no id");
        await WaitForDisputeAsync(api, paymentId, d => d.GetProperty("amount_withdrawn").GetInt64() == 3000);
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/submit", null), 400, "parameter_missing", "evidence");
        (await api.PostAsync($"/v1/disputes/{id}/evidence", new { uncategorized_text = "We think the parcel arrived." })).EnsureStatus(200);
        (await api.PostAsync($"/v1/disputes/{id}/submit", null)).EnsureStatus(200);

        var lost = await WaitForStatusAsync(api, paymentId, "lost");
        Assert.Equal("product_not_received", lost.GetProperty("reason").GetString());
        Assert.Equal(3000, lost.GetProperty("amount_held").GetInt64());
        Assert.Equal(0, lost.GetProperty("amount_reinstated").GetInt64());
        Assert.Equal(3000, (await api.GetAsync($"/v1/payments/{paymentId}")).EnsureStatus(200).Long("amount_disputed"));
        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 1 }), 422, "amount_exceeds_refundable", "amount");
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/accept", null), 409, "dispute_already_submitted");
    }

    [Fact]
    public async Task Accepting_a_chargeback_closes_it_and_a_second_answer_is_refused()
    {
        var (api, paymentId, dispute) = await DisputedPaymentAsync(FraudCard, amount: 2000);
        var id = dispute.GetProperty("id").GetString() ?? throw new InvalidOperationException("no id");
        var accepted = (await api.PostAsync($"/v1/disputes/{id}/accept", null)).EnsureStatus(200);
        Assert.Equal("accepted", accepted.Str("status"));
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/submit", null), 409, "dispute_already_submitted");
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/accept", null), 409, "dispute_already_submitted");

        // The simulator's later "lost" changes nothing: accepted stays accepted, the money stays with the cardholder.
        await Task.Delay(1500);
        var after = (await api.GetAsync($"/v1/disputes/{id}")).EnsureStatus(200);
        Assert.Equal("accepted", after.Str("status"));
        Assert.Equal(2000, after.Long("amount_held"));
        Assert.Equal(1, (await EventTypesAsync(api, id)).Count(t => t == "dispute.closed"));
        Assert.Equal(2000, (await api.GetAsync($"/v1/payments/{paymentId}")).EnsureStatus(200).Long("amount_disputed"));
    }

    [Fact]
    public async Task An_inquiry_answered_in_time_closes_without_a_chargeback()
    {
        var (api, paymentId, dispute) = await DisputedPaymentAsync(InquiryCard, amount: 1500);
        var id = dispute.GetProperty("id").GetString() ?? throw new InvalidOperationException("no id");
        Assert.Equal("warning_needs_response", dispute.GetProperty("status").GetString());
        Assert.Equal("inquiry", dispute.GetProperty("stage").GetString());
        Assert.Equal(0, dispute.GetProperty("amount_held").GetInt64());
        Assert.Equal(0, (await api.GetAsync($"/v1/payments/{paymentId}")).EnsureStatus(200).Long("amount_disputed"));

        (await api.PostAsync($"/v1/disputes/{id}/evidence", new { shipping_tracking_number = "1Z999AA10123456784" })).EnsureStatus(200);
        Assert.Equal("warning_under_review", (await api.PostAsync($"/v1/disputes/{id}/submit", null)).EnsureStatus(200).Str("status"));
        var closed = await WaitForStatusAsync(api, paymentId, "warning_closed");
        Assert.Equal(0, closed.GetProperty("amount_withdrawn").GetInt64());
        Assert.Contains("dispute.closed", await EventTypesAsync(api, id));
    }

    [Fact]
    public async Task Evidence_files_outside_the_limits_are_refused_with_4xx_and_stored_files_download_only_as_attachments()
    {
        var (api, _, dispute) = await DisputedPaymentAsync(NotReceivedCard, amount: 1000);
        var id = dispute.GetProperty("id").GetString() ?? throw new InvalidOperationException("no id");
        byte[] big = [.. Pdf, .. new byte[5000]];

        Problem.Assert(await UploadAsync(api, id, big, "application/pdf"), 413, "evidence_file_too_large");
        Problem.Assert(await UploadAsync(api, id, big, "application/pdf", chunked: true), 413, "evidence_file_too_large");
        Problem.Assert(await UploadAsync(api, id, Encoding.ASCII.GetBytes("<html><script>alert(1)</script></html>"), "text/html"), 400, "evidence_file_invalid");
        Problem.Assert(await UploadAsync(api, id, Encoding.ASCII.GetBytes("MZ\x90\0 this is a program"), "application/pdf"), 400, "evidence_file_invalid");
        Problem.Assert(await UploadAsync(api, id, Pdf, "image/png"), 400, "evidence_file_invalid");
        Problem.Assert(await UploadAsync(api, id, Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF"),
            "application/pdf"), 400, "evidence_file_invalid");
        Problem.Assert(await UploadAsync(api, "dp_" + new string('0', 26), Pdf, "application/pdf"), 404, "resource_missing");
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/evidence", new { receipt = "dpf_" + new string('0', 26) }), 400, "parameter_invalid", "receipt");

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        var pdfFile = (await UploadAsync(api, id, Pdf, "application/pdf", "../../etc/passwd")).EnsureStatus(200);
        Assert.Equal("passwd.pdf", pdfFile.Str("filename"));
        (await UploadAsync(api, id, png, "image/png", "photo.png")).EnsureStatus(200);
        Problem.Assert(await UploadAsync(api, id, jpeg, "image/jpeg"), 422, "evidence_file_limit_reached");
        Assert.Equal(2, (await api.GetAsync($"/v1/disputes/{id}")).EnsureStatus(200).Json.GetProperty("evidence_files").GetArrayLength());

        using var download = new HttpRequestMessage(HttpMethod.Get, $"/v1/disputes/{id}/evidence/files/{pdfFile.Str("id")}");
        download.Headers.Authorization = ApiKey(api);
        using var response = await api.Http.SendAsync(download);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Pdf, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // Another merchant sees neither the dispute nor its file.
        var otherKey = (await Server.CreateMerchantAsync()).SecretKey;
        var other = Server.Client(otherKey);
        Problem.Assert(await other.GetAsync($"/v1/disputes/{id}"), 404, "resource_missing");
        Problem.Assert(await other.GetAsync($"/v1/disputes/{id}/evidence/files/{pdfFile.Str("id")}"), 404, "resource_missing");

        // The bytes are stored encrypted: the database file never holds the PDF in clear.
        foreach (var path in Directory.EnumerateFiles(Server.DataDirectory, "*.db*"))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory);
            Assert.DoesNotContain("/Type /Catalog", Encoding.Latin1.GetString(memory.ToArray()), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Refunds_racing_the_dispute_notifications_never_give_back_more_than_the_payment_still_holds()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var paymentId = (await Flows.PayAsync(Server, merchant, amount: 5000, number: FraudCard)).EnsureStatus(200).Str("id")
            ?? throw new InvalidOperationException("no id");

        // Four workers refund 100 at a time while the simulator's dispute (5000, funds withdrawn) arrives through the sync job.
        var disputeSeen = new TaskCompletionSource();
        var accepted = 0L;
        var refused = 0;
        async Task RefundLoopAsync()
        {
            var client = Server.Client(merchant.SecretKey);
            var stopAt = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < stopAt)
            {
                var refund = await client.PostAsync("/v1/refunds", new { payment = paymentId, amount = 100 });
                if (refund.Status == 200)
                {
                    Interlocked.Add(ref accepted, 100);
                }
                else
                {
                    Problem.Assert(refund, 422, "amount_exceeds_refundable", "amount");
                    Interlocked.Increment(ref refused);
                    if (disputeSeen.Task.IsCompleted)
                    {
                        return;
                    }
                }

                await Task.Delay(Random.Shared.Next(20, 80));
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(RefundLoopAsync)).ToList();
        var dispute = await WaitForDisputeAsync(api, paymentId, d => d.GetProperty("amount_held").GetInt64() > 0 || d.GetProperty("amount_withdrawn").GetInt64() > 0);
        disputeSeen.SetResult();
        await Task.WhenAll(workers);

        var payment = (await api.GetAsync($"/v1/payments/{paymentId}")).EnsureStatus(200);
        dispute = (await api.GetAsync($"/v1/disputes/{dispute.GetProperty("id").GetString()}")).EnsureStatus(200).Json;
        var refunded = payment.Long("amount_refunded");
        var disputed = payment.Long("amount_disputed");
        Assert.Equal(accepted, refunded);
        Assert.Equal(dispute.GetProperty("amount_held").GetInt64(), disputed);
        Assert.True(refunded + disputed <= 5000, $"refunded {refunded} + disputed {disputed} exceed the 5000 received");
        Assert.Equal(5000, refunded + disputed);
        Assert.True(refused > 0);
        var refunds = (await api.GetAsync($"/v1/refunds?payment={paymentId}&limit=100")).EnsureStatus(200).Json.GetProperty("data");
        Assert.Equal(refunded, refunds.EnumerateArray().Where(r => r.GetProperty("status").GetString() == "succeeded").Sum(r => r.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task Bad_dispute_requests_are_problems_not_500s()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        Problem.Assert(await api.GetAsync("/v1/disputes?status=maybe"), 400, "parameter_invalid", "status");
        Problem.Assert(await api.GetAsync("/v1/disputes/dp_nope"), 404, "resource_missing");
        Problem.Assert(await api.PostAsync("/v1/disputes/dp_nope/submit", null), 404, "resource_missing");
        Problem.Assert(await Server.Client(merchant.PublishableKey).GetAsync("/v1/disputes"), 403, "secret_key_required");
        Assert.Empty((await api.GetAsync("/v1/disputes")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray());
    }
}
