namespace PaymentGateway.Bench;

/// <summary>
/// A small log-linear (HDR-like) histogram of microsecond values: exact below 128 µs, then 64 linear sub-buckets per
/// power of two (relative error under 1.6 %), up to about 2^40 µs. Thread-safe recording with interlocked increments;
/// no allocation per value.
/// </summary>
public sealed class Histogram
{
    private const int SubBits = 6;                 // 64 sub-buckets per octave
    private const int Linear = 1 << (SubBits + 1); // values below 128 are exact
    private const int MaxOctave = 40;

    private readonly long[] _counts = new long[Linear + ((MaxOctave - SubBits) * (1 << SubBits))];
    private long _count;
    private long _max;
    private long _sum;

    public long Count => Interlocked.Read(ref _count);

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        Interlocked.Increment(ref _counts[IndexOf(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, micros);
        var max = Interlocked.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), in microseconds: the upper edge of its bucket.</summary>
    public long ValueAt(double q)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * count);
        rank = Math.Clamp(rank, 1, count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), Max);
            }
        }

        return Max;
    }

    public long Max => Interlocked.Read(ref _max);

    public double Mean => Count == 0 ? 0 : (double)Interlocked.Read(ref _sum) / Count;

    internal static int IndexOf(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }

        var octave = 63 - (int)long.LeadingZeroCount(v); // >= 7
        if (octave >= MaxOctave)
        {
            return Linear + ((MaxOctave - SubBits - 1) * (1 << SubBits)) + ((1 << SubBits) - 1);
        }

        var shift = octave - SubBits;
        var sub = (int)(v >> shift) - (1 << SubBits); // 0..63
        return Linear + ((octave - SubBits - 1) * (1 << SubBits)) + sub;
    }

    internal static long UpperEdge(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var rel = index - Linear;
        var octave = (rel >> SubBits) + SubBits + 1;
        var sub = rel & ((1 << SubBits) - 1);
        var shift = octave - SubBits;
        return (((long)(1 << SubBits) + sub + 1) << shift) - 1;
    }
}
