using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Bank transfers through the real gateway: create a transfer payment, import a camt.053 statement, watch the payment
/// and its events move. The scenarios run on SQLite (<see cref="BankTransferSqliteTests"/>) and PostgreSQL
/// (<see cref="BankTransferPostgresTests"/>).
/// </summary>
public abstract partial class BankTransferScenarios : IAsyncLifetime
{
    public const string CollectionIban = "DE89370400440532013000";

    private GatewayServer? _server;
    private TestMerchant? _merchant;

    protected GatewayServer Server => _server ?? throw new InvalidOperationException("not started");

    protected TestMerchant Merchant => _merchant ?? throw new InvalidOperationException("not started");

    protected GatewayClient Sk => Server.Client(Merchant.SecretKey);

    protected virtual Dictionary<string, string?> Settings() => new()
    {
        ["PaymentGateway:BankTransfers:CollectionAccount:Iban"] = "DE89 3704 0044 0532 0130 00",
        ["PaymentGateway:BankTransfers:CollectionAccount:Bic"] = "COBADEFFXXX",
        ["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"] = "Demo Shop GmbH",
        ["PaymentGateway:BankTransfers:ExpiryEnabled"] = "false",
        ["PaymentGateway:BankTransfers:SettlementEnabled"] = "false", // the settlement tests drive the job with their own clock
        ["PaymentGateway:BankTransfers:CreditorId"] = "DE98 ZZZ 0999 9999 999",
        ["PaymentGateway:BankTransfers:MaxStatementBytes"] = (4 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public virtual async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(Settings());
        _merchant = await Server.CreateMerchantAsync("Bank transfer merchant");
    }

    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected async Task<ApiResponse> CreateTransferAsync(long amount, string currency = "EUR") =>
        await Sk.PostAsync("/v1/payments", new { amount, currency, payment_method_type = "bank_transfer", description = "Order 4711" });

    protected static string Reference(ApiResponse payment) =>
        payment.Json.GetProperty("next_action").GetProperty("bank_transfer_instructions").GetProperty("reference").GetString()!;

    protected static string Statement(string name, string refA, string refB = "RF712348231") =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Statements", name + ".camt053.xml"))
            .Replace("{{REF_A}}", refA, StringComparison.Ordinal)
            .Replace("{{REF_B_SPACED_LOWER}}", SpacedLower(refB), StringComparison.Ordinal)
            .Replace("{{REF_B}}", refB, StringComparison.Ordinal);

    private static string SpacedLower(string reference) =>
        string.Join(' ', reference.Chunk(4).Select(c => new string(c))).ToLowerInvariant();

    protected Task<ApiResponse> ImportAsync(string xml, string? idempotencyKey = null) =>
        Sk.PostRawAsync("/v1/bank_statements", xml, idempotencyKey, "application/xml");

    protected async Task<ApiResponse> PaymentAsync(string id) => (await Sk.GetAsync("/v1/payments/" + id)).EnsureStatus(200);

    protected async Task<int> CountAsync(string path) =>
        (await Sk.GetAsync(path)).EnsureStatus(200).Json.GetProperty("data").GetArrayLength();

    protected async Task TransferPaidByStatement_SucceedsWithEventAndWebhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        (await Sk.PostAsync("/v1/webhook_endpoints", new { url = receiver.Url, enabled_events = new[] { "payment.succeeded" } })).EnsureStatus(200);

        var a = (await CreateTransferAsync(10000)).EnsureStatus(200);
        var b = (await CreateTransferAsync(5000)).EnsureStatus(200);
        Assert.Equal("requires_action", a.Str("status"));
        Assert.Equal("bank_transfer", a.Str("payment_method_type"));
        var instructions = a.Json.GetProperty("next_action").GetProperty("bank_transfer_instructions");
        Assert.Equal("bank_transfer_instructions", a.Json.GetProperty("next_action").GetProperty("type").GetString());
        Assert.Equal(CollectionIban, instructions.GetProperty("iban").GetString());
        Assert.Equal("COBADEFFXXX", instructions.GetProperty("bic").GetString());
        Assert.Equal("Demo Shop GmbH", instructions.GetProperty("account_holder_name").GetString());
        Assert.Equal(10000, instructions.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", instructions.GetProperty("currency").GetString());
        Assert.True(Core.BankTransfers.CreditorReference.IsValid(Reference(a)));
        Assert.NotEqual(Reference(a), Reference(b));
        Assert.True(instructions.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(13));
        var created = (await Sk.GetAsync($"/v1/events?object_id={a.Str("id")}")).EnsureStatus(200).Json.GetProperty("data");
        Assert.Equal(["payment.requires_action", "payment.created"], created.EnumerateArray().Select(e => e.GetProperty("type").GetString()));

        var import = (await ImportAsync(Statement("multiple-entries", Reference(a), Reference(b)))).EnsureStatus(200);
        Assert.False(import.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal(4, import.Json.GetProperty("entry_count").GetInt32());
        Assert.Equal(2, import.Json.GetProperty("matched_count").GetInt32());
        Assert.Equal(1, import.Json.GetProperty("unmatched_count").GetInt32());
        var entries = import.Json.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["matched", "matched", "unmatched", "ignored"], entries.Select(e => e.GetProperty("status").GetString()));
        Assert.Equal(a.Str("id"), entries[0].GetProperty("payment").GetString());
        Assert.Equal("structured_reference", entries[0].GetProperty("matched_by").GetString());
        Assert.Equal(b.Str("id"), entries[1].GetProperty("payment").GetString());
        Assert.Equal("remittance_information", entries[1].GetProperty("matched_by").GetString());
        Assert.Equal("FR******2606", entries[0].GetProperty("debtor_account").GetString());
        Assert.DoesNotContain("FR1420041010050500013M02606", import.Body, StringComparison.Ordinal);

        var paidA = await PaymentAsync(a.Str("id")!);
        Assert.Equal("succeeded", paidA.Str("status"));
        Assert.Equal(10000, paidA.Long("amount_received"));
        Assert.Equal(JsonValueKindNull, paidA.Json.GetProperty("next_action").ValueKind);
        Assert.Equal("succeeded", (await PaymentAsync(b.Str("id")!)).Str("status"));

        var hooks = await receiver.WaitForAsync(r => r.Count(h => h.Type == "payment.succeeded") >= 2, TimeSpan.FromSeconds(30), "two payment.succeeded webhooks");
        Assert.Contains(hooks, h => h.Body.Contains(a.Str("id")!, StringComparison.Ordinal));
        Assert.Equal(1, await CountAsync("/v1/bank_statement_entries?status=unmatched"));
    }

    protected async Task SameStatementTwice_ChangesNothing()
    {
        var a = (await CreateTransferAsync(10000)).EnsureStatus(200);
        var xml = Statement("multiple-entries", Reference(a));
        var first = (await ImportAsync(xml, "import-1")).EnsureStatus(200);
        var events = await CountAsync("/v1/events?limit=100");
        var entries = await CountAsync("/v1/bank_statement_entries?limit=100");

        var again = (await ImportAsync(xml)).EnsureStatus(200);
        Assert.True(again.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.Equal(0, again.Json.GetProperty("entries").GetArrayLength());
        var withKey = (await ImportAsync(xml, "import-1")).EnsureStatus(200);
        Assert.True(withKey.Json.GetProperty("duplicate").GetBoolean());

        // The same entries inside another statement (a re-issued statement with a new id) are not counted twice either.
        var reissued = (await ImportAsync(xml.Replace("STMT-MULTI-0001", "STMT-MULTI-0001-REISSUE", StringComparison.Ordinal))).EnsureStatus(200);
        Assert.Equal(0, reissued.Json.GetProperty("entry_count").GetInt32());

        Assert.Equal(events, await CountAsync("/v1/events?limit=100"));
        Assert.Equal(entries, await CountAsync("/v1/bank_statement_entries?limit=100"));
        var paid = await PaymentAsync(a.Str("id")!);
        Assert.Equal(10000, paid.Long("amount_received"));
        Assert.Equal(0, paid.Json.GetProperty("bank_transfer").GetProperty("amount_refund_due").GetInt64());
        Assert.Equal(2, await CountAsync("/v1/bank_statements"));
    }

    protected async Task UnderOverAndManualMatch()
    {
        var under = (await CreateTransferAsync(12000)).EnsureStatus(200);
        var over = (await CreateTransferAsync(10000)).EnsureStatus(200);
        var import = (await ImportAsync(Statement("batch", Reference(under), Reference(over)))).EnsureStatus(200);
        Assert.Equal(3, import.Json.GetProperty("entry_count").GetInt32());

        var partial = await PaymentAsync(under.Str("id")!);
        Assert.Equal("requires_action", partial.Str("status"));
        Assert.Equal(10000, partial.Long("amount_received"));
        Assert.Equal(2000, partial.Json.GetProperty("bank_transfer").GetProperty("amount_remaining").GetInt64());
        Assert.Equal(2000, partial.Json.GetProperty("next_action").GetProperty("bank_transfer_instructions").GetProperty("amount").GetInt64());
        var partialEvents = (await Sk.GetAsync($"/v1/events?object_id={under.Str("id")}&type=payment.partially_funded")).EnsureStatus(200);
        Assert.Equal(1, partialEvents.Json.GetProperty("data").GetArrayLength());

        var overpaid = await PaymentAsync(over.Str("id")!);
        Assert.Equal("succeeded", overpaid.Str("status"));
        Assert.Equal(15000, overpaid.Long("amount_received"));
        Assert.Equal(5000, overpaid.Json.GetProperty("bank_transfer").GetProperty("amount_surplus").GetInt64());

        var unmatched = (await Sk.GetAsync("/v1/bank_statement_entries?status=unmatched")).EnsureStatus(200).Json.GetProperty("data");
        var entryId = Assert.Single(unmatched.EnumerateArray()).GetProperty("id").GetString()!;

        // Manual matching: refuses a card payment and a non-existent payment, then credits the transfer.
        var card = (await Sk.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR" })).EnsureStatus(200);
        Assert.Equal("parameter_invalid", (await Sk.PostAsync($"/v1/bank_statement_entries/{entryId}/match", new { payment = card.Str("id") })).EnsureStatus(400).Code);
        (await Sk.PostAsync($"/v1/bank_statement_entries/{entryId}/match", new { payment = "pay_doesnotexist" })).EnsureStatus(404);
        var matched = (await Sk.PostAsync($"/v1/bank_statement_entries/{entryId}/match", new { payment = under.Str("id") })).EnsureStatus(200);
        Assert.Equal("matched", matched.Str("status"));
        Assert.Equal("manual", matched.Str("matched_by"));
        var paid = await PaymentAsync(under.Str("id")!);
        Assert.Equal("succeeded", paid.Str("status"));
        Assert.Equal(15000, paid.Long("amount_received"));
        Assert.Equal(3000, paid.Json.GetProperty("bank_transfer").GetProperty("amount_surplus").GetInt64());
        Assert.Equal("bank_entry_not_matchable", (await Sk.PostAsync($"/v1/bank_statement_entries/{entryId}/match", new { payment = under.Str("id") })).EnsureStatus(409).Code);
        Assert.Equal(0, await CountAsync("/v1/bank_statement_entries?status=unmatched"));

        // The statement's counts follow the manual match, on retrieve and in the list.
        Assert.Equal((2, 1), (import.Json.GetProperty("matched_count").GetInt32(), import.Json.GetProperty("unmatched_count").GetInt32()));
        var statement = (await Sk.GetAsync($"/v1/bank_statements/{import.Str("id")}")).EnsureStatus(200);
        Assert.Equal(3, statement.Json.GetProperty("matched_count").GetInt32());
        Assert.Equal(0, statement.Json.GetProperty("unmatched_count").GetInt32());
        Assert.Equal(3, statement.Json.GetProperty("entry_count").GetInt32());
        var listed = (await Sk.GetAsync("/v1/bank_statements")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray().Single(s => s.GetProperty("id").GetString() == import.Str("id"));
        Assert.Equal(3, listed.GetProperty("matched_count").GetInt32());
        Assert.Equal(0, listed.GetProperty("unmatched_count").GetInt32());
    }

    protected async Task BadStatements_AreRefusedAndChangeNothing()
    {
        var a = (await CreateTransferAsync(10000)).EnsureStatus(200);
        var good = Statement("multiple-entries", Reference(a));
        var cases = new (string Xml, int Status, string Code)[]
        {
            (good[..(good.Length / 2)], 400, "statement_invalid"),
            (good.Replace("camt.053.001.02", "camt.052.001.02", StringComparison.Ordinal), 422, "statement_unsupported"),
            (good.Replace("<Amt Ccy=\"EUR\">10.00</Amt>", "<Amt Ccy=\"EUR\">ten</Amt>", StringComparison.Ordinal), 400, "statement_invalid"),
            (ExternalEntity, 400, "statement_invalid"),
            (BillionLaughs, 400, "statement_invalid"),
            (string.Empty, 400, "statement_invalid"),
        };
        foreach (var (xml, status, code) in cases)
        {
            var response = await ImportAsync(xml);
            Assert.True(response.Status == status, $"expected {status} {code}, got {response.Status}: {response.Body}");
            Assert.Equal(code, response.Code);
            Assert.Equal("application/problem+json", response.ContentType);
        }

        Assert.Equal("unsupported_media_type", (await Sk.PostRawAsync("/v1/bank_statements", good, null, "application/json")).EnsureStatus(400).Code);
        Assert.Equal(0, await CountAsync("/v1/bank_statements"));
        Assert.Equal(0, await CountAsync("/v1/bank_statement_entries"));
        var untouched = await PaymentAsync(a.Str("id")!);
        Assert.Equal("requires_action", untouched.Str("status"));
        Assert.Equal(0, untouched.Long("amount_received"));
    }

    protected async Task FiftyMegabyteStatement_Is413AndChangesNothing()
    {
        var a = (await CreateTransferAsync(10000)).EnsureStatus(200);

        // A real statement whose entries go on past the cap: 50 MB, with the Content-Length and then streamed without one.
        var head = Statement("multiple-entries", Reference(a)).Replace("</Stmt>", string.Empty, StringComparison.Ordinal)
            .Replace("</BkToCstmrStmt>", string.Empty, StringComparison.Ordinal).Replace("</Document>", string.Empty, StringComparison.Ordinal);
        var filler = new StringBuilder();
        while (filler.Length < 64 * 1024)
        {
            filler.Append("<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AddtlNtryInf>filler</AddtlNtryInf></Ntry>\n");
        }

        var chunk = Encoding.UTF8.GetBytes(filler.ToString());
        foreach (var knownLength in new[] { true, false })
        {
            using var body = new BigStatementStream(Encoding.UTF8.GetBytes(head), chunk, 50L * 1024 * 1024);
            using var content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            if (knownLength)
            {
                content.Headers.ContentLength = body.Length;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/bank_statements") { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Merchant.SecretKey);
            HttpResponseMessage response;
            try
            {
                response = await Sk.Http.SendAsync(request);
            }
            catch (HttpRequestException)
            {
                // The server may answer 413 and close before the client finished sending; what matters is below.
                continue;
            }

            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(413, (int)response.StatusCode);
            Assert.Contains("statement_too_large", text, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountAsync("/v1/bank_statements"));
        Assert.Equal("requires_action", (await PaymentAsync(a.Str("id")!)).Str("status"));
    }

    protected async Task SepaPaymentMethod_IsValidatedEncryptedAndMasked()
    {
        var pk = Server.Client(Merchant.PublishableKey);
        var created = (await pk.PostAsync("/v1/payment_methods", new
        {
            type = "sepa_debit",
            sepa_debit = new { iban = "GB82 WEST 1234 5698 7654 32", bic = "NWBKGB2L" },
            holder_name = "Ada Lovelace",
        })).EnsureStatus(200);
        Assert.Equal("sepa_debit", created.Str("type"));
        var sepa = created.Json.GetProperty("sepa_debit");
        Assert.Equal("GB", sepa.GetProperty("country").GetString());
        Assert.Equal("5432", sepa.GetProperty("last4").GetString());
        Assert.Equal("NWBKGB2L", sepa.GetProperty("bic").GetString());
        Assert.DoesNotContain("WEST12345698765432", created.Body, StringComparison.Ordinal);

        var same = (await pk.PostAsync("/v1/payment_methods", new { type = "sepa_debit", sepa_debit = new { iban = "gb82west12345698765432" }, holder_name = "A. Lovelace" })).EnsureStatus(200);
        Assert.Equal(sepa.GetProperty("fingerprint").GetString(), same.Json.GetProperty("sepa_debit").GetProperty("fingerprint").GetString());

        var fetched = (await Sk.GetAsync("/v1/payment_methods/" + created.Str("id"))).EnsureStatus(200);
        Assert.Equal("5432", fetched.Json.GetProperty("sepa_debit").GetProperty("last4").GetString());

        Assert.Equal("iban_invalid", (await pk.PostAsync("/v1/payment_methods", new { type = "sepa_debit", sepa_debit = new { iban = "GB82 WEST 1234 5698 7654 33" }, holder_name = "X" })).EnsureStatus(400).Code);
        Assert.Equal("iban_invalid", (await pk.PostAsync("/v1/payment_methods", new { type = "sepa_debit", sepa_debit = new { iban = "DE89 3704 0044 0532 0130" }, holder_name = "X" })).EnsureStatus(400).Code);
        Assert.Equal("bic_invalid", (await pk.PostAsync("/v1/payment_methods", new { type = "sepa_debit", sepa_debit = new { iban = "DE89370400440532013000", bic = "DEUT" }, holder_name = "X" })).EnsureStatus(400).Code);
        Assert.Equal("parameter_missing", (await pk.PostAsync("/v1/payment_methods", new { type = "sepa_debit", sepa_debit = new { iban = "DE89370400440532013000" } })).EnsureStatus(400).Code);
        Assert.Equal("publishable_key_required", (await Sk.PostAsync("/v1/payment_methods", new { type = "sepa_debit", sepa_debit = new { iban = "DE89370400440532013000" }, holder_name = "X" })).Code);
    }

    protected async Task TransferRequests_AreValidated()
    {
        Assert.Equal("currency_unsupported", (await CreateTransferAsync(1000, "USD")).EnsureStatus(400).Code);
        Assert.Equal("parameter_invalid", (await Sk.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method_type = "ideal" })).EnsureStatus(400).Code);
        Assert.Equal("parameter_invalid", (await Sk.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method_type = "bank_transfer", confirm = true })).EnsureStatus(400).Code);
        var a = (await CreateTransferAsync(1000)).EnsureStatus(200);
        var card = await Flows.TokenizeAsync(Server, Merchant);
        Assert.Equal("payment_state_conflict", (await Sk.PostAsync($"/v1/payments/{a.Str("id")}/confirm", new { payment_method = card })).EnsureStatus(409).Code);
        Assert.Equal("requires_action", (await PaymentAsync(a.Str("id")!)).Str("status"));
    }

    private const string ExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE Document [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&xxe;</Id></Stmt></BkToCstmrStmt></Document>
        """;

    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&lol9;</Id></Stmt></BkToCstmrStmt></Document>
        """;

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    /// <summary>A statement head followed by repeated entries up to <c>length</c> bytes, generated as it is read.</summary>
    private sealed class BigStatementStream(byte[] head, byte[] chunk, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count && _position < length)
            {
                var source = _position < head.Length ? head : chunk;
                var sourceOffset = _position < head.Length ? (int)_position : (int)((_position - head.Length) % chunk.Length);
                var n = (int)Math.Min(Math.Min(count - written, source.Length - sourceOffset), length - _position);
                Array.Copy(source, sourceOffset, buffer, offset + written, n);
                written += n;
                _position += n;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    protected async Task<string> SepaMethodAsync(string iban = "DE89 3704 0044 0532 0130 00") =>
        (await Server.Client(Merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "sepa_debit",
            sepa_debit = new { iban, bic = "COBADEFFXXX" },
            holder_name = "Ada Lovelace",
        })).EnsureStatus(200).Str("id")!;

    protected async Task Mandates_AreValidatedStoredAndScoped()
    {
        var pm = await SepaMethodAsync();
        var created = (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, reference = "Shop-Mandate-0001", signature_date = "2026-01-15" })).EnsureStatus(200);
        Assert.Equal("mandate", created.Str("object"));
        Assert.StartsWith("mdt_", created.Str("id"), StringComparison.Ordinal);
        Assert.Equal(pm, created.Str("payment_method"));
        Assert.Equal("Shop-Mandate-0001", created.Str("reference"));
        Assert.Equal("2026-01-15", created.Str("signature_date"));
        Assert.Equal("DE98ZZZ09999999999", created.Str("creditor_id"));
        Assert.DoesNotContain("370400440532013000", created.Body, StringComparison.Ordinal);

        var fetched = (await Sk.GetAsync("/v1/mandates/" + created.Str("id"))).EnsureStatus(200);
        Assert.Equal(created.Body, fetched.Body);

        // Generated reference when none is given; valid per SEPA.
        var generated = (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, signature_date = "2026-01-15" })).EnsureStatus(200);
        Assert.True(Core.BankTransfers.MandateReference.IsValid(generated.Str("reference")));

