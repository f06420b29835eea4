using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>A statement as read from camt.053, before matching.</summary>
public sealed record ParsedStatement
{
    public required string Namespace { get; init; }
    public string? MessageId { get; init; }
    public required string StatementId { get; init; }

    /// <summary>The statement account's IBAN (or other id), normalized; used only for a keyed fingerprint and the masked view.</summary>
    public string? AccountId { get; init; }
    public required IReadOnlyList<ParsedEntryLine> Lines { get; init; }
}

/// <summary>One transaction of an entry (an entry with several TxDtls, a batch, gives one line per TxDtls).</summary>
public sealed record ParsedEntryLine
{
    public required string EntryKey { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }

    /// <summary><c>CRDT</c> or <c>DBIT</c>.</summary>
    public required string CreditDebit { get; init; }
    public required bool Reversal { get; init; }
    public required bool Booked { get; init; }
    public string? BookingDate { get; init; }
    public string? StructuredReference { get; init; }
    public string? Unstructured { get; init; }
    public string? DebtorName { get; init; }
    public string? DebtorAccountMasked { get; init; }
    public string? EndToEndId { get; init; }
    public string? AccountServicerReference { get; init; }
    public string? EntryReference { get; init; }
    public string? ReturnReason { get; init; }
}

/// <summary>Why a statement was refused; the API maps it to a 4xx problem.</summary>
public sealed class StatementFormatException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Streams an ISO 20022 camt.053 (BankToCustomerStatement, versions 001.02 to 001.13) with <see cref="XmlReader"/>:
/// DTDs are prohibited (no external entities, no entity expansion), nothing is resolved, processing instructions and
/// comments are skipped (never acted on), and only one entry at a time is held as a tree, so memory does not grow with
/// the file. Any other message or namespace is refused.
/// </summary>
public static partial class Camt053Parser
{
    private const int MaxText = 500;

    [GeneratedRegex(@"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(0[2-9]|1[0-3])$")]
    private static partial Regex SupportedNamespace();

