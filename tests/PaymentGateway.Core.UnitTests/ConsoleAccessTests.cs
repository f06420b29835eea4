using OtpNet;
using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Core.UnitTests;

/// <summary>The console's pure rules: password policy, the caller's grants, role mapping from claims, TOTP checks, the audit hash chain.</summary>
public sealed class ConsoleAccessTests
{
    [Theory]
    [InlineData(null, "Enter a password.")]
    [InlineData("short pass", "Use at least 12 characters.")]
    [InlineData("password1234", "This password is too common. Choose one that is harder to guess.")]
    [InlineData("Trustno1!!!!!!", "This password is too common. Choose one that is harder to guess.")]
    [InlineData("aaaaaaaaaaaaaaaa", "This password is too common. Choose one that is harder to guess.")]
    [InlineData("margaret-secret-2026", "The password must not contain your email address.")]
    public void PasswordPolicy_RefusesWithTheFieldMessage(string? password, string message) =>
        Assert.Equal(message, PasswordPolicy.Check(password, "Margaret@example.com"));

    [Fact]
    public void PasswordPolicy_AcceptsALongUncommonPassphrase_AndKnowsTheListIsLoaded()
    {
        Assert.Null(PasswordPolicy.Check("orange kettle mountain 8", "olivia@example.com"));
        Assert.True(PasswordPolicy.IsCommon("qwerty"));
        Assert.Null(PasswordPolicy.Check(new string('x', 64) + "yz12", null));
        Assert.Equal("Use at most 128 characters.", PasswordPolicy.Check(new string('k', 100) + string.Concat(Enumerable.Range(0, 40)), null));
    }

    [Fact]
    public void Caller_PlatformGrantReachesEveryMerchant_MerchantGrantOnlyItsOwn()
    {
        var caller = Caller(new ConsoleGrant { MerchantId = null, Role = ConsoleRole.Viewer }, new ConsoleGrant { MerchantId = "mer_a", Role = ConsoleRole.Support });

        Assert.Equal(ConsoleRole.Support, caller.Demand(ConsolePermission.RefundPayments, "mer_a"));
        Assert.Equal(ConsoleRole.Viewer, caller.RoleAllowing(ConsolePermission.ViewPayments, "mer_b"));
        var refused = Assert.Throws<GatewayException>(() => caller.Demand(ConsolePermission.RefundPayments, "mer_b"));
        Assert.Equal(ErrorKind.PermissionDenied, refused.Kind);
        Assert.Equal(ErrorCodes.ConsolePermissionDenied, refused.Code);
        Assert.Throws<GatewayException>(() => caller.Demand(ConsolePermission.RefundPayments, null));
        Assert.Equal(["mer_a"], caller.MerchantsAllowing(ConsolePermission.RefundPayments) ?? throw new InvalidOperationException());
        Assert.Null(caller.MerchantsAllowing(ConsolePermission.ViewPayments));
        Assert.False(caller.IsPlatformOwner);
    }

    [Fact]
    public void SsoRoleMap_MapsKnownValues_KeepsTheStrongerRolePerMerchant_AndIgnoresTheRest()
    {
        var map = new Dictionary<string, string> { ["admins"] = "owner", ["helpdesk"] = "support@mer_a", ["readers"] = "viewer@mer_a", ["odd"] = "emperor" };

        var grants = ConsoleSsoService.MapGrants(["readers", "helpdesk", "unknown", "odd"], map);

        var grant = Assert.Single(grants);
        Assert.Equal(ConsoleRole.Support, grant.Role);
        Assert.Equal("mer_a", grant.MerchantId);
        Assert.Equal([new ConsoleGrant { MerchantId = null, Role = ConsoleRole.Owner }], ConsoleSsoService.MapGrants(["admins"], map));
        Assert.Empty(ConsoleSsoService.MapGrants(["unknown"], map));
    }

    [Fact]
    public void Totp_AcceptsOneStepOfDriftEitherWay_NotTwo_AndNeverTheSameStepTwice()
    {
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 15, TimeSpan.Zero);
        var current = ConsoleTwoFactorService.Verify(secret, totp.ComputeTotp(now.UtcDateTime), now, 0);

