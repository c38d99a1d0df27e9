using System.Text;
using EcsRoleAuditor.Audit.Reporting.SecurityHub;

namespace EcsRoleAuditor.Audit.Tests.Reporting.SecurityHub;

/// <summary>
/// Batches for BatchImportFindings: at most 100 findings and 6 MB a call, each finding at most 240 KB (AWS Security Hub
/// API Reference, "BatchImportFindings": https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html).
/// The numbers are the port's (EcsRoleAuditor.Aws.Api.SecurityHubLimits), repeated here as the AWS facts the tests pin.
/// </summary>
public sealed class AsffBatchesTests
{
    private static readonly AsffImportLimits SecurityHub = new(100, 240 * 1024, 6 * 1024 * 1024);

    private const string DefaultProduct = "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default";

    // A finding of exactly `bytes` bytes (a JSON object padded with a string).
    private static AsffFinding Sized(int index, int bytes, string productArn = DefaultProduct)
    {
        var prefix = $"{{\"Id\":\"f{index}\",\"Pad\":\"";
        var json = prefix + new string('x', bytes - prefix.Length - 2) + "\"}";
        return new AsffFinding($"f{index}", productArn, "123456789012", "eu-west-1", $"ERA001 of web:{index}", Encoding.UTF8.GetBytes(json));
    }

    private static List<AsffFinding> Many(int count, int bytes = 200) => [.. Enumerable.Range(0, count).Select(i => Sized(i, bytes))];

    // What `aws securityhub batch-import-findings` and our client put around the findings.
    private const string Envelope = "{\"Findings\":[]}";

    [Fact]
    public void The_request_around_the_findings_is_counted()
    {
        Assert.Equal(AsffBatches.RequestEnvelopeBytes, Envelope.Length);
    }

    private static long RequestBytes(IReadOnlyList<AsffFinding> batch) =>
        AsffBatches.RequestEnvelopeBytes + batch.Sum(f => (long)f.Json.Length) + batch.Count - 1;

    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 1 })]
    [InlineData(100, new[] { 100 })]
    [InlineData(101, new[] { 100, 1 })]
    [InlineData(250, new[] { 100, 100, 50 })]
    public void At_most_100_findings_go_in_one_call(int count, int[] sizes)
    {
        var batches = AsffBatches.Split(Many(count), SecurityHub);

        Assert.Equal(sizes, batches.Select(b => b.Count));
        Assert.Equal(Many(count).Select(f => f.Id), batches.SelectMany(b => b).Select(f => f.Id)); // in order, none lost
    }

    [Fact]
    public void Calls_stay_within_6_mb_with_the_request_around_them()
    {
        // 30 findings of 240 KB: 7.2 MB, so two calls; the first as full as 6 MB allows.
        var findings = Many(30, 240 * 1024);

        var batches = AsffBatches.Split(findings, SecurityHub);

        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.True(RequestBytes(b) <= 6 * 1024 * 1024));
        Assert.Equal(25, batches[0].Count); // 25 x 245,760 + 24 commas + 15 = 6,144,039 <= 6,291,456; 26 would not fit
        Assert.Equal(30, batches.Sum(b => b.Count));
    }

    [Fact]
    public void A_call_of_exactly_6_mb_is_one_call_and_one_byte_more_is_two()
    {
        var limits = SecurityHub with { MaxFindingBytes = 6 * 1024 * 1024 };
        var exact = 6 * 1024 * 1024 - Envelope.Length - 1; // two findings, one comma
        var first = Sized(1, exact / 2);
        var second = Sized(2, exact - exact / 2);

        Assert.Single(AsffBatches.Split([first, second], limits));
        Assert.Equal(2, AsffBatches.Split([first, Sized(2, exact - exact / 2 + 1)], limits).Count);
    }

    [Fact]
    public void A_finding_of_exactly_240_kb_is_taken_and_one_byte_more_is_an_error_naming_it()
    {
        Assert.Single(AsffBatches.Split([Sized(1, 240 * 1024)], SecurityHub));

        var e = Assert.Throws<AsffMappingException>(() => AsffBatches.Split([Sized(1, 100), Sized(7, 240 * 1024 + 1)], SecurityHub));

        Assert.Contains("f7", e.Message, StringComparison.Ordinal);
        Assert.Contains("ERA001 of web:7", e.Message, StringComparison.Ordinal);
        Assert.Contains("245761 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_call_holds_one_account_and_region()
    {
        const string Other = "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default";
        AsffFinding[] findings = [Sized(1, 100), Sized(2, 100, Other), Sized(3, 100), Sized(4, 100, Other)];

        var batches = AsffBatches.Split(findings, SecurityHub);

        Assert.Equal([["f1", "f3"], ["f2", "f4"]], batches.Select(b => b.Select(f => f.Id).ToArray()));
    }
}
