namespace PaymentGateway.Core.UnitTests;

public sealed class IdsTests
{
    private const string Crockford = "0123456789abcdefghjkmnpqrstvwxyz";

    public static TheoryData<string> Prefixes =>
    [
        Ids.Payment, Ids.Refund, Ids.PaymentMethod, Ids.Event, Ids.CheckoutSession,
        Ids.WebhookEndpoint, Ids.Merchant, Ids.ApiKey, Ids.Attempt,
    ];

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void New_IsPrefixUnderscoreAnd29CrockfordChars(string prefix)
    {
        var id = Ids.New(prefix);

        Assert.Equal(prefix.Length + 1 + 29, id.Length);
        Assert.StartsWith(prefix + "_", id, StringComparison.Ordinal);
        Assert.All(id[(prefix.Length + 1)..], ch => Assert.Contains(ch, Crockford));
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void IsValid_GeneratedId_True(string prefix)
    {
        Assert.True(Ids.IsValid(Ids.New(prefix), prefix));
    }

    [Fact]
    public void IsValid_Null_False()
    {
        Assert.False(Ids.IsValid(null, Ids.Payment));
    }

    [Fact]
    public void IsValid_WrongPrefixOfSameLength_False()
    {
        var id = Ids.New(Ids.Payment);

        Assert.False(Ids.IsValid(id, Ids.Event));
    }

    [Fact]
    public void IsValid_WrongPrefixOfOtherLength_False()
    {
        var id = Ids.New(Ids.Payment);

        Assert.False(Ids.IsValid(id, Ids.Refund));
        Assert.False(Ids.IsValid(Ids.New(Ids.Refund), Ids.Payment));
    }

    [Fact]
    public void IsValid_TooShort_False()
    {
        var id = Ids.New(Ids.Payment);

        Assert.False(Ids.IsValid(id[..^1], Ids.Payment));
    }

    [Fact]
    public void IsValid_TooLong_False()
    {
        var id = Ids.New(Ids.Payment);

        Assert.False(Ids.IsValid(id + "0", Ids.Payment));
    }

    [Fact]
    public void IsValid_MissingUnderscore_False()
    {
        var id = Ids.New(Ids.Payment);

        Assert.False(Ids.IsValid("pay-" + id[4..], Ids.Payment));
    }

    [Theory]
    [InlineData('i')]
    [InlineData('l')]
    [InlineData('o')]
    [InlineData('u')]
    [InlineData('A')]
    [InlineData('Z')]
    [InlineData('-')]
    [InlineData('_')]
    [InlineData(' ')]
    public void IsValid_TamperedWithCharOutsideAlphabet_False(char bad)
    {
        var id = Ids.New(Ids.Payment);
        var tampered = id[..10] + bad + id[11..];

        Assert.Equal(id.Length, tampered.Length);
        Assert.False(Ids.IsValid(tampered, Ids.Payment));
    }

    [Fact]
    public void New_IncreasingTimestamps_SortOrdinallyInTimeOrder()
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset[] times =
        [
            new DateTimeOffset(1970, 1, 1, 0, 0, 0, 1, TimeSpan.Zero),
            new DateTimeOffset(2001, 9, 9, 1, 46, 40, TimeSpan.Zero),
            start,
            start.AddMilliseconds(1),
            start.AddMilliseconds(2),
            start.AddMilliseconds(31),
            start.AddMilliseconds(32),
            start.AddMilliseconds(33),
            start.AddSeconds(1),
            start.AddMinutes(1),
            start.AddHours(1),
            start.AddDays(1),
            start.AddYears(1),
            new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero),
        ];

        // Several ids per instant so that random bits cannot mask a wrong ordering.
        for (var round = 0; round < 50; round++)
        {
            var ids = times.Select(t => Ids.New(Ids.Payment, t)).ToArray();
            var sorted = ids.Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(ids, sorted);
        }
    }

    [Fact]
    public void New_OneMillisecondApart_SortInTimeOrder()
    {
        var t = new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
        var previous = Ids.New(Ids.Payment, t);
        for (var i = 1; i <= 2000; i++)
        {
            var next = Ids.New(Ids.Payment, t.AddMilliseconds(i));
            Assert.True(string.CompareOrdinal(previous, next) < 0, $"{previous} should sort before {next}");
            previous = next;
        }
    }

    [Fact]
    public void New_SameInstant_SharesTimePrefixButDiffers()
    {
        var t = new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

        var a = Ids.New(Ids.Payment, t);
        var b = Ids.New(Ids.Payment, t);

        // The first 9 body characters (45 bits) are all timestamp.
        Assert.Equal(a[..(4 + 9)], b[..(4 + 9)]);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void New_TenThousandIds_AreUnique()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(ids.Add(Ids.New(Ids.Payment)));
        }

        Assert.Equal(10_000, ids.Count);
    }
}

public sealed class IdsOrderingTests
{
    [Fact]
    public void New_ManyInTheSameMillisecond_SortInCreationOrder()
    {
        var ids = Enumerable.Range(0, 5000).Select(_ => Ids.New(Ids.Event)).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal).ToList());
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void New_SameMillisecondIds_DifferInTheirRandomPart()
    {
        var first = Ids.New(Ids.Payment);
        var second = Ids.New(Ids.Payment);

        // The last 16 characters carry 80 random bits; consecutive ids must not be predictable from each other.
        Assert.NotEqual(first[^16..], second[^16..]);
    }
}