        // Unique per merchant, ignoring case; nothing written on refusal.
        Assert.Equal("mandate_reference_taken", (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, reference = "SHOP-MANDATE-0001", signature_date = "2026-01-15" })).EnsureStatus(409).Code);
        Assert.Equal("mandate_reference_invalid", (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, reference = "has space", signature_date = "2026-01-15" })).EnsureStatus(400).Code);
        Assert.Equal("mandate_reference_invalid", (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, reference = new string('A', 36), signature_date = "2026-01-15" })).EnsureStatus(400).Code);
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("parameter_invalid", (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, signature_date = tomorrow })).EnsureStatus(400).Code);
        Assert.Equal("parameter_invalid", (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, signature_date = "15.01.2026" })).EnsureStatus(400).Code);
        Assert.Equal("parameter_missing", (await Sk.PostAsync("/v1/mandates", new { payment_method = pm })).EnsureStatus(400).Code);

        // A card is not a debtor account; another merchant's method is not found; publishable keys cannot create mandates.
        var card = (await Server.Client(Merchant.PublishableKey).PostAsync("/v1/payment_methods", new { type = "card", card = new { number = "4242424242424242", exp_month = 12, exp_year = 2040, cvc = "123" } })).EnsureStatus(200).Str("id");
        Assert.Equal("parameter_invalid", (await Sk.PostAsync("/v1/mandates", new { payment_method = card, signature_date = "2026-01-15" })).EnsureStatus(400).Code);
        var other = await Server.CreateMerchantAsync("Other merchant");
        var otherSk = Server.Client(other.SecretKey);
        Assert.Equal("resource_missing", (await otherSk.PostAsync("/v1/mandates", new { payment_method = pm, signature_date = "2026-01-15" })).EnsureStatus(404).Code);
        Assert.Equal(404, (await otherSk.GetAsync("/v1/mandates/" + created.Str("id"))).Status);
        Assert.Equal("secret_key_required", (await Server.Client(Merchant.PublishableKey).PostAsync("/v1/mandates", new { payment_method = pm, signature_date = "2026-01-15" })).Code);
    }

    protected async Task DirectDebitPayment_IsProcessingUnderItsMandate()
    {
        var pm = await SepaMethodAsync();
        var mandate = (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, signature_date = "2026-01-15" })).EnsureStatus(200).Str("id");

        var debit = (await Sk.PostAsync("/v1/payments", new { amount = 4990, currency = "EUR", payment_method_type = "sepa_debit", mandate, description = "Subscription" })).EnsureStatus(200);
        Assert.Equal("processing", debit.Str("status"));
        Assert.Equal("sepa_debit", debit.Str("payment_method_type"));
        Assert.Equal(pm, debit.Str("payment_method"));
        Assert.DoesNotContain("370400440532013000", debit.Body, StringComparison.Ordinal);
        var types = (await Sk.GetAsync($"/v1/events?object_id={debit.Str("id")}")).EnsureStatus(200).Json.GetProperty("data")
            .EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("payment.created", types);
        Assert.Contains("payment.processing", types);
        Assert.DoesNotContain(types, t => t is "payment.succeeded" or "payment.failed");
        Assert.Equal("processing", (await PaymentAsync(debit.Str("id")!)).Str("status"));

        var before = await CountAsync("/v1/payments?limit=100");
        Assert.Equal("currency_unsupported", (await Sk.PostAsync("/v1/payments", new { amount = 100, currency = "GBP", payment_method_type = "sepa_debit", mandate })).EnsureStatus(400).Code);
        Assert.Equal("parameter_missing", (await Sk.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method_type = "sepa_debit" })).EnsureStatus(400).Code);
        Assert.Equal("resource_missing", (await Sk.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method_type = "sepa_debit", mandate = "mdt_nope" })).EnsureStatus(404).Code);
        Assert.Equal("parameter_invalid", (await Sk.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method_type = "sepa_debit", mandate, payment_method = pm })).EnsureStatus(400).Code);
        Assert.Equal("parameter_invalid", (await Sk.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method_type = "bank_transfer", mandate })).EnsureStatus(400).Code);
        var other = await Server.CreateMerchantAsync("Other debit merchant");
        Assert.Equal("resource_missing", (await Server.Client(other.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method_type = "sepa_debit", mandate })).EnsureStatus(404).Code);
        Assert.Equal(before, await CountAsync("/v1/payments?limit=100"));
    }

    protected static string ReturnStatement(string statementId, string endToEndId, string reason, string amount) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>MSG-{statementId}</MsgId><CreDtTm>2026-12-03T06:00:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>{statementId}</Id>
              <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
              <Ntry>
                <Amt Ccy="EUR">{amount}</Amt>
                <CdtDbtInd>DBIT</CdtDbtInd>
                <Sts>BOOK</Sts>
                <BookgDt><Dt>2026-12-03</Dt></BookgDt>
                <AcctSvcrRef>{statementId}-R1</AcctSvcrRef>
                <NtryDtls><TxDtls>
                  <Refs><EndToEndId>{endToEndId}</EndToEndId></Refs>
                  <RtrInf><Rsn><Cd>{reason}</Cd></Rsn></RtrInf>
                </TxDtls></NtryDtls>
              </Ntry>
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;

    protected async Task DirectDebitReturn_FailsThePaymentOnce()
    {
        var pm = await SepaMethodAsync();
        var mandate = (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, signature_date = "2026-01-15" })).EnsureStatus(200).Str("id");
        var debit = (await Sk.PostAsync("/v1/payments", new { amount = 4990, currency = "EUR", payment_method_type = "sepa_debit", mandate })).EnsureStatus(200);
        var id = debit.Str("id")!;
        var untouched = (await Sk.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method_type = "sepa_debit", mandate })).EnsureStatus(200).Str("id")!;

        var xml = ReturnStatement("STMT-DD-RET-1", id.Replace('_', '-'), "MD06", "49.90");
        var import = (await ImportAsync(xml)).EnsureStatus(200);
        var entry = import.Json.GetProperty("entries").EnumerateArray().Single();
        Assert.Equal("returned", entry.GetProperty("status").GetString());
        Assert.Equal(id, entry.GetProperty("payment").GetString());
        Assert.Equal("MD06", entry.GetProperty("return_reason").GetString());

        var failed = await PaymentAsync(id);
        Assert.Equal("failed", failed.Str("status"));
        var error = failed.Json.GetProperty("last_payment_error");
        Assert.Equal("direct_debit_returned", error.GetProperty("code").GetString());
        Assert.Equal("MD06", error.GetProperty("decline_code").GetString());
        var types = (await Sk.GetAsync($"/v1/events?object_id={id}")).EnsureStatus(200).Json.GetProperty("data")
            .EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Single(types, t => t == "payment.failed");
        Assert.Equal("processing", (await PaymentAsync(untouched)).Str("status"));

        // The same statement again changes nothing.
        var events = await CountAsync("/v1/events?limit=100");
        var again = (await ImportAsync(xml)).EnsureStatus(200);
        Assert.True(again.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal(events, await CountAsync("/v1/events?limit=100"));
        Assert.Equal(failed.Body, (await PaymentAsync(id)).Body);

        // A later statement returning the same (already failed) debit is listed but moves nothing.
        var late = (await ImportAsync(ReturnStatement("STMT-DD-RET-2", id.Replace('_', '-'), "AC04", "49.90"))).EnsureStatus(200);
        Assert.Equal("returned", late.Json.GetProperty("entries")[0].GetProperty("status").GetString());
        Assert.Equal(events, await CountAsync("/v1/events?limit=100"));
        Assert.Equal("MD06", (await PaymentAsync(id)).Json.GetProperty("last_payment_error").GetProperty("decline_code").GetString());
    }

    protected async Task DirectDebitExport_ContainsEachDebitOnce()
    {
        var pm = await SepaMethodAsync("GB82 WEST 1234 5698 7654 32");
        var mandate = (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, reference = "EXPORT-M-1", signature_date = "2026-01-15" })).EnsureStatus(200).Str("id");
        var a = (await Sk.PostAsync("/v1/payments", new { amount = 4990, currency = "EUR", payment_method_type = "sepa_debit", mandate, description = "Invoice 1" })).EnsureStatus(200).Str("id")!;
        var b = (await Sk.PostAsync("/v1/payments", new { amount = 1001, currency = "EUR", payment_method_type = "sepa_debit", mandate })).EnsureStatus(200).Str("id")!;

        // The mandate's first debit goes out alone as FRST; a RCUR may only follow a FRST that was sent, so b waits.
        var export = (await Sk.PostAsync("/v1/direct_debit_batches", new { })).EnsureStatus(200);
        Assert.Equal("application/xml", export.ContentType);
        Assert.Equal("1", export.Header("Direct-Debit-Count"));
        var doc = System.Xml.Linq.XDocument.Parse(export.Body);
        System.Xml.Linq.XNamespace ns = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02";
        var header = doc.Descendants(ns + "GrpHdr").Single();
        Assert.Equal(export.Header("Direct-Debit-Batch")!.Replace('_', '-'), header.Element(ns + "MsgId")!.Value);
        Assert.Equal("1", header.Element(ns + "NbOfTxs")!.Value);
        Assert.Equal("49.90", header.Element(ns + "CtrlSum")!.Value);
        Assert.Equal("FRST", doc.Descendants(ns + "SeqTp").Single().Value);
        Assert.Equal("DE98ZZZ09999999999", doc.Descendants(ns + "CdtrSchmeId").Single().Descendants(ns + "Id").Last().Value);
        Assert.Equal("DE89370400440532013000", doc.Descendants(ns + "CdtrAcct").Single().Descendants(ns + "IBAN").Single().Value);
        var second = (await Sk.PostAsync("/v1/direct_debit_batches", new { })).EnsureStatus(200);
        Assert.Equal("1", second.Header("Direct-Debit-Count"));
        Assert.Equal("RCUR", System.Xml.Linq.XDocument.Parse(second.Body).Descendants(ns + "SeqTp").Single().Value);
        var txs = doc.Descendants(ns + "DrctDbtTxInf").Concat(System.Xml.Linq.XDocument.Parse(second.Body).Descendants(ns + "DrctDbtTxInf")).ToList();
        Assert.Equal([a, b], txs.Select(t => Core.BankTransfers.EndToEndId.ToPaymentId(t.Descendants(ns + "EndToEndId").Single().Value)!));
        Assert.All(txs, t => Assert.Equal("GB82WEST12345698765432", t.Element(ns + "DbtrAcct")!.Descendants(ns + "IBAN").Single().Value));
        Assert.All(txs, t => Assert.Equal("EXPORT-M-1", t.Descendants(ns + "MndtId").Single().Value));
        Assert.All(txs, t => Assert.Equal("2026-01-15", t.Descendants(ns + "DtOfSgntr").Single().Value));

        // A second export repeats nothing; the IBAN is in the file only, never in the payment or its events.
        Assert.Equal(204, (await Sk.PostAsync("/v1/direct_debit_batches", new { })).Status);
        Assert.Equal("processing", (await PaymentAsync(a)).Str("status"));
        var events = (await Sk.GetAsync("/v1/events?limit=100")).EnsureStatus(200);
        Assert.DoesNotContain("WEST12345698765432", events.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("WEST12345698765432", (await PaymentAsync(a)).Body, StringComparison.Ordinal);

        // A new debit goes into the next file alone; a return of an exported one fails it.
        var c = (await Sk.PostAsync("/v1/payments", new { amount = 700, currency = "EUR", payment_method_type = "sepa_debit", mandate })).EnsureStatus(200).Str("id")!;
        var next = (await Sk.PostAsync("/v1/direct_debit_batches", new { })).EnsureStatus(200);
        Assert.Equal("1", next.Header("Direct-Debit-Count"));
        Assert.Contains(c.Replace('_', '-'), next.Body, StringComparison.Ordinal);
        (await ImportAsync(ReturnStatement("STMT-DD-EXP-1", a.Replace('_', '-'), "AC04", "49.90"))).EnsureStatus(200);
        Assert.Equal("failed", (await PaymentAsync(a)).Str("status"));
        Assert.Equal(204, (await Sk.PostAsync("/v1/direct_debit_batches", new { })).Status);
    }
}

