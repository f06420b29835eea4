using PaymentGateway.Core.Disputes;

namespace PaymentGateway.Core.UnitTests.Disputes;

public sealed class DisputeHoldAndEvidenceTests
{
    [Theory]
    [InlineData(DisputeStatus.WarningNeedsResponse, DisputeStage.Inquiry, 0)]
    [InlineData(DisputeStatus.WarningClosed, DisputeStage.Inquiry, 0)]
    [InlineData(DisputeStatus.Accepted, DisputeStage.Inquiry, 0)]
    [InlineData(DisputeStatus.NeedsResponse, DisputeStage.Chargeback, 700)]
    [InlineData(DisputeStatus.UnderReview, DisputeStage.Chargeback, 700)]
    [InlineData(DisputeStatus.Lost, DisputeStage.Chargeback, 700)]
    [InlineData(DisputeStatus.Accepted, DisputeStage.Chargeback, 700)]
    [InlineData(DisputeStatus.Won, DisputeStage.Chargeback, 0)]
    [InlineData(DisputeStatus.PreArbitrationNeedsResponse, DisputeStage.PreArbitration, 700)]
    [InlineData(DisputeStatus.Won, DisputeStage.PreArbitration, 0)]
    public void Desired_hold_follows_stage_and_status(DisputeStatus status, DisputeStage stage, long expected) =>
        Assert.Equal(expected, DisputeHold.Desired(status, stage, 700));

    [Theory]
    [InlineData(700, 0, 1000, 0, 0, 700)] // room for all of it
    [InlineData(700, 0, 1000, 800, 0, 200)] // refunds came first: capped by what is left
    [InlineData(700, 0, 1000, 0, 600, 400)] // another dispute holds 600
    [InlineData(700, 700, 1000, 300, 700, 700)] // already holding it: keeps it
    [InlineData(0, 700, 1000, 0, 700, 0)] // won: releases
    [InlineData(700, 0, 1000, 1000, 0, 0)] // fully refunded: nothing to hold
    public void Capped_never_lets_refunded_plus_held_exceed_received(long desired, long current, long received, long refunded, long disputed, long expected)
    {
        var held = DisputeHold.Capped(desired, current, received, refunded, disputed);

        Assert.Equal(expected, held);
        Assert.True(refunded + (disputed - current + held) <= Math.Max(received, refunded + disputed - current));
    }

    [Fact]
    public void Evidence_apply_sets_clears_and_checks_files()
    {
        var file = new DisputeEvidenceFile { Id = "dpf_1", FileName = "r.pdf", ContentType = EvidenceFileTypes.Pdf, Size = 1, Sha256 = "x", Created = DateTimeOffset.UnixEpoch };
        var evidence = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["customer_name"] = "Ada" };

        DisputeEvidenceFields.Apply(evidence, new Dictionary<string, string> { ["shipping_tracking_number"] = "1Z999", ["receipt"] = "dpf_1", ["customer_name"] = "" }, [file]);

        Assert.Equal(new Dictionary<string, string> { ["receipt"] = "dpf_1", ["shipping_tracking_number"] = "1Z999" }, evidence);
    }

    [Theory]
    [InlineData("favourite_colour", "blue", "parameter_unknown")]
    [InlineData("receipt", "dpf_not_uploaded", "parameter_invalid")]
    [InlineData("receipt", "some text", "parameter_invalid")]
    public void Evidence_apply_refuses_unknown_fields_and_foreign_files_without_changing_anything(string field, string value, string code)
    {
        var evidence = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["customer_name"] = "Ada" };

        var e = Assert.Throws<GatewayException>(() =>
            DisputeEvidenceFields.Apply(evidence, new Dictionary<string, string> { ["product_description"] = "A lamp", [field] = value }, []));

        Assert.Equal(code, e.Code);
        Assert.Equal(new Dictionary<string, string> { ["customer_name"] = "Ada" }, evidence);
    }

    [Fact]
    public void Evidence_text_is_limited_per_field_and_in_total()
    {
        var evidence = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Assert.Equal("parameter_invalid", Assert.Throws<GatewayException>(() =>
            DisputeEvidenceFields.Apply(evidence, new Dictionary<string, string> { ["uncategorized_text"] = new('x', DisputeEvidenceFields.MaxFieldLength + 1) }, [])).Code);

        var big = DisputeEvidenceFields.TextFields.Take(8).ToDictionary(f => f, _ => new string('y', DisputeEvidenceFields.MaxFieldLength));
        var e = Assert.Throws<GatewayException>(() => DisputeEvidenceFields.Apply(evidence, big, []));
        Assert.Equal("evidence", e.Param);
        Assert.Empty(evidence);
    }

    [Fact]
    public void Due_soon_thresholds_parse_longest_first_and_refuse_nonsense()
    {
        Assert.Equal([TimeSpan.FromDays(3), TimeSpan.FromHours(1)], new DisputeOptions { EvidenceDueSoon = "01:00:00; 3.00:00:00" }.DueSoonThresholds());
        Assert.Throws<FormatException>(() => new DisputeOptions { EvidenceDueSoon = "soon" }.DueSoonThresholds());
        Assert.Throws<FormatException>(() => new DisputeOptions { EvidenceDueSoon = "-01:00:00" }.DueSoonThresholds());
    }
}