        Assert.NotNull(current);
        Assert.NotNull(ConsoleTwoFactorService.Verify(secret, totp.ComputeTotp(now.AddSeconds(-30).UtcDateTime), now, 0));
        Assert.NotNull(ConsoleTwoFactorService.Verify(secret, totp.ComputeTotp(now.AddSeconds(30).UtcDateTime), now, 0));
        Assert.Null(ConsoleTwoFactorService.Verify(secret, totp.ComputeTotp(now.AddSeconds(-90).UtcDateTime), now, 0));
        Assert.Null(ConsoleTwoFactorService.Verify(secret, totp.ComputeTotp(now.UtcDateTime), now, current.Value));
        Assert.Null(ConsoleTwoFactorService.Verify(secret, "12345", now, 0));
        Assert.Null(ConsoleTwoFactorService.Verify(secret, "abcdef", now, 0));
    }

    [Fact]
    public void AuditChain_HashCoversThePreviousHashAndEveryField_AndCanonicalTextRoundTrips()
    {
        var record = new AuditRecord
        {
            Created = new DateTimeOffset(2026, 12, 6, 12, 0, 0, 123, TimeSpan.Zero),
            Action = "console.user.role_changed",
            Actor = new AuditActor { Type = AuditActorType.User, Id = "usr_1", Email = "o@example.com", Role = "owner" },
            MerchantId = "mer_1",
            TargetType = "console_user",
            TargetId = "usr_2",
            Before = new Dictionary<string, string?> { ["grants"] = "viewer@mer_1" },
            After = new Dictionary<string, string?> { ["z"] = "last", ["grants"] = "finance@mer_1" },
            Context = new AuditContext { Ip = "10.0.0.1", UserAgent = "ua", RequestId = "req_1" },
        };

        var entry = AuditChain.Link(7, AuditChain.Genesis, record);
        var parsed = AuditChain.Parse(entry.Canonical);

        Assert.Equal(entry.Canonical, AuditChain.Canonical(7, parsed));
        Assert.Equal(entry.Hash, AuditChain.Hash(AuditChain.Genesis, entry.Canonical));
        Assert.NotEqual(entry.Hash, AuditChain.Link(7, entry.Hash, record).Hash);
        Assert.NotEqual(entry.Hash, AuditChain.Link(8, AuditChain.Genesis, record).Hash);
        Assert.NotEqual(entry.Hash, AuditChain.Link(7, AuditChain.Genesis, record with { Context = record.Context with { Ip = "10.0.0.2" } }).Hash);
        Assert.True(entry.Canonical.IndexOf("\"grants\"", entry.Canonical.IndexOf("\"after\"", StringComparison.Ordinal), StringComparison.Ordinal)
                    < entry.Canonical.IndexOf("\"z\"", StringComparison.Ordinal), "summary keys are sorted");
    }

    [Fact]
    public void AuditCsv_QuotesAndDefusesSpreadsheetFormulas()
    {
        var entry = AuditChain.Link(1, AuditChain.Genesis, new AuditRecord
        {
            Created = DateTimeOffset.UnixEpoch,
            Action = "console.sign_in_failed",
            Actor = AuditActor.Anonymous("=HYPERLINK(\"x\")"),
            Context = new AuditContext { UserAgent = "a,b" },
        });

        var line = AuditService.CsvLine(entry);

        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", line, StringComparison.Ordinal);
        Assert.Contains("\"a,b\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Redactor_MasksConsoleLinkTokensInLoggedUrls()
    {
        var logged = PaymentGateway.Core.Diagnostics.Redactor.Redact("Request starting HTTP/1.1 GET http://127.0.0.1:5080/console/join?token=F71HDHnJ3MiTfRxBHBwDNfu2fV47J8-pBrxWAge1WEU - - -");

        Assert.DoesNotContain("F71HDHnJ3MiTfRxBHBwDNfu2fV47J8", logged, StringComparison.Ordinal);
        Assert.Contains("/console/join?token=***", logged, StringComparison.Ordinal);
    }

    private static ConsoleCaller Caller(params ConsoleGrant[] grants) =>
        new() { UserId = "usr_x", Email = "x@example.com", Grants = grants, Context = AuditContext.None };
}
