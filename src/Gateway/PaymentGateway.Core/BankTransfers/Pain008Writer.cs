using System.Globalization;
using System.Text;
using System.Xml;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>The creditor side of a SEPA Direct Debit collection file.</summary>
public sealed record DirectDebitCreditor
{
    public required string Name { get; init; }
    public required string Iban { get; init; }
    public string? Bic { get; init; }

    /// <summary>The SEPA Creditor Identifier (<see cref="CreditorIdentifier"/>).</summary>
    public required string CreditorId { get; init; }
}

/// <summary>One debit of a collection file. The debtor IBAN is clear text here only, on its way into the file.</summary>
public sealed record DirectDebitTransaction
{
    public required string PaymentId { get; init; }

    /// <summary>Euro cents.</summary>
    public required long Amount { get; init; }
    public required string MandateReference { get; init; }
    public required DateOnly MandateSignatureDate { get; init; }

    /// <summary>FRST, RCUR, OOFF or FNAL.</summary>
    public required string SequenceType { get; init; }
    public required DateOnly CollectionDate { get; init; }
    public required string DebtorName { get; init; }
    public required string DebtorIban { get; init; }
    public string? DebtorBic { get; init; }
    public string? RemittanceInformation { get; init; }
}

/// <summary>
/// Writes an ISO 20022 pain.008.001.02 <c>CstmrDrctDbtInitn</c> (SEPA Core Direct Debit, EPC implementation guide):
/// one group header with the message's transaction count and control sum, one <c>PmtInf</c> per sequence type and
/// collection date, each with its own count and sum, and one <c>DrctDbtTxInf</c> per debit whose <c>EndToEndId</c> is
/// the payment id (<see cref="EndToEndId"/>), so a return naming it finds the payment. Amounts are EUR with two
/// decimals; text is reduced to the SEPA Latin character set and cut to the schema's lengths.
/// </summary>
public static class Pain008Writer
{
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02";

