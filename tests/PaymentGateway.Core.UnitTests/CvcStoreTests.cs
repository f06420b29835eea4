using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.UnitTests;

public sealed class CvcStoreTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Take_ReturnsValueOnceThenNull()
    {
        var store = new CvcStore(_time, Lifetime);
        store.Put("pm_1", "123");

        var first = store.Take("pm_1");
        var second = store.Take("pm_1");

        Assert.NotNull(first);
        Assert.Equal("123", first.Reveal());
        Assert.Null(second);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Take_UnknownId_Null()
    {
        var store = new CvcStore(_time, Lifetime);
        store.Put("pm_1", "123");

        Assert.Null(store.Take("pm_2"));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Take_JustBeforeExpiry_ReturnsValue()
    {
        var store = new CvcStore(_time, Lifetime);
        store.Put("pm_1", "123");

        _time.Advance(Lifetime - TimeSpan.FromTicks(1));

        Assert.Equal("123", store.Take("pm_1")?.Reveal());
    }

    [Fact]
    public void Take_Expired_Null()
    {
        var store = new CvcStore(_time, Lifetime);
        store.Put("pm_1", "123");

        _time.Advance(Lifetime);

        Assert.Null(store.Take("pm_1"));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Put_SameIdAgain_ReplacesValueAndRestartsLifetime()
    {
        var store = new CvcStore(_time, Lifetime);
        store.Put("pm_1", "123");
        _time.Advance(TimeSpan.FromMinutes(5));
        store.Put("pm_1", "456");
        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal("456", store.Take("pm_1")?.Reveal());
    }

    [Fact]
    public void Sweep_RemovesExpiredAndKeepsLive()
    {
        var store = new CvcStore(_time, Lifetime);
        store.Put("pm_old", "111");
        _time.Advance(TimeSpan.FromMinutes(6));
        store.Put("pm_new", "222");
        _time.Advance(TimeSpan.FromMinutes(5));

        store.Sweep();

        Assert.Equal(1, store.Count);
        Assert.Null(store.Take("pm_old"));
        Assert.Equal("222", store.Take("pm_new")?.Reveal());
    }

    [Fact]
    public void Take_ValueIsSecretThatDoesNotPrint()
    {
        var store = new CvcStore(_time, Lifetime);
        store.Put("pm_1", "123");

        Assert.Equal("***", store.Take("pm_1")?.ToString());
    }
}
