using System.Text;
using System.Text.Json;
using WireMock.RequestBuilders;

namespace PaymentGateway.Sdk.ContractTests;

/// <summary>What the SDK sends for statement import, entry listing and manual matching.</summary>
public sealed class BankStatementsTests : IDisposable
{
    private const string Xml = """<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>""";

    private readonly FakeGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static string EntryJson(string id = "bse_1", string status = "unmatched") => $$"""
        {"id":"{{id}}","object":"bank_statement_entry","livemode":false,"bank_statement":"bst_1","status":"{{status}}","amount":2400,
         "currency":"EUR","credit_debit":"CRDT","reversal":false,"booking_date":"2025-01-02","reference":null,
         "remittance_information":"Invoice 7","debtor_name":"Erika","debtor_account":"DE******3000","end_to_end_id":null,
         "account_servicer_reference":"ASR-1","entry_reference":null,"return_reason":null,"payment":null,"matched_by":null,
         "note":"No open payment","created":"2025-01-02T03:04:05Z","updated":"2025-01-02T03:04:05Z"}
        """;

    private static string StatementJson() => $$"""
        {"id":"bst_1","object":"bank_statement","livemode":false,"statement_id":"STMT-1","message_id":"MSG-1","account":"DE******3000",
         "entry_count":1,"matched_count":0,"unmatched_count":1,"duplicate":false,"entries":[{{EntryJson()}}],"created":"2025-01-02T03:04:05Z"}
        """;

    [Fact]
    public async Task ImportFromStream_PostsTheXmlAsIs_WithXmlContentTypeAndBearerKey_AndLeavesTheStreamOpen()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/bank_statements").UsingPost()).RespondWith(FakeGateway.Json(200, StatementJson()));
        using var client = _gateway.CreateClient();
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(Xml));

        var statement = await client.BankStatements.ImportAsync(file);

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/bank_statements", sent.Path);
        Assert.Equal($"Bearer {FakeGateway.SecretKey}", FakeGateway.Header(sent, "Authorization"));
        Assert.StartsWith("application/xml", FakeGateway.Header(sent, "Content-Type"), StringComparison.Ordinal);
        Assert.Equal(Xml, sent.Body);
        Assert.True(string.IsNullOrEmpty(FakeGateway.Header(sent, "Idempotency-Key")), "a streamed import is never retried, so it carries no key");
        Assert.True(file.CanRead, "the caller's stream is not disposed");
        Assert.Equal(file.Length, file.Position);

        Assert.Equal("bst_1", statement.Id);
        Assert.Equal((1, 0, 1), (statement.EntryCount, statement.MatchedCount, statement.UnmatchedCount));
        var entry = Assert.Single(statement.Entries);
        Assert.Equal(BankStatementEntryStatus.Unmatched, entry.Status);
        Assert.Equal(2400, entry.Amount);
        Assert.Equal("bst_1", entry.BankStatement);
    }

    [Fact]
    public async Task ImportFromUnseekableStream_IsSentChunked_NotBuffered()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/bank_statements").UsingPost()).RespondWith(FakeGateway.Json(200, StatementJson()));
        using var client = _gateway.CreateClient();
        await using var file = new ForwardOnlyStream(Encoding.UTF8.GetBytes(Xml));

        await client.BankStatements.ImportAsync(file);

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal(Xml, sent.Body);
        Assert.Equal("chunked", FakeGateway.Header(sent, "Transfer-Encoding"));
        Assert.StartsWith("application/xml", FakeGateway.Header(sent, "Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportFromString_SendsUtf8Xml()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/bank_statements").UsingPost()).RespondWith(FakeGateway.Json(200, StatementJson()));
        using var client = _gateway.CreateClient();

        await client.BankStatements.ImportAsync(Xml);

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("/v1/bank_statements", sent.Path);
        Assert.Equal("application/xml; charset=utf-8", FakeGateway.Header(sent, "Content-Type"));
        Assert.Equal(Xml, sent.Body);
    }

    [Fact]
    public async Task GetStatement_ListEntriesWithFilters_AutoPages_AndMatchSendsThePayment()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/bank_statements/bst_1").UsingGet()).RespondWith(FakeGateway.Json(200, StatementJson()));
        _gateway.Server.Given(Request.Create().WithPath("/v1/bank_statement_entries").UsingGet().WithParam("starting_after", "bse_2"))
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(false, EntryJson("bse_1"))));
        _gateway.Server.Given(Request.Create().WithPath("/v1/bank_statement_entries").UsingGet().WithParam("status", "unmatched"))
            .AtPriority(10)
            .RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(true, EntryJson("bse_3"), EntryJson("bse_2"))));
        _gateway.Server.Given(Request.Create().WithPath("/v1/bank_statement_entries/bse_1/match").UsingPost())
            .RespondWith(FakeGateway.Json(200, EntryJson("bse_1", "matched")));
        using var client = _gateway.CreateClient();

        Assert.Equal("STMT-1", (await client.BankStatements.GetAsync("bst_1")).StatementId);
        var ids = new List<string>();
        await foreach (var e in client.BankStatementEntries.ListAutoPagingAsync(new ListBankStatementEntriesRequest { Status = BankStatementEntryStatus.Unmatched, BankStatement = "bst_1", Limit = 2 }))
        {
            ids.Add(e.Id);
        }

        Assert.Equal(["bse_3", "bse_2", "bse_1"], ids);
        var matched = await client.BankStatementEntries.MatchAsync("bse_1", "pay_9");
        Assert.Equal(BankStatementEntryStatus.Matched, matched.Status);

        var requests = _gateway.Requests;
        Assert.Equal("/v1/bank_statements/bst_1", requests[0].Path);
        var firstPage = FakeGateway.DecodedQuery(requests[1]);
        Assert.Equal("unmatched", firstPage["status"]);
        Assert.Equal("bst_1", firstPage["bank_statement"]);
        Assert.Equal("2", firstPage["limit"]);
        Assert.Equal("bse_2", FakeGateway.DecodedQuery(requests[2])["starting_after"]);
        Assert.Equal("unmatched", FakeGateway.DecodedQuery(requests[2])["status"]);

        var match = requests[3];
        Assert.Equal("POST", match.Method);
        Assert.Equal("/v1/bank_statement_entries/bse_1/match", match.Path);
        Assert.Equal($"Bearer {FakeGateway.SecretKey}", FakeGateway.Header(match, "Authorization"));
        Assert.False(string.IsNullOrEmpty(FakeGateway.Header(match, "Idempotency-Key")));
        using var body = JsonDocument.Parse(match.Body ?? "");
        Assert.Equal("pay_9", body.RootElement.GetProperty("payment").GetString());
        Assert.Single(body.RootElement.EnumerateObject());
    }

    [Fact]
    public async Task OverGrpc_BankStatementOperations_ThrowNotSupported_WithoutSending()
    {
        using var client = _gateway.CreateClient(o => o.Transport = PaymentGatewayTransport.Grpc);

        var import = await Assert.ThrowsAsync<NotSupportedException>(() => client.BankStatements.ImportAsync(Xml));
        Assert.Contains("BankStatements.ImportAsync", import.Message, StringComparison.Ordinal);
        Assert.Contains("REST", import.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.BankStatements.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(Xml))));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.BankStatements.GetAsync("bst_1"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.BankStatementEntries.ListAsync());
        await Assert.ThrowsAsync<NotSupportedException>(() => client.BankStatementEntries.MatchAsync("bse_1", "pay_1"));
        Assert.Empty(_gateway.Requests);
    }

    /// <summary>A stream that can only be read forward: its length is unknown, so the body must be streamed.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