public sealed partial class BankTransferSqliteTests : BankTransferScenarios
{
    [Fact]
    public Task Mandates_AreValidatedStoredAndScoped_Sqlite() => Mandates_AreValidatedStoredAndScoped();

    [Fact]
    public Task DirectDebitPayment_IsProcessingUnderItsMandate_Sqlite() => DirectDebitPayment_IsProcessingUnderItsMandate();

    [Fact]
    public Task DirectDebitReturn_FailsThePaymentOnce_Sqlite() => DirectDebitReturn_FailsThePaymentOnce();

    [Fact]
    public Task DirectDebitExport_ContainsEachDebitOnce_Sqlite() => DirectDebitExport_ContainsEachDebitOnce();

    [Fact]
    public Task TransferPaidByStatement_SucceedsWithEventAndWebhook_Sqlite() => TransferPaidByStatement_SucceedsWithEventAndWebhook();

    [Fact]
    public Task SameStatementTwice_ChangesNothing_Sqlite() => SameStatementTwice_ChangesNothing();

    [Fact]
    public Task UnderOverAndManualMatch_Sqlite() => UnderOverAndManualMatch();

    [Fact]
    public Task BadStatements_AreRefusedAndChangeNothing_Sqlite() => BadStatements_AreRefusedAndChangeNothing();

