using CsCheck;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using static EcsRoleAuditor.Policy.Tests.TestPolicies;

namespace EcsRoleAuditor.Policy.Tests.Properties;

/// <summary>Random policies and requests over a small vocabulary, shared by the evaluator's and the view's properties.</summary>
internal static class EvaluatorGen
{
    /// <summary>Action patterns, literal and wildcard, in mixed case.</summary>
    public static readonly string[] ActionPatterns =
        ["s3:GetObject", "s3:PutObject", "s3:Get*", "s3:*", "*", "iam:PassRole", "iam:*Role*", "sqs:SendMessage", "ec2:Describe*", "ec2:?escribeInstances", "S3:getobject", "kms:Decrypt", "iam:ListRoles"];

    private static readonly string[] ResourcePatterns =
        ["*", "arn:aws:s3:::uploads/*", "arn:aws:s3:::uploads/a.png", "arn:aws:s3:::logs/*", "arn:aws:iam::111122223333:role/app-*",
         "arn:aws:sqs:us-east-1:111122223333:*", "arn:aws:s3:*", "arn:aws:s3:::${aws:PrincipalTag/team}/*", "arn:aws:kms:*:111122223333:key/*"];

    private static readonly string[] Conditions =
    [
        "",
        ",'Condition':{'Bool':{'aws:SecureTransport':'true'}}",
        ",'Condition':{'StringEquals':{'aws:PrincipalTag/team':'web'}}",
        ",'Condition':{'StringNotEquals':{'aws:PrincipalTag/team':'web'}}",
        ",'Condition':{'IpAddressIfExists':{'aws:SourceIp':'10.0.0.0/8'}}",
        ",'Condition':{'StringEquals':{'aws:RequestedRegion':'us-east-1'}}",
        ",'Condition':{'Null':{'aws:SourceIp':'true'}}",
    ];

    private static readonly (string Action, string Resource)[] Requests =
    [
        ("s3:GetObject", "arn:aws:s3:::uploads/a.png"),
        ("s3:GetObject", "arn:aws:s3:::web/a.png"),
        ("s3:PutObject", "arn:aws:s3:::logs/2026/11/28.gz"),
        ("s3:DeleteBucket", "arn:aws:s3:::uploads"),
        ("iam:PassRole", "arn:aws:iam::111122223333:role/app-web"),
        ("iam:ListRoles", "*"),
        ("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:jobs"),
        ("ec2:DescribeInstances", "*"),
        ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/1234"),
    ];

    private static readonly (string Key, string Value)[][] Contexts =
    [
        [],
        [("aws:SecureTransport", "true"), ("aws:PrincipalTag/team", "web"), ("aws:RequestedRegion", "us-east-1")],
        [("aws:SecureTransport", "false"), ("aws:SourceIp", "192.0.2.7")],
        [("aws:PrincipalTag/team", "data"), ("aws:SourceIp", "10.1.2.3"), ("aws:RequestedRegion", "eu-west-1")],
    ];

    private static readonly string[] Keys = ["aws:SecureTransport", "aws:PrincipalTag/team", "aws:SourceIp", "aws:RequestedRegion"];

    /// <summary>One statement: Allow or Deny, Action or NotAction, Resource or NotResource, perhaps a condition (single quotes for double).</summary>
    public static readonly Gen<string> Statement =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.OneOf(ActionPatterns).Array[1, 3], Gen.OneOf(ResourcePatterns).Array[1, 2], Gen.OneOf(Conditions))
            .Select((deny, notAction, notResource, actions, resources, condition) =>
                $"{{'Effect':'{(deny ? "Deny" : "Allow")}','{(notAction ? "NotAction" : "Action")}':{JsonList(actions)},"
                + $"'{(notResource ? "NotResource" : "Resource")}':{JsonList(resources)}{condition}}}");

    /// <summary>One document of one to four statements.</summary>
    public static readonly Gen<PolicyDocument> Policy = Statement.Array[1, 4].Select(s => Statements(s));

    /// <summary>One to three documents.</summary>
    public static readonly Gen<PolicyDocument[]> Policies = Policy.Array[1, 3];

    /// <summary>No boundary (an empty array), or one or two boundary documents.</summary>
    public static readonly Gen<PolicyDocument[]> Boundary = Statement.Array[1, 3].Select(s => Statements(s)).Array[0, 2];

    /// <summary>
    /// A request as AWS makes it: one on a regional resource goes to that region's endpoint and an IAM one to us-east-1,
    /// so its aws:RequestedRegion is that region whatever the rest of the context (the view relies on it).
    /// </summary>
    public static readonly Gen<(string Action, string Resource, RequestContext Context)> Request =
        Gen.Select(Gen.OneOf(Requests), Gen.OneOf(Contexts)).Select((r, c) => (r.Action, r.Resource, Context([.. WithRegion(r.Action, r.Resource, c)])));

    private static IEnumerable<(string Key, string Value)> WithRegion(string action, string resource, (string Key, string Value)[] context)
    {
        var region = action.StartsWith("iam:", StringComparison.Ordinal) ? "us-east-1"
            : Arn.TryParse(resource, out var arn) && arn.IsRegional ? arn.Region : null;
        return region is null ? context : context.Where(k => k.Key != "aws:RequestedRegion").Append(("aws:RequestedRegion", region));
    }

    /// <summary>Everything the context says, and every other key of the vocabulary known to be absent.</summary>
    public static KnownContext KnownFrom(RequestContext context)
    {
        var known = KnownContext.None;
        foreach (var key in Keys)
        {
            known = context.TryGetValue(key, out var value) ? known.With(key, value) : known.WithAbsent(key);
        }
        return known;
    }

    /// <summary>A JSON list in single quotes.</summary>
    public static string JsonList(string[] items) => "[" + string.Join(',', items.Select(i => $"'{i}'")) + "]";
}
