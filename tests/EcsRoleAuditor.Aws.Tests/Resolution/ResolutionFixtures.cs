using System.Text;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

/// <summary>An example account: a role with everything (3 inline, 2 attached, a boundary, a path, tags) and a plain one sharing a policy.</summary>
internal static class ResolutionFixtures
{
    public const string Account = "111122223333";
    public const string WebArn = "arn:aws:iam::111122223333:role/service-role/web";
    public const string ApiArn = "arn:aws:iam::111122223333:role/api";
    public const string AppPolicyArn = "arn:aws:iam::111122223333:policy/app-data";
    public const string BoundaryArn = "arn:aws:iam::111122223333:policy/boundaries/ecs-boundary";
    public const string ExecutionPolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

    public const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    public static string Allow(string action, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""";

    public static InMemoryIamAccount Example(int pageSize = 2) => new InMemoryIamAccount { PageSize = pageSize }
        .Add(new RoleDetail("web", WebArn, "/service-role/", Trust,
            [new InlinePolicy("queue", Allow("sqs:SendMessage")), new InlinePolicy("table", Allow("dynamodb:GetItem")), new InlinePolicy("bucket", Allow("s3:GetObject"))],
            [new AttachedPolicy("app-data", AppPolicyArn), new AttachedPolicy("AmazonECSTaskExecutionRolePolicy", ExecutionPolicyArn)],
            BoundaryArn,
            [new IamTag("team", "web"), new IamTag("env", "prod")]))
        .Add(new RoleDetail("api", ApiArn, "/", Trust, [new InlinePolicy("events", Allow("events:PutEvents"))], [new AttachedPolicy("app-data", AppPolicyArn)], null, []))
        .Add(new ManagedPolicyDetail("app-data", AppPolicyArn, "/", "v2",
            [new ManagedPolicyVersion("v1", false, Allow("s3:*")), new ManagedPolicyVersion("v2", true, Allow("s3:GetObject", "arn:aws:s3:::app-data/*"))]))
        .Add(new ManagedPolicyDetail("ecs-boundary", BoundaryArn, "/boundaries/", "v1", [new ManagedPolicyVersion("v1", true, Allow("*"))]))
        .Add(new ManagedPolicyDetail("AmazonECSTaskExecutionRolePolicy", ExecutionPolicyArn, "/service-role/", "v1",
            [new ManagedPolicyVersion("v1", true, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}""")]));

    /// <summary>A directory with its own cache and counter, so counts are exact.</summary>
    public static (IamRoleDirectory Directory, ApiCallCounter Counter) PerRole(IIamApi iam, ManagedPolicyCache? cache = null, string? accountId = Account, int concurrency = 4)
    {
        var counter = new ApiCallCounter();
        return (new IamRoleDirectory(new CountingIamApi(iam, counter), new IamRoleDirectoryOptions(accountId, concurrency, cache ?? new ManagedPolicyCache())), counter);
    }

    public static Role Found(RoleLookup lookup) => Assert.IsType<RoleLookup.Found>(lookup).Role;

    /// <summary>Everything the audit sees of a role, as text: two roles are the same to the audit when their texts are equal.</summary>
    public static string Describe(Role role)
    {
        var text = new StringBuilder();
        text.AppendLine($"{role.Arn} {role.Name} {role.Path}");
        foreach (var tag in role.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"tag {tag.Key}={tag.Value}");
        }
        void Policy(string slot, RolePolicy? policy)
        {
            if (policy is null)
            {
                text.AppendLine($"{slot} none");
                return;
            }
            text.AppendLine($"{slot} {policy.Source} | {policy.Document.Name} | {policy.Document.Version}");
            foreach (var s in policy.Document.Statements)
            {
                text.AppendLine($"  {s.Index} {s.Sid} {s.Effect} {s.Actions?.ElementName} [{string.Join(",", s.Actions?.Patterns ?? [])}] "
                    + $"{s.Resources?.ElementName} [{string.Join(",", s.Resources?.Patterns ?? [])}] "
                    + $"{s.Principals?.ElementName} [{string.Join(",", s.Principals?.Entries.Select(e => $"{e.Type}:{e.Value}") ?? [])}] conditions {s.Conditions.Length}");
            }
        }
        Policy("trust", role.TrustPolicy);
        foreach (var policy in role.Policies)
        {
            Policy("policy", policy);
        }
        Policy("boundary", role.Boundary);
        foreach (var problem in role.Problems)
        {
            text.AppendLine($"problem {problem.Kind} {problem.Source}");
        }
        return text.ToString();
    }
}