    public static XmlReaderSettings ReaderSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersFromEntities = 0,
        MaxCharactersInDocument = maxCharacters,
        CloseInput = false,
    };

    public static ParsedStatement Parse(Stream stream, long maxCharacters = 64L * 1024 * 1024)
    {
        try
        {
            using var reader = XmlReader.Create(stream, ReaderSettings(maxCharacters));
            return ParseCore(reader);
        }
        catch (XmlException e)
        {
            // Prohibited DTDs (external entities, billion laughs) land here too, before anything is expanded.
            var dtd = e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase);
            throw new StatementFormatException(ErrorCodes.StatementInvalid, dtd
                ? "The statement contains a DTD; document type definitions and entities are not allowed."
                : $"The statement is not well-formed XML (line {e.LineNumber}, position {e.LinePosition}).");
        }
    }

    private static ParsedStatement ParseCore(XmlReader reader)
    {
        reader.MoveToContent();
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "Document")
        {
            throw new StatementFormatException(ErrorCodes.StatementUnsupported, "The root element must be an ISO 20022 Document.");
        }

        var ns = reader.NamespaceURI;
        if (!SupportedNamespace().IsMatch(ns))
        {
            var shown = ns.Length > 80 ? ns[..80] : ns;
            throw new StatementFormatException(ErrorCodes.StatementUnsupported,
                $"Namespace '{shown}' is not a supported camt.053 version; send a BankToCustomerStatement camt.053.001.02 to camt.053.001.13.");
        }

        XNamespace x = ns;
        string? messageId = null;
        string? statementId = null;
        string? accountId = null;
        var statements = 0;
        var lines = new List<ParsedEntryLine>();
        var entryIndex = 0;
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }

            switch (reader.LocalName)
            {
                case "BkToCstmrStmt":
                    reader.Read();
                    continue;
                case "GrpHdr":
                    messageId = ((XElement)XNode.ReadFrom(reader)).Element(x + "MsgId")?.Value;
                    continue;
                case "Stmt":
                    if (++statements > 1)
                    {
                        throw new StatementFormatException(ErrorCodes.StatementUnsupported, "Send one statement (Stmt) per file.");
                    }

                    reader.Read();
                    continue;
                case "Id" when statements == 1 && statementId is null:
                    statementId = reader.ReadElementContentAsString().Trim();
                    continue;
                case "Acct":
                    var acct = (XElement)XNode.ReadFrom(reader);
                    var id = acct.Element(x + "Id");
                    accountId = id?.Element(x + "IBAN")?.Value ?? id?.Element(x + "Othr")?.Element(x + "Id")?.Value;
                    continue;
                case "Ntry":
                    var entry = (XElement)XNode.ReadFrom(reader);
                    lines.AddRange(ParseEntry(x, entry, statementId ?? string.Empty, entryIndex++));
                    continue;
                default:
                    reader.Skip();
                    continue;
            }
        }

        if (statements == 0 || string.IsNullOrEmpty(statementId))
        {
            throw new StatementFormatException(ErrorCodes.StatementInvalid, "The document has no statement (BkToCstmrStmt/Stmt with an Id).");
        }

        return new ParsedStatement
        {
            Namespace = ns,
            MessageId = Clip(messageId),
            StatementId = Clip(statementId),
            AccountId = Iban.Normalize(accountId) ?? Clip(accountId),
            Lines = lines,
        };
    }

    private static IEnumerable<ParsedEntryLine> ParseEntry(XNamespace x, XElement entry, string statementId, int index)
    {
        var amountElement = entry.Element(x + "Amt") ?? throw Invalid("An entry (Ntry) has no Amt.");
        var currency = amountElement.Attribute("Ccy")?.Value ?? throw Invalid("An entry amount has no Ccy.");
        var entryAmount = ParseAmount(amountElement.Value, currency);
        var creditDebit = entry.Element(x + "CdtDbtInd")?.Value;
        if (creditDebit is not ("CRDT" or "DBIT"))
        {
            throw Invalid("An entry's CdtDbtInd must be CRDT or DBIT.");
        }

        var reversal = string.Equals(entry.Element(x + "RvslInd")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var statusElement = entry.Element(x + "Sts");
        var status = statusElement?.Element(x + "Cd")?.Value ?? statusElement?.Value;
        var booked = status is null or "BOOK";
        var booking = entry.Element(x + "BookgDt");
        var bookingDate = booking?.Element(x + "Dt")?.Value ?? (booking?.Element(x + "DtTm")?.Value is { } bookedAt ? bookedAt[..Math.Min(10, bookedAt.Length)] : null);
        var accountServicerRef = Clip(entry.Element(x + "AcctSvcrRef")?.Value);
        var entryRef = Clip(entry.Element(x + "NtryRef")?.Value);
        var baseKey = accountServicerRef is not null ? "asr:" + accountServicerRef
            : entryRef is not null ? "ntry:" + entryRef
            : $"stmt:{statementId}:{index.ToString(CultureInfo.InvariantCulture)}";

        var details = entry.Elements(x + "NtryDtls").SelectMany(d => d.Elements(x + "TxDtls")).ToList();
        if (details.Count == 0)
        {
            yield return Line(x, null, baseKey, entryAmount, currency, creditDebit, reversal, booked, bookingDate, accountServicerRef, entryRef);
            yield break;
        }

        var sum = 0L;
        var sameCurrency = true;
        for (var i = 0; i < details.Count; i++)
        {
            var tx = details[i];
            var txAmountElement = tx.Element(x + "Amt") ?? tx.Element(x + "AmtDtls")?.Element(x + "TxAmt")?.Element(x + "Amt");
            long amount;
            string txCurrency;
            if (txAmountElement is null)
            {
                if (details.Count > 1)
                {
                    throw Invalid("A batch entry's transaction (TxDtls) has no amount.");
                }

                (amount, txCurrency) = (entryAmount, currency);
            }
            else
            {
                txCurrency = txAmountElement.Attribute("Ccy")?.Value ?? currency;
                amount = ParseAmount(txAmountElement.Value, txCurrency);
            }

            sameCurrency &= txCurrency == currency;
            sum = checked(sum + amount);

            var txIndicator = tx.Element(x + "CdtDbtInd")?.Value ?? creditDebit;
            var key = details.Count == 1 ? baseKey : $"{baseKey}:{i.ToString(CultureInfo.InvariantCulture)}";
            yield return Line(x, tx, key, amount, txCurrency, txIndicator is "CRDT" or "DBIT" ? txIndicator : creditDebit, reversal, booked, bookingDate,
                Clip(tx.Element(x + "Refs")?.Element(x + "AcctSvcrRef")?.Value) ?? accountServicerRef, entryRef);
        }

        if (details.Count > 1 && sameCurrency && sum != entryAmount)
        {
            throw Invalid("A batch entry's transactions do not add up to the entry amount.");
        }
    }

    private static ParsedEntryLine Line(XNamespace x, XElement? tx, string key, long amount, string currency, string creditDebit, bool reversal, bool booked,
        string? bookingDate, string? accountServicerRef, string? entryRef)
    {
        var remittance = tx?.Element(x + "RmtInf");
        var structured = remittance?.Elements(x + "Strd")
            .Select(s => s.Element(x + "CdtrRefInf")?.Element(x + "Ref")?.Value)
            .FirstOrDefault(r => !string.IsNullOrWhiteSpace(r));
        var unstructured = remittance is null ? null : string.Join(" ", remittance.Elements(x + "Ustrd").Select(u => u.Value.Trim()));
        var parties = tx?.Element(x + "RltdPties");
        var debtor = parties?.Element(x + "Dbtr");
        var debtorName = debtor?.Element(x + "Nm")?.Value ?? debtor?.Element(x + "Pty")?.Element(x + "Nm")?.Value;
        var debtorAccount = parties?.Element(x + "DbtrAcct")?.Element(x + "Id")?.Element(x + "IBAN")?.Value;
        var debtorIban = Iban.Normalize(debtorAccount);
        var returnReason = tx?.Element(x + "RtrInf")?.Element(x + "Rsn")?.Element(x + "Cd")?.Value
                           ?? tx?.Element(x + "RtrInf")?.Element(x + "Rsn")?.Element(x + "Prtry")?.Value;
        return new ParsedEntryLine
        {
            EntryKey = key,
            Amount = amount,
            Currency = currency,
            CreditDebit = creditDebit,
            Reversal = reversal,
            Booked = booked,
            BookingDate = Clip(bookingDate),
            StructuredReference = Clip(structured?.Trim()),
            Unstructured = Clip(string.IsNullOrWhiteSpace(unstructured) ? null : unstructured),
            DebtorName = Clip(debtorName?.Trim()),
            DebtorAccountMasked = debtorIban is null ? null : Iban.Mask(debtorIban),
            EndToEndId = Clip(tx?.Element(x + "Refs")?.Element(x + "EndToEndId")?.Value),
            AccountServicerReference = accountServicerRef,
            EntryReference = entryRef,
            ReturnReason = Clip(returnReason),
        };
    }

    /// <summary>A decimal amount in the currency's minor units; more decimals than the currency has are refused.</summary>
    public static long ParseAmount(string text, string currencyCode)
    {
        if (!Currency.TryFind(currencyCode, out var currency))
        {
            throw Invalid($"Currency '{Clip(currencyCode)}' is not a supported ISO 4217 currency.");
        }

        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw Invalid("An amount is not a non-negative decimal number.");
        }

        var factor = 1m;
        for (var i = 0; i < currency.Exponent; i++)
        {
            factor *= 10;
        }

        var minor = value * factor;
        if (minor != decimal.Truncate(minor) || minor > long.MaxValue)
        {
            throw Invalid($"An amount has more decimals than {currency.Code} allows.");
        }

        return checked((long)minor);
    }

    private static StatementFormatException Invalid(string message) => new(ErrorCodes.StatementInvalid, message);

    [return: NotNullIfNotNull(nameof(value))]
    private static string? Clip(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var sb = new StringBuilder(Math.Min(value.Length, MaxText));
        foreach (var ch in value)
        {
            if (sb.Length == MaxText)
            {
                break;
            }

            sb.Append(char.IsControl(ch) ? ' ' : ch);
        }

        return sb.ToString();
    }
}