    [Fact]
    public Task FiftyMegabyteStatement_Is413AndChangesNothing_Sqlite() => FiftyMegabyteStatement_Is413AndChangesNothing();

    [Fact]
    public Task SepaPaymentMethod_IsValidatedEncryptedAndMasked_Sqlite() => SepaPaymentMethod_IsValidatedEncryptedAndMasked();

    [Fact]
    public Task TransferRequests_AreValidated_Sqlite() => TransferRequests_AreValidated();

    [Fact]
    public async Task ShippedSampleStatement_ReconcilesTheWalkthroughPayment()
    {
        // docs/bank-transfers.md: a EUR 125.00 transfer, the sample statement with its reference put in by sed.
        var payment = (await CreateTransferAsync(12500)).EnsureStatus(200);
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PaymentGateway.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        var xml = (await File.ReadAllTextAsync(Path.Combine(root, "samples", "bank-transfer", "camt053-sample.xml")))
            .Replace("RF_REFERENCE_HERE", Reference(payment), StringComparison.Ordinal);
        var import = (await ImportAsync(xml)).EnsureStatus(200);
        Assert.Equal(3, import.Json.GetProperty("entry_count").GetInt32());
        Assert.Equal(["matched", "unmatched", "ignored"], import.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        Assert.Equal("DE******3000", import.Str("account"));
        Assert.Equal("succeeded", (await PaymentAsync(payment.Str("id")!)).Str("status"));
        Assert.True((await ImportAsync(xml)).EnsureStatus(200).Json.GetProperty("duplicate").GetBoolean());

        // No provider holds a transfer's money: a refund is refused before anything is reserved or sent.
        Problem.Assert(await Sk.PostAsync("/v1/refunds", new { payment = payment.Str("id"), amount = 100 }), 422, "refund_not_supported");
        var after = await PaymentAsync(payment.Str("id")!);
        Assert.Equal(0, after.Long("amount_refunded"));
        Assert.Equal(0, await CountAsync($"/v1/refunds?payment={payment.Str("id")}"));
    }

    [Fact]
    public async Task Iban_IsNotInTheDatabaseInClear()
    {
        await SepaPaymentMethod_IsValidatedEncryptedAndMasked();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Server.DataDirectory, "gateway.db"));
        var wal = Path.Combine(Server.DataDirectory, "gateway.db-wal");
        var all = Encoding.UTF8.GetString(bytes) + (File.Exists(wal) ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(wal)) : string.Empty);
        Assert.DoesNotContain("GB82WEST12345698765432", all, StringComparison.Ordinal);
    }
}

