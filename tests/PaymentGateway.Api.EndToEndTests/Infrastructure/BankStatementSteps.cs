using System.Globalization;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// Bank-transfer steps the console tests share: an open bank-transfer payment (the gateway's own collection account
/// must be configured, see <see cref="CollectionAccount"/>) and an unmatched credit, imported through the API as a
/// one-entry camt.053 statement whose text names no reference.
/// </summary>
public static class BankStatementSteps
{
    /// <summary>The settings that let the gateway take bank-transfer payments into its own account.</summary>
    public static IReadOnlyDictionary<string, string?> CollectionAccount { get; } = new Dictionary<string, string?>
    {
        ["PaymentGateway:BankTransfers:CollectionAccount:Iban"] = "DE89 3704 0044 0532 0130 00",
        ["PaymentGateway:BankTransfers:CollectionAccount:Bic"] = "COBADEFFXXX",
        ["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"] = "Demo Shop GmbH",
        ["PaymentGateway:BankTransfers:CreditorId"] = "DE98 ZZZ 0999 9999 999",
    };

    /// <summary>
    /// SEPA direct debits of <paramref name="amounts"/> (one mandate each, so each is a first collection) exported as
    /// one collection file with whatever else the merchant had waiting; returns the batch id and the debits.
    /// </summary>
    public static async Task<(string Batch, string[] Debits)> DirectDebitBatchAsync(GatewayServer server, TestMerchant merchant, params long[] amounts)
    {
        var sk = server.Client(merchant.SecretKey);
        var debits = new List<string>();
        foreach (var amount in amounts)
        {
            var method = (await server.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
            {
                type = "sepa_debit",
                sepa_debit = new { iban = "DE89 3704 0044 0532 0130 00", bic = "COBADEFFXXX" },
                holder_name = "Ada Lovelace",
            })).EnsureStatus(200).Str("id");
            var mandate = (await sk.PostAsync("/v1/mandates", new { payment_method = method, signature_date = "2026-01-15" })).EnsureStatus(200).Str("id");
            debits.Add((await sk.PostAsync("/v1/payments", new { amount, currency = "EUR", payment_method_type = "sepa_debit", mandate })).EnsureStatus(200).Str("id")
                       ?? throw new InvalidOperationException("no debit"));
        }

        (await sk.PostAsync("/v1/direct_debit_batches", new { })).EnsureStatus(200);
        var batch = (await sk.GetAsync($"/v1/payments/{debits[0]}")).EnsureStatus(200).Json.GetProperty("direct_debit").GetProperty("batch").GetString()
                    ?? throw new InvalidOperationException("not exported");
        return (batch, debits.ToArray());
    }

    /// <summary>An open bank-transfer payment: its id and RF reference.</summary>
    public static async Task<(string Id, string Reference)> OpenTransferAsync(GatewayServer server, TestMerchant merchant, long amount, string currency = "EUR")
    {
        var payment = (await server.Client(merchant.SecretKey).PostAsync("/v1/payments",
            new { amount, currency, payment_method_type = "bank_transfer", description = "Order " + Guid.NewGuid().ToString("N")[..6] })).EnsureStatus(200);
        var reference = payment.Json.GetProperty("next_action").GetProperty("bank_transfer_instructions").GetProperty("reference").GetString()
                        ?? throw new InvalidOperationException("no reference");
        return (payment.Str("id") ?? throw new InvalidOperationException("no id"), reference);
    }

    /// <summary>Imports a statement with one booked credit of <paramref name="minor"/> that names no reference; returns the unmatched entry's id.</summary>
    public static async Task<string> UnmatchedCreditAsync(GatewayServer server, TestMerchant merchant, long minor, string currency = "EUR", string debtor = "Jane Payer")
    {
        var unique = Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var amount = (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
              <BkToCstmrStmt>
                <GrpHdr><MsgId>MSG-{unique}</MsgId><CreDtTm>2026-11-24T07:00:00</CreDtTm></GrpHdr>
                <Stmt>
                  <Id>STMT-{unique}</Id>
                  <CreDtTm>2026-11-24T07:00:00</CreDtTm>
                  <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
                  <Ntry>
                    <Amt Ccy="{currency}">{amount}</Amt>
                    <CdtDbtInd>CRDT</CdtDbtInd>
                    <Sts><Cd>BOOK</Cd></Sts>
                    <BookgDt><Dt>2026-11-24</Dt></BookgDt>
                    <AcctSvcrRef>SVC-{unique}</AcctSvcrRef>
                    <NtryDtls>
                      <TxDtls>
                        <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
                        <RltdPties><Dbtr><Pty><Nm>{debtor}</Nm></Pty></Dbtr></RltdPties>
                        <RmtInf><Ustrd>invoice {unique} thanks</Ustrd></RmtInf>
                      </TxDtls>
                    </NtryDtls>
                  </Ntry>
                </Stmt>
              </BkToCstmrStmt>
            </Document>
            """;
        var client = server.Client(merchant.SecretKey);
        var statement = (await client.PostRawAsync("/v1/bank_statements", xml, null, "application/xml")).EnsureStatus(200).Str("id");
        var entries = (await client.GetAsync($"/v1/bank_statement_entries?bank_statement={statement}&status=unmatched")).EnsureStatus(200).Json.GetProperty("data");
        return entries.EnumerateArray().Single().GetProperty("id").GetString() ?? throw new InvalidOperationException("no entry");
    }
}
