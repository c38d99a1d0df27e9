using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>
/// Parsing time and allocation by document size: a managed-policy-sized document (~90 KB, like ReadOnlyAccess) and
/// 1 MB / 2 MB documents, so the 1 MB → 2 MB step shows whether parsing scales linearly.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PolicyParseBenchmark
{
    private string _json = "";
    private string _urlEncoded = "";
    private JsonDocument? _parsed;

    /// <summary>The approximate size of the generated document in kilobytes.</summary>
    [Params(90, 1024, 2048)]
    public int Kilobytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _json = GeneratedPolicy(Kilobytes * 1024);
        _urlEncoded = Uri.EscapeDataString(_json);
        _parsed = JsonDocument.Parse(_json);
    }

    [GlobalCleanup]
    public void Cleanup() => _parsed?.Dispose();

    [Benchmark(Baseline = true)]
    public PolicyDocument Json() => PolicyParser.Parse(_json, "generated");

    [Benchmark]
    public PolicyDocument UrlEncodedJson() => PolicyParser.Parse(_urlEncoded, "generated");

    [Benchmark]
    public PolicyDocument JsonElement() => PolicyParser.Parse(_parsed!.RootElement, "generated");

    /// <summary>A valid identity policy of about <paramref name="bytes"/> bytes, shaped like AWS managed policies: many statements of action lists, some with conditions.</summary>
    private static string GeneratedPolicy(int bytes)
    {
        string[] services = ["s3", "ec2", "ecr", "logs", "iam", "kms", "secretsmanager", "dynamodb", "sqs", "sns"];
        string[] verbs = ["Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Tag"];
        var text = new StringBuilder(bytes + 4096).Append("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [");
        for (var i = 0; text.Length < bytes; i++)
        {
            var service = services[i % services.Length];
            text.Append(i == 0 ? "\n" : ",\n").Append(CultureInfo.InvariantCulture, $"    {{\n      \"Sid\": \"Statement{i}\",\n      \"Effect\": \"{(i % 7 == 0 ? "Deny" : "Allow")}\",\n      \"Action\": [");
            for (var a = 0; a < 12; a++)
            {
                text.Append(a == 0 ? "\n" : ",\n").Append(CultureInfo.InvariantCulture, $"        \"{service}:{verbs[(i + a) % verbs.Length]}Resource{a}*\"");
            }
            text.Append(CultureInfo.InvariantCulture, $"\n      ],\n      \"Resource\": [\n        \"arn:aws:{service}:eu-west-1:111122223333:resource/team-{i}/*\",\n        \"arn:aws:{service}:eu-west-1:111122223333:resource/${{aws:PrincipalTag/team}}/*\"\n      ]");
            if (i % 3 == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $",\n      \"Condition\": {{\n        \"StringEquals\": {{\"aws:ResourceAccount\": \"111122223333\", \"aws:RequestedRegion\": [\"eu-west-1\", \"eu-central-1\"]}},\n        \"ForAnyValue:StringLike\": {{\"aws:TagKeys\": [\"team-*\", \"cost-*\"]}},\n        \"NumericLessThanIfExists\": {{\"s3:max-keys\": {i % 1000}}},\n        \"Bool\": {{\"aws:SecureTransport\": true}}\n      }}");
            }
            text.Append("\n    }");
        }
        return text.Append("\n  ]\n}\n").ToString();
    }
}