public sealed class BankTransferExpiryTests : BankTransferScenarios
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["PaymentGateway:BankTransfers:ExpiryEnabled"] = "true";
        settings["PaymentGateway:BankTransfers:Expiry"] = "00:00:01";
        settings["PaymentGateway:BankTransfers:ExpiryInterval"] = "00:00:00.200";
        return settings;
    }

    [Fact]
    public async Task UnpaidTransfer_ExpiresToCanceled_AndALateCreditIsFlaggedForRefund()
    {
        var a = (await CreateTransferAsync(10000)).EnsureStatus(200);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ApiResponse payment;
        do
        {
            await Task.Delay(200);
            payment = await PaymentAsync(a.Str("id")!);
        }
        while (payment.Str("status") != "canceled" && DateTime.UtcNow < deadline);

        Assert.Equal("canceled", payment.Str("status"));
        Assert.Equal("expired", payment.Str("cancellation_reason"));
        var canceled = (await Sk.GetAsync($"/v1/events?object_id={a.Str("id")}&type=payment.canceled")).EnsureStatus(200);
        Assert.Equal(1, canceled.Json.GetProperty("data").GetArrayLength());

        var import = (await ImportAsync(Statement("multiple-entries", Reference(a)))).EnsureStatus(200);
        var entry = import.Json.GetProperty("entries")[0];
        Assert.Equal("refund_required", entry.GetProperty("status").GetString());
        Assert.Equal(a.Str("id"), entry.GetProperty("payment").GetString());
        var late = await PaymentAsync(a.Str("id")!);
        Assert.Equal("canceled", late.Str("status"));
        Assert.Equal(0, late.Long("amount_received"));
        Assert.Equal(10000, late.Json.GetProperty("bank_transfer").GetProperty("amount_refund_due").GetInt64());
        Assert.Equal(1, await CountAsync("/v1/bank_statement_entries?status=refund_required"));
    }
}

