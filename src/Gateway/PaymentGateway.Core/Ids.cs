using System.Security.Cryptography;

namespace PaymentGateway.Core;

/// <summary>
/// Object ids: a type prefix, an underscore, then 29 lower-case Crockford base32 characters encoding 48 bits of Unix
/// milliseconds, a 16-bit sequence that orders ids made in the same millisecond by this process, and 80 random bits.
/// Ids sort by creation time as strings (within a process, strictly), and cannot be guessed.
/// </summary>
public static class Ids
{
    public const string Payment = "pay";
    public const string Refund = "re";
    public const string PaymentMethod = "pm";
    public const string Event = "evt";
    public const string CheckoutSession = "cs";
    public const string WebhookEndpoint = "we";
    public const string Merchant = "mer";
    public const string ApiKey = "key";
    public const string AdminKey = "adk";
    public const string Attempt = "att";
    public const string BankStatement = "bst";
    public const string BankStatementEntry = "bse";
    public const string Mandate = "mdt";
    public const string DirectDebitBatch = "ddb";
    public const string Dispute = "dp";
    public const string DisputeFile = "dpf";
    public const string Customer = "cus";
    public const string ReportRun = "rpt";
    public const string SettlementLine = "stl";
    public const string SettlementPayout = "spo";
    public const string ConsoleUser = "usr";
    public const string AuditEntry = "aud";
    public const string ConsoleLink = "lnk";

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int BodyLength = 29;

    private static readonly Lock Gate = new();
    private static long _lastMs;
    private static int _sequence;

    /// <summary>A new id at the current time, ordered after every id this process made before.</summary>
    public static string New(string prefix)
    {
        long ms;
        int sequence;
        lock (Gate)
        {
            ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (ms <= _lastMs)
            {
                ms = _lastMs;
                if (++_sequence > ushort.MaxValue)
                {
                    ms = ++_lastMs;
                    _sequence = 0;
                }
            }
            else
            {
                _lastMs = ms;
                _sequence = 0;
            }

            sequence = _sequence;
        }

        return Build(prefix, ms, sequence);
    }

    /// <summary>A new id for an explicit time (imports, tests); sequence zero.</summary>
    public static string New(string prefix, DateTimeOffset at) => Build(prefix, at.ToUnixTimeMilliseconds(), 0);

    /// <summary>
    /// The same id every time for the same <paramref name="at"/> and <paramref name="seed"/> (its last 80 bits hash the
    /// seed): an object a retried step creates again is found instead of made twice. Sorts by <paramref name="at"/>.
    /// </summary>
    public static string Derived(string prefix, DateTimeOffset at, string seed) =>
        Build(prefix, at.ToUnixTimeMilliseconds(), 0, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)).AsSpan(0, 10));

    private static string Build(string prefix, long ms, int sequence, ReadOnlySpan<byte> tail = default)
    {
        Span<byte> bytes = stackalloc byte[18];
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xFF);
            ms >>= 8;
        }

        bytes[6] = (byte)(sequence >> 8);
        bytes[7] = (byte)sequence;
        if (tail.Length == 10)
        {
            tail.CopyTo(bytes[8..]);
        }
        else
        {
            RandomNumberGenerator.Fill(bytes[8..]);
        }

        return string.Create(prefix.Length + 1 + BodyLength, (prefix, bytes.ToArray()), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            span[state.prefix.Length] = '_';
            var body = span[(state.prefix.Length + 1)..];
            var bits = state.Item2;
            for (var c = 0; c < BodyLength; c++)
            {
                var value = 0;
                for (var b = 0; b < 5; b++)
                {
                    var bitIndex = (c * 5) + b;
                    var bit = bitIndex < 144 ? (bits[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1 : 0;
                    value = (value << 1) | bit;
                }

                body[c] = Alphabet[value];
            }
        });
    }

    /// <summary>True when <paramref name="id"/> has the expected prefix and a well-formed body.</summary>
    public static bool IsValid(string? id, string prefix)
    {
        if (id is null || id.Length != prefix.Length + 1 + BodyLength || !id.StartsWith(prefix, StringComparison.Ordinal) || id[prefix.Length] != '_')
        {
            return false;
        }

        foreach (var ch in id.AsSpan(prefix.Length + 1))
        {
            if (!Alphabet.Contains(ch, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
