namespace EcsRoleAuditor.TestData;

public static partial class DifferentialCaseGenerator
{
    /// <summary>Requests that real services accept: an action with a resource of a type it takes.</summary>
    private static readonly (string Action, string Resource)[] SyntheticRequests =
    [
        ("s3:GetObject", "arn:aws:s3:::uploads/avatars/42.png"),
        ("s3:GetObject", "arn:aws:s3:::uploads/Avatars/42.png"),
        ("s3:PutObject", "arn:aws:s3:::logs/2026/11/28.gz"),
        ("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt"),
        ("s3:ListBucket", "arn:aws:s3:::uploads"),
        ("iam:PassRole", "arn:aws:iam::111122223333:role/app-web"),
        ("iam:PassRole", "arn:aws:iam::111122223333:role/admin"),
        ("iam:CreateUser", "arn:aws:iam::111122223333:user/bob"),
        ("iam:ListRoles", "*"),
        ("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:jobs"),
        ("sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:jobs"),
        ("ec2:DescribeInstances", "*"),
        ("ecr:GetAuthorizationToken", "*"),
        ("ecr:BatchGetImage", "arn:aws:ecr:us-east-1:111122223333:repository/web"),
        ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:111122223333:secret:web/db-AbCdEf"),
        ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        ("logs:PutLogEvents", "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/web:log-stream:web/1"),
        ("ssm:GetParameters", "arn:aws:ssm:us-east-1:111122223333:parameter/web/db"),
        ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/orders"),
        ("sts:AssumeRole", "arn:aws:iam::111122223333:role/deployer"),
        ("sts:GetCallerIdentity", "*"),
    ];

    private static readonly string[] SyntheticActionPatterns =
    [
        "s3:GetObject", "S3:getobject", "s3:Get*", "s3:*Object", "s3:*", "*", "iam:PassRole", "iam:*Role*", "iam:Create*",
        "sqs:SendMessage", "sqs:*", "ec2:Describe*", "ec2:?escribeInstances", "ecr:*", "secretsmanager:GetSecret?alue",
        "kms:*", "logs:*", "ssm:GetParameter*", "dynamodb:Get*", "sts:AssumeRole", "s3:List*", "iam:List*", "sts:*",
    ];

    private static readonly string[] SyntheticResourcePatterns =
    [
        "*", "arn:aws:s3:::uploads/*", "arn:aws:s3:::uploads/avatars/42.png", "arn:aws:s3:::logs/*", "arn:aws:s3:::*",
        "arn:aws:s3:::uploads", "arn:aws:s3:::home/${aws:username}/*", "arn:aws:iam::111122223333:role/app-*",
        "arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:user/*", "arn:aws:sqs:*:111122223333:*",
        "arn:aws:sqs:us-east-1:111122223333:jobs", "arn:aws:ecr:us-east-1:111122223333:repository/web",
        "arn:aws:secretsmanager:*:*:secret:web/*", "arn:aws:kms:us-east-1:111122223333:key/*",
        "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/*", "arn:aws:ssm:us-east-1:111122223333:parameter/web/*",
        "arn:aws:dynamodb:us-east-1:111122223333:table/order?", "arn:aws:s3:::uploads/avatars/4?.png",
    ];

