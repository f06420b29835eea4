using System.Text;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.UnitTests;

public sealed class WebhookSignerTests
{
    // The Standard Webhooks test vector (shared/specs/standard-webhooks/vectors.json; also the reference libraries' vector).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_matches_the_spec_test_vector()
    {
        Assert.Equal(VectorSignature, StandardWebhookSigner.Sign(VectorSecret, VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorBody)));
    }

    [Fact]
    public void Header_lists_one_signature_per_secret_in_order()
    {
        var other = StandardWebhookSigner.NewSecret();
        var body = Encoding.UTF8.GetBytes(VectorBody);
        var header = StandardWebhookSigner.SignatureHeaderValue([other, VectorSecret], VectorId, VectorTimestamp, body);
        var parts = header.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.Equal(StandardWebhookSigner.Sign(other, VectorId, VectorTimestamp, body), parts[0]);
        Assert.Equal(VectorSignature, parts[1]);
    }

    [Fact]
    public void Any_change_to_id_timestamp_or_body_changes_the_signature()
    {
        var body = Encoding.UTF8.GetBytes(VectorBody);
        Assert.NotEqual(VectorSignature, StandardWebhookSigner.Sign(VectorSecret, VectorId + "x", VectorTimestamp, body));
        Assert.NotEqual(VectorSignature, StandardWebhookSigner.Sign(VectorSecret, VectorId, VectorTimestamp + 1, body));
        Assert.NotEqual(VectorSignature, StandardWebhookSigner.Sign(VectorSecret, VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorBody + " ")));
    }

    [Fact]
    public void New_secrets_are_whsec_prefixed_32_random_bytes()
    {
        var a = StandardWebhookSigner.NewSecret();
        var b = StandardWebhookSigner.NewSecret();
        Assert.StartsWith("whsec_", a);
        Assert.Equal(32, StandardWebhookSigner.DecodeSecret(a).Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Ids_with_a_full_stop_are_refused()
    {
        Assert.Throws<ArgumentException>(() => StandardWebhookSigner.Sign(VectorSecret, "evt.1", VectorTimestamp, [1]));
    }
}

public sealed class WebhookRetryScheduleTests
{
    [Fact]
    public void Default_schedule_makes_ten_attempts_over_about_three_days()
    {
        var schedule = new WebhookRetrySchedule();
        Assert.Equal(10, schedule.MaxAttempts);
        var total = TimeSpan.Zero;
        for (var failures = 1; failures < schedule.MaxAttempts; failures++)
        {
            total += schedule.NextDelay(failures, random: 0.5) ?? throw new InvalidOperationException($"gave up after {failures}");
        }

        Assert.Equal(TimeSpan.Parse("3.03:35:05", System.Globalization.CultureInfo.InvariantCulture), total);
        Assert.Null(schedule.NextDelay(schedule.MaxAttempts, 0.5));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(3, 1800)]
    [InlineData(4, 7200)]
    [InlineData(9, 86400)]
    public void Delays_follow_the_schedule_without_jitter(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), new WebhookRetrySchedule().NextDelay(failures, random: 0.5));
    }

    [Fact]
    public void Jitter_stays_within_ten_percent()
    {
        var schedule = new WebhookRetrySchedule();
        Assert.Equal(TimeSpan.FromMinutes(4.5), schedule.NextDelay(2, random: 0));
        var high = schedule.NextDelay(2, random: 0.999999) ?? TimeSpan.Zero;
        Assert.InRange(high, TimeSpan.FromMinutes(5.49), TimeSpan.FromMinutes(5.5));
        Assert.Equal(TimeSpan.FromSeconds(5), new WebhookRetrySchedule(jitter: 0).NextDelay(1, random: 0));
    }

    [Fact]
    public void Retry_after_longer_than_the_schedule_wins_and_is_capped()
    {
        var schedule = new WebhookRetrySchedule(jitter: 0);
        Assert.Equal(TimeSpan.FromMinutes(1), schedule.NextDelay(1, 0.5, retryAfter: TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromMinutes(5), schedule.NextDelay(2, 0.5, retryAfter: TimeSpan.FromSeconds(10)));
        Assert.Equal(WebhookRetrySchedule.MaxRetryAfter, schedule.NextDelay(1, 0.5, retryAfter: TimeSpan.FromDays(30)));
        Assert.Null(schedule.NextDelay(10, 0.5, retryAfter: TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Retry_after_parses_seconds_and_http_dates()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(120), WebhookRetrySchedule.ParseRetryAfter("120", now));
        Assert.Equal(TimeSpan.FromSeconds(60), WebhookRetrySchedule.ParseRetryAfter(now.AddMinutes(1).ToString("r", System.Globalization.CultureInfo.InvariantCulture), now));
        Assert.Equal(TimeSpan.Zero, WebhookRetrySchedule.ParseRetryAfter(now.AddMinutes(-1).ToString("r", System.Globalization.CultureInfo.InvariantCulture), now));
        Assert.Null(WebhookRetrySchedule.ParseRetryAfter("soon", now));
        Assert.Null(WebhookRetrySchedule.ParseRetryAfter(null, now));
    }

    [Fact]
    public void A_custom_schedule_replaces_the_default()
    {
        var schedule = new WebhookRetrySchedule([TimeSpan.FromSeconds(1)], jitter: 0);
        Assert.Equal(2, schedule.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), schedule.NextDelay(1, 0.5));
        Assert.Null(schedule.NextDelay(2, 0.5));
    }
}