    public static void Write(Stream output, string messageId, DateTimeOffset createdAt, DirectDebitCreditor creditor, IReadOnlyList<DirectDebitTransaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        if (transactions.Count == 0)
        {
            throw new ArgumentException("A pain.008 file holds at least one transaction.", nameof(transactions));
        }

        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false };
        using var xml = XmlWriter.Create(output, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("Document", Namespace);
        xml.WriteStartElement("CstmrDrctDbtInitn");

        xml.WriteStartElement("GrpHdr");
        xml.WriteElementString("MsgId", Text(messageId, 35));
        xml.WriteElementString("CreDtTm", createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        xml.WriteElementString("NbOfTxs", transactions.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("CtrlSum", Amount(Sum(transactions)));
        xml.WriteStartElement("InitgPty");
        xml.WriteElementString("Nm", Text(creditor.Name, 70));
        xml.WriteEndElement();
        xml.WriteEndElement();

        var groups = transactions.GroupBy(t => (t.SequenceType, t.CollectionDate)).OrderBy(g => g.Key.CollectionDate).ThenBy(g => g.Key.SequenceType, StringComparer.Ordinal);
        var index = 0;
        foreach (var group in groups)
        {
            var items = group.ToList();
            index++;
            xml.WriteStartElement("PmtInf");
            xml.WriteElementString("PmtInfId", Text($"{messageId}-{index}", 35));
            xml.WriteElementString("PmtMtd", "DD");
            xml.WriteElementString("NbOfTxs", items.Count.ToString(CultureInfo.InvariantCulture));
            xml.WriteElementString("CtrlSum", Amount(Sum(items)));
            xml.WriteStartElement("PmtTpInf");
            xml.WriteStartElement("SvcLvl");
            xml.WriteElementString("Cd", "SEPA");
            xml.WriteEndElement();
            xml.WriteStartElement("LclInstrm");
            xml.WriteElementString("Cd", "CORE");
            xml.WriteEndElement();
            xml.WriteElementString("SeqTp", group.Key.SequenceType);
            xml.WriteEndElement();
            xml.WriteElementString("ReqdColltnDt", group.Key.CollectionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            xml.WriteStartElement("Cdtr");
            xml.WriteElementString("Nm", Text(creditor.Name, 70));
            xml.WriteEndElement();
            Account(xml, "CdtrAcct", creditor.Iban);
            Agent(xml, "CdtrAgt", creditor.Bic);
            xml.WriteElementString("ChrgBr", "SLEV");
            xml.WriteStartElement("CdtrSchmeId");
            xml.WriteStartElement("Id");
            xml.WriteStartElement("PrvtId");
            xml.WriteStartElement("Othr");
            xml.WriteElementString("Id", creditor.CreditorId);
            xml.WriteStartElement("SchmeNm");
            xml.WriteElementString("Prtry", "SEPA");
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();

            foreach (var tx in items)
            {
                xml.WriteStartElement("DrctDbtTxInf");
                xml.WriteStartElement("PmtId");
                xml.WriteElementString("EndToEndId", EndToEndId.FromPaymentId(tx.PaymentId));
                xml.WriteEndElement();
                xml.WriteStartElement("InstdAmt");
                xml.WriteAttributeString("Ccy", "EUR");
                xml.WriteString(Amount(tx.Amount));
                xml.WriteEndElement();
                xml.WriteStartElement("DrctDbtTx");
                xml.WriteStartElement("MndtRltdInf");
                xml.WriteElementString("MndtId", tx.MandateReference);
                xml.WriteElementString("DtOfSgntr", tx.MandateSignatureDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                xml.WriteEndElement();
                xml.WriteEndElement();
                Agent(xml, "DbtrAgt", tx.DebtorBic);
                xml.WriteStartElement("Dbtr");
                xml.WriteElementString("Nm", Text(tx.DebtorName, 70));
                xml.WriteEndElement();
                Account(xml, "DbtrAcct", tx.DebtorIban);
                if (!string.IsNullOrWhiteSpace(tx.RemittanceInformation))
                {
                    xml.WriteStartElement("RmtInf");
                    xml.WriteElementString("Ustrd", Text(tx.RemittanceInformation, 140));
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void Account(XmlWriter xml, string element, string iban)
    {
        xml.WriteStartElement(element);
        xml.WriteStartElement("Id");
        xml.WriteElementString("IBAN", iban);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    // Without a BIC (IBAN-only, allowed in SEPA since 2016) the agent is "NOTPROVIDED".
    private static void Agent(XmlWriter xml, string element, string? bic)
    {
        xml.WriteStartElement(element);
        xml.WriteStartElement("FinInstnId");
        if (string.IsNullOrEmpty(bic))
        {
            xml.WriteStartElement("Othr");
            xml.WriteElementString("Id", "NOTPROVIDED");
            xml.WriteEndElement();
        }
        else
        {
            xml.WriteElementString("BIC", bic);
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static long Sum(IEnumerable<DirectDebitTransaction> transactions)
    {
        long sum = 0;
        foreach (var tx in transactions)
        {
            if (tx.Amount <= 0)
            {
                throw new ArgumentException($"Debit {tx.PaymentId} has no positive amount.", nameof(transactions));
            }

            sum = checked(sum + tx.Amount);
        }

        return sum;
    }

    /// <summary>Euro cents as the file's decimal amount: 1234 is "12.34".</summary>
    public static string Amount(long cents) =>
        (cents / 100).ToString(CultureInfo.InvariantCulture) + "." + (cents % 100).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>The SEPA Latin character set (letters, digits, space and / - ? : ( ) . , ' +); anything else becomes a space.</summary>
    public static string Text(string value, int maxLength)
    {
        var sb = new StringBuilder(Math.Min(value.Length, maxLength));
        foreach (var ch in value)
        {
            if (sb.Length == maxLength)
            {
                break;
            }

            sb.Append(char.IsAsciiLetterOrDigit(ch) || " /-?:().,'+".Contains(ch, StringComparison.Ordinal) ? ch : ' ');
        }

        var text = sb.ToString().Trim();
        return text.Length == 0 ? "NOTPROVIDED" : text;
    }
}

/// <summary>
/// The <c>EndToEndId</c> of a debit names its payment. Payment ids contain <c>_</c>, which is outside the SEPA character
/// set, so the file carries it as <c>-</c> (<c>pay_abc</c> becomes <c>pay-abc</c>, 33 characters of the 35 allowed);
/// a return's end-to-end id is mapped back the same way.
/// </summary>
public static class EndToEndId
{
    public static string FromPaymentId(string paymentId) => paymentId.Replace('_', '-');

    /// <summary>The payment id a returned end-to-end id names, or null when it is not one of ours.</summary>
    public static string? ToPaymentId(string? endToEndId)
    {
        if (endToEndId is null)
        {
            return null;
        }

        var trimmed = endToEndId.Trim();
        var candidate = trimmed.StartsWith("pay-", StringComparison.Ordinal) ? "pay_" + trimmed[4..] : trimmed;
        return Ids.IsValid(candidate, Ids.Payment) ? candidate : null;
    }
}