/// <summary>The same scenarios on PostgreSQL (skipped without <c>PAYMENTGATEWAY_TEST_POSTGRES</c>).</summary>
public sealed partial class BankTransferPostgresTests : BankTransferScenarios
{
    private string? _database;

    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["PaymentGateway:Storage:Engine"] = "postgres";
        settings["PaymentGateway:Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(MultiNodePostgres.ConnectionString) { Database = _database }.ConnectionString;
        settings["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return settings;
    }

    public override async Task InitializeAsync()
    {
        if (MultiNodePostgres.ConnectionString is null)
        {
            return;
        }

        _database = await MultiNodePostgres.CreateDatabaseAsync("pg_bt_");

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null && MultiNodePostgres.ConnectionString is not null)
        {
            await MultiNodePostgres.DropDatabaseAsync(_database);
        }
    }

    [MultiNodePostgresFact]
    public Task Mandates_AreValidatedStoredAndScoped_Postgres() => Mandates_AreValidatedStoredAndScoped();

    [MultiNodePostgresFact]
    public Task DirectDebitPayment_IsProcessingUnderItsMandate_Postgres() => DirectDebitPayment_IsProcessingUnderItsMandate();

    [MultiNodePostgresFact]
    public Task DirectDebitReturn_FailsThePaymentOnce_Postgres() => DirectDebitReturn_FailsThePaymentOnce();

    [MultiNodePostgresFact]
    public Task DirectDebitExport_ContainsEachDebitOnce_Postgres() => DirectDebitExport_ContainsEachDebitOnce();

    [MultiNodePostgresFact]
    public Task TransferPaidByStatement_SucceedsWithEventAndWebhook_Postgres() => TransferPaidByStatement_SucceedsWithEventAndWebhook();

    [MultiNodePostgresFact]
    public Task SameStatementTwice_ChangesNothing_Postgres() => SameStatementTwice_ChangesNothing();

    [MultiNodePostgresFact]
    public Task UnderOverAndManualMatch_Postgres() => UnderOverAndManualMatch();

    [MultiNodePostgresFact]
    public Task BadStatements_AreRefusedAndChangeNothing_Postgres() => BadStatements_AreRefusedAndChangeNothing();

    [MultiNodePostgresFact]
    public Task SepaPaymentMethod_IsValidatedEncryptedAndMasked_Postgres() => SepaPaymentMethod_IsValidatedEncryptedAndMasked();
}