    /// <summary>Condition blocks with the context keys they read; cases supply those keys sometimes matching, sometimes not, sometimes absent.</summary>
    private static readonly (string Block, (string Key, string[] Values, bool Multi)[] Matching, (string Key, string[] Values, bool Multi)[] Other)[] SyntheticConditions =
    [
        ("", [], []),
        ("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}", [("aws:SecureTransport", ["true"], false)], [("aws:SecureTransport", ["false"], false)]),
        ("{\"BoolIfExists\":{\"aws:SecureTransport\":\"false\"}}", [("aws:SecureTransport", ["false"], false)], [("aws:SecureTransport", ["true"], false)]),
        ("{\"StringEquals\":{\"aws:PrincipalTag/team\":[\"web\",\"data\"]}}", [("aws:PrincipalTag/team", ["web"], false)], [("aws:PrincipalTag/team", ["Web"], false)]),
        ("{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"web\"}}", [("aws:PrincipalTag/team", ["ops"], false)], [("aws:PrincipalTag/team", ["web"], false)]),
        ("{\"StringEqualsIgnoreCase\":{\"aws:PrincipalTag/team\":\"WEB\"}}", [("aws:PrincipalTag/team", ["web"], false)], [("aws:PrincipalTag/team", ["ops"], false)]),
        ("{\"StringLike\":{\"aws:PrincipalTag/project\":\"web-*\"}}", [("aws:PrincipalTag/project", ["web-api"], false)], [("aws:PrincipalTag/project", ["data-lake"], false)]),
        ("{\"StringNotLikeIfExists\":{\"aws:PrincipalTag/project\":[\"legacy-*\",\"old?\"]}}", [("aws:PrincipalTag/project", ["web-api"], false)], [("aws:PrincipalTag/project", ["legacy-x"], false)]),
        ("{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"192.0.2.0/24\"]}}", [("aws:SourceIp", ["10.1.2.3"], false)], [("aws:SourceIp", ["203.0.113.9"], false)]),
        ("{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}", [("aws:SourceIp", ["203.0.113.9"], false)], [("aws:SourceIp", ["10.9.9.9"], false)]),
        ("{\"IpAddress\":{\"aws:SourceIp\":\"2001:db8::/32\"}}", [("aws:SourceIp", ["2001:db8::1"], false)], [("aws:SourceIp", ["2001:db9::1"], false)]),
        ("{\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"}}", [("aws:MultiFactorAuthAge", ["120"], false)], [("aws:MultiFactorAuthAge", ["7200"], false)]),
        ("{\"NumericGreaterThanEquals\":{\"aws:MultiFactorAuthAge\":\"60\"}}", [("aws:MultiFactorAuthAge", ["60"], false)], [("aws:MultiFactorAuthAge", ["59"], false)]),
        ("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-01-01T00:00:00Z\"}}", [("aws:CurrentTime", ["2026-11-28T12:00:00Z"], false)], [("aws:CurrentTime", ["2025-06-01T00:00:00Z"], false)]),
        ("{\"DateLessThanEquals\":{\"aws:CurrentTime\":\"2026-12-31T23:59:59Z\"}}", [("aws:CurrentTime", ["2026-11-28T12:00:00Z"], false)], [("aws:CurrentTime", ["2027-01-01T00:00:00Z"], false)]),
        ("{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:ecs:us-east-1:111122223333:*\"}}", [("aws:SourceArn", ["arn:aws:ecs:us-east-1:111122223333:task/web/abc"], false)], [("aws:SourceArn", ["arn:aws:ecs:us-east-1:444455556666:task/x"], false)]),
        ("{\"ArnNotEquals\":{\"aws:SourceArn\":\"arn:aws:ecs:us-east-1:111122223333:task/web/abc\"}}", [("aws:SourceArn", ["arn:aws:ecs:us-east-1:111122223333:task/web/def"], false)], [("aws:SourceArn", ["arn:aws:ecs:us-east-1:111122223333:task/web/abc"], false)]),
        ("{\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"}}", [("aws:SourceAccount", ["111122223333"], false)], [("aws:SourceAccount", ["444455556666"], false)]),
        ("{\"Null\":{\"aws:PrincipalTag/team\":\"false\"}}", [("aws:PrincipalTag/team", ["web"], false)], []),
        ("{\"Null\":{\"aws:PrincipalTag/team\":\"true\"}}", [], [("aws:PrincipalTag/team", ["web"], false)]),
        ("{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"team\",\"env\"]}}", [("aws:TagKeys", ["team"], true)], [("aws:TagKeys", ["team", "owner"], true)]),
        ("{\"ForAnyValue:StringLike\":{\"aws:TagKeys\":[\"cost-*\"]}}", [("aws:TagKeys", ["env", "cost-center"], true)], [("aws:TagKeys", ["env"], true)]),
        ("{\"ForAllValues:StringNotEquals\":{\"aws:TagKeys\":[\"admin\"]}}", [("aws:TagKeys", ["env", "team"], true)], [("aws:TagKeys", ["admin", "env"], true)]),
        ("{\"StringEquals\":{\"aws:PrincipalTag/team\":\"${aws:username}\"}}", [("aws:PrincipalTag/team", ["alice"], false), ("aws:username", ["alice"], false)], [("aws:PrincipalTag/team", ["bob"], false), ("aws:username", ["alice"], false)]),
        ("{\"StringLike\":{\"aws:PrincipalTag/project\":\"${aws:PrincipalTag/team, 'none'}-*\"}}", [("aws:PrincipalTag/project", ["none-x"], false)], [("aws:PrincipalTag/project", ["web-x"], false), ("aws:PrincipalTag/team", ["ops"], false)]),
        ("{\"Bool\":{\"aws:SecureTransport\":\"true\"},\"StringEquals\":{\"aws:PrincipalTag/team\":\"web\"}}", [("aws:SecureTransport", ["true"], false), ("aws:PrincipalTag/team", ["web"], false)], [("aws:SecureTransport", ["true"], false)]),
    ];

    /// <summary>Cases against generated policies: 1 to 3 identity policies of 1 to 3 statements, sometimes a boundary.</summary>
    public static IEnumerable<EvaluationCase> Synthetic(int seed, int count)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var context = new List<ContextEntry>();
            var identity = Enumerable.Range(0, random.Next(1, 4)).Select(_ => SyntheticPolicy(random, context, allowBias: 3)).ToList();
            var boundaries = random.Next(4) == 0 ? new List<string> { SyntheticPolicy(random, context, allowBias: 5) } : null;
            var (action, resource) = SyntheticRequests[random.Next(SyntheticRequests.Length)];
            if (random.Next(5) == 0)
            {
                context.Add(new ContextEntry("aws:username", [random.Next(2) == 0 ? "alice" : "bob"], false));
            }
            yield return new EvaluationCase($"synthetic:{n}", identity, boundaries, action, resource, Distinct(context));
        }
    }

    private static string SyntheticPolicy(Random random, List<ContextEntry> context, int allowBias)
    {
        var statements = Enumerable.Range(0, random.Next(1, 4)).Select(_ => SyntheticStatement(random, context, allowBias));
        return $"{{\"Version\":\"2012-10-17\",\"Statement\":[{string.Join(',', statements)}]}}";
    }

    private static string SyntheticStatement(Random random, List<ContextEntry> context, int allowBias)
    {
        var effect = random.Next(allowBias) == 0 ? "Deny" : "Allow";
        var actionElement = random.Next(8) == 0 ? "NotAction" : "Action";
        var resourceElement = random.Next(8) == 0 ? "NotResource" : "Resource";
        var actions = Pick(random, SyntheticActionPatterns, random.Next(1, 4));
        var resources = Pick(random, SyntheticResourcePatterns, random.Next(1, 3));
        var condition = SyntheticConditions[random.Next(SyntheticConditions.Length)];
        // The keys a condition reads: matching, not matching, or absent, a third of the time each.
        var supplied = random.Next(3) switch { 0 => condition.Matching, 1 => condition.Other, _ => [] };
        context.AddRange(supplied.Select(k => new ContextEntry(k.Key, k.Values, k.Multi)));
        var conditionText = condition.Block.Length == 0 ? "" : $",\"Condition\":{condition.Block}";
        return $"{{\"Effect\":\"{effect}\",\"{actionElement}\":{JsonArray(actions)},\"{resourceElement}\":{JsonArray(resources)}{conditionText}}}";
    }

    private static string[] Pick(Random random, string[] pool, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => pool[random.Next(pool.Length)]).Distinct()];

    private static string JsonArray(string[] items) => "[" + string.Join(',', items.Select(i => "\"" + i + "\"")) + "]";
}
