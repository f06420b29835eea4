using System.Text.Json;
using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Sdk.ContractTests;

public sealed class WebhookVerifierTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Body = """{"test": 2432232314}""";
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    private static WebhookVerifier VerifierAt(DateTimeOffset now) => new(Secret, null, new FixedTimeProvider(now));

    [Fact]
    public void StandardWebhooksVector_IsAccepted()
    {
        using var vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "standard-webhooks-vectors.json")));
        foreach (var c in vectors.RootElement.GetProperty("cases").EnumerateArray())
        {
            var timestamp = c.GetProperty("webhook_timestamp").GetInt64();
            var verifier = new WebhookVerifier(
                c.GetProperty("secret").GetString() ?? "",
                null,
                new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(timestamp)));

            verifier.Verify(
                c.GetProperty("body").GetString() ?? "",
                c.GetProperty("webhook_id").GetString(),
                timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
                c.GetProperty("webhook_signature").GetString());
        }
    }

    [Fact]
    public void CorrectlySignedPayload_IsAccepted_AndSignMatchesTheVector()
    {
        var verifier = VerifierAt(SignedAt.AddMinutes(4));

        var signature = verifier.Sign(Body, Id, SignedAt);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
        verifier.Verify(Body, Id, "1614265330", signature);
    }

    [Fact]
    public void WrongSignature_IsRejected()
    {
        var verifier = VerifierAt(SignedAt);

        var error = Assert.Throws<WebhookVerificationException>(() =>
            verifier.Verify(Body, Id, "1614265330", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));

        Assert.Contains("signature", error.Message);
    }

    [Fact]
    public void TamperedBody_IsRejected()
    {
        var verifier = VerifierAt(SignedAt);

        Assert.Throws<WebhookVerificationException>(() =>
            verifier.Verify("""{"test": 2432232315}""", Id, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Fact]
    public void OldTimestamp_IsRejectedEvenWithAValidSignature()
    {
        var verifier = VerifierAt(SignedAt.AddMinutes(6));

        var error = Assert.Throws<WebhookVerificationException>(() =>
            verifier.Verify(Body, Id, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));

        Assert.Contains("too old", error.Message);
    }

    [Fact]
    public void FutureTimestamp_IsRejected()
    {
        var verifier = VerifierAt(SignedAt.AddMinutes(-6));

        Assert.Throws<WebhookVerificationException>(() =>
            verifier.Verify(Body, Id, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Theory]
    [InlineData(null, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "webhook-id")]
    [InlineData(Id, null, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "webhook-timestamp")]
    [InlineData(Id, "1614265330", null, "webhook-signature")]
    [InlineData(Id, "", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "webhook-timestamp")]
    public void MissingHeader_IsRejectedNamingTheHeader(string? id, string? timestamp, string? signature, string header)
    {
        var verifier = VerifierAt(SignedAt);

        var error = Assert.Throws<WebhookVerificationException>(() => verifier.Verify(Body, id, timestamp, signature));

        Assert.Contains(header, error.Message);
    }

    [Fact]
    public void MalformedTimestamp_IsRejected()
    {
        var verifier = VerifierAt(SignedAt);

        Assert.Throws<WebhookVerificationException>(() =>
            verifier.Verify(Body, Id, "2021-02-25T15:02:10Z", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Fact]
    public void OneOfSeveralSignatures_Matching_IsAccepted()
    {
        var verifier = VerifierAt(SignedAt);

        verifier.Verify(
            Body,
            Id,
            "1614265330",
            "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw== v1,not-base64 v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Fact]
    public void SignatureOfAnotherVersion_IsNotAccepted()
    {
        var verifier = VerifierAt(SignedAt);

        Assert.Throws<WebhookVerificationException>(() =>
            verifier.Verify(Body, Id, "1614265330", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Fact]
    public void SecretThatIsNotBase64_IsRefusedAtConstruction()
    {
        Assert.Throws<ArgumentException>(() => new WebhookVerifier("whsec_***not base64***"));
    }

    [Fact]
    public void VerifyEvent_ReturnsTheEvent()
    {
        const string payload = """{"id":"evt_1","object":"event","livemode":false,"type":"payment.succeeded","data":{"id":"pay_1"},"created":"2025-01-02T03:04:05Z"}""";
        var now = DateTimeOffset.UtcNow;
        var verifier = VerifierAt(now);
        var signature = verifier.Sign(payload, "msg_1", now);

        var evt = verifier.VerifyEvent(payload, "msg_1", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), signature);

        Assert.Equal(EventType.PaymentSucceeded, evt.Type);
    }

    [Fact]
    public void SeveralSecrets_AcceptASignatureByAnyOfThem()
    {
        const string newSecret = "whsec_bmV3IHNlY3JldCBhZnRlciByb3RhdGlvbg==";
        var signedWithOld = VerifierAt(SignedAt).Sign(Body, Id, SignedAt);
        var signedWithNew = new WebhookVerifier(newSecret, null, new FixedTimeProvider(SignedAt)).Sign(Body, Id, SignedAt);
        var rotating = new WebhookVerifier([newSecret, Secret], null, new FixedTimeProvider(SignedAt));

        rotating.Verify(Body, Id, "1614265330", signedWithOld);
        rotating.Verify(Body, Id, "1614265330", signedWithNew);
        rotating.Verify(Body, Id, "1614265330", $"{signedWithNew} {signedWithOld}");
        Assert.Throws<WebhookVerificationException>(() =>
            new WebhookVerifier([newSecret], null, new FixedTimeProvider(SignedAt)).Verify(Body, Id, "1614265330", signedWithOld));
    }

    [Fact]
    public void NoSecrets_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new WebhookVerifier(Array.Empty<string>()));
        Assert.Throws<ArgumentException>(() => new WebhookVerifier([Secret, ""]));
    }

    [Fact]
    public void VerifyEvent_OnBytes_ReturnsTheEvent_AndRefusesANonEvent()
    {
        var payload = """{"id":"evt_1","object":"event","livemode":false,"type":"refund.succeeded","data":{"id":"re_1"},"created":"2025-01-02T03:04:05Z"}"""u8.ToArray();
        var now = DateTimeOffset.UtcNow;
        var verifier = VerifierAt(now);
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var evt = verifier.VerifyEvent(payload, "msg_1", timestamp, verifier.Sign(System.Text.Encoding.UTF8.GetString(payload), "msg_1", now));

        Assert.Equal(EventType.RefundSucceeded, evt.Type);
        Assert.Throws<WebhookVerificationException>(() => verifier.VerifyEvent("[1]"u8, "msg_1", timestamp, verifier.Sign("[1]", "msg_1", now)));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
