using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Lambda.Tests.Template;

/// <summary>
/// member.yaml, the member account side of organization mode (issue 15, docs/organization.md): it forwards exactly the
/// events the central function's rules act on, and its reader role may do exactly what the audit reads.
/// </summary>
public sealed class MemberTemplateTests
{
    private static readonly JsonObject Root = CloudFormationYaml.Read(Path.Combine(RepositoryPaths.Root, "member.yaml"));

    private static JsonObject Resources => Root[nameof(Resources)]!.AsObject();

    private static JsonObject Properties(string logicalId) => Resources[logicalId]!["Properties"]!.AsObject();

    private static Dictionary<string, JsonObject> ForwardingRules =>
        Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::Events::Rule").ToDictionary(r => r.Key, r => r.Value!.AsObject());

    private static JsonObject Ref(string name) => new() { ["Ref"] = name };

    [Fact]
    public void Each_rule_of_the_function_is_forwarded_with_its_pattern_to_the_central_bus_and_nothing_else_is()
    {
        var forwarded = ForwardingRules;

        Assert.Equal(SamTemplate.Rules.Keys.Select(name => "Forward" + name).Order(StringComparer.Ordinal), forwarded.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, rule) in SamTemplate.Rules)
        {
            var properties = forwarded["Forward" + name]["Properties"]!.AsObject();
            Assert.True(JsonNode.DeepEquals(rule["Pattern"], properties["EventPattern"]), $"Forward{name} forwards another pattern than the function's rule {name}.");
            var target = Assert.Single(properties["Targets"]!.AsArray())!;
            Assert.True(JsonNode.DeepEquals(Ref("CentralEventBusArn"), target["Arn"]));
            Assert.True(JsonNode.DeepEquals(new JsonObject { ["Fn::GetAtt"] = new JsonArray("ForwardingRole", "Arn") }, target["RoleArn"]));
        }
    }

    // "IAM is global: CloudTrail delivers its events to EventBridge in us-east-1 only" (template.yaml, docs/deploy.md):
    // only the us-east-1 instance forwards them, once per account; the role is created once per account too.
    [Fact]
    public void Iam_events_are_forwarded_from_us_east_1_and_the_reader_role_is_created_in_one_region()
    {
        var conditions = Root["Conditions"]!.AsObject();

        Assert.Equal("ReceivesIamEvents", ForwardingRules["ForwardIamRoleChanged"]["Condition"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Fn::Equals":[{"Ref":"AWS::Region"},"us-east-1"]}"""), conditions["ReceivesIamEvents"]));
        Assert.All(ForwardingRules.Where(r => r.Key != "ForwardIamRoleChanged"), r => Assert.Null(r.Value["Condition"]));
        Assert.Equal("CreatesReaderRole", Resources["ReaderRole"]!["Condition"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Fn::Equals":[{"Ref":"AWS::Region"},{"Ref":"ReaderRoleRegion"}]}"""), conditions["CreatesReaderRole"]));
    }

    [Fact]
    public void The_reader_role_may_read_exactly_what_the_function_reads_in_its_own_account()
    {
        var policy = Properties("ReaderRole")["Policies"]!.AsArray().Single(p => p!["PolicyName"]?.GetValue<string>() == "audit-reads")!;

        var functionReads = SamTemplate.Resource("FunctionRole")["Properties"]!["Policies"]!.AsArray()
            .Single(p => p is JsonObject named && named["PolicyName"]?.GetValue<string>() == "audit-reads")!;
        Assert.Equal("audit-reads", policy["PolicyName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(functionReads["PolicyDocument"], policy["PolicyDocument"]));
        var reads = AwsActions.All.Where(o => o.Service is "iam" or "ecs").Select(o => o.Action).Order(StringComparer.Ordinal);
        Assert.Equal(reads, SamTemplate.Actions(policy["PolicyDocument"]!.AsObject()).Order(StringComparer.Ordinal));
        Assert.Equal("EcsRoleAuditorReader", Properties("ReaderRole")["RoleName"]!.GetValue<string>());
    }

    // The central function imports each member's findings through the reader role, since BatchImportFindings takes a
    // default-product finding only from its own account ("BatchImportFindings", AWS Security Hub API Reference); the
    // role is global, the findings regional: every region of the account.
    [Fact]
    public void With_SecurityHub_the_reader_role_may_make_exactly_the_Security_Hub_calls_in_its_own_account()
    {
        var conditional = Properties("ReaderRole")["Policies"]!.AsArray().Single(p => p!["Fn::If"] is not null)!["Fn::If"]!.AsArray();
        var policy = conditional[1]!;

        Assert.Equal("ImportsToSecurityHub", conditional[0]!.GetValue<string>());
        Assert.Equal("AWS::NoValue", conditional[2]!["Ref"]!.GetValue<string>());
        Assert.Equal(AwsActions.SecurityHub.Select(o => o.Action).Order(StringComparer.Ordinal),
            SamTemplate.Actions(policy["PolicyDocument"]!.AsObject()).Order(StringComparer.Ordinal));
        var resources = policy["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!["Resource"]!["Fn::Sub"]!.GetValue<string>()).ToList();
        Assert.Equal(["arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default", "arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:hub/default"], resources);
        Assert.Equal("DISABLED", Root["Parameters"]!["SecurityHub"]!["Default"]!.GetValue<string>());
    }

    // Every principal that may assume the reader must be of the organization (IAM User Guide, "AWS global condition
    // context keys", aws:PrincipalOrgID).
    [Fact]
    public void Only_the_central_auditor_and_the_listed_principals_of_the_organization_may_assume_the_reader()
    {
        var statements = Properties("ReaderRole")["AssumeRolePolicyDocument"]!["Statement"]!.AsArray();
        var central = statements[0]!;
        var listed = statements[1]!["Fn::If"]!;

        Assert.Equal(2, statements.Count);
        Assert.True(JsonNode.DeepEquals(Ref("AuditorRoleArn"), central["Principal"]!["AWS"]));
        Assert.Equal("HasTrustedPrincipals", listed[0]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(Ref("TrustedPrincipals"), listed[1]!["Principal"]!["AWS"]));
        Assert.True(JsonNode.DeepEquals(Ref("AWS::NoValue"), listed[2]));
        foreach (var statement in new[] { central, listed[1]! })
        {
            Assert.Equal("sts:AssumeRole", statement["Action"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(new JsonObject { ["StringEquals"] = new JsonObject { ["aws:PrincipalOrgID"] = Ref("OrganizationId") } }, statement["Condition"]));
        }
    }

    // "the sending event bus must have IAM roles attached to them when sending events to another account" (EventBridge
    // User Guide, "Sending and receiving events between AWS accounts in Amazon EventBridge"): the role may put events on
    // the central bus and nothing else, and only EventBridge acting for this account may use it.
    [Fact]
    public void The_forwarding_role_may_only_put_events_on_the_central_bus()
    {
        var role = Properties("ForwardingRole");
        var trust = Assert.Single(role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        var statement = Assert.Single(Assert.Single(role["Policies"]!.AsArray())!["PolicyDocument"]!["Statement"]!.AsArray())!;

        Assert.Equal("events.amazonaws.com", trust["Principal"]!["Service"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(Ref("AWS::AccountId"), trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]));
        Assert.Equal(("events:PutEvents", "Allow"), (statement["Action"]!.GetValue<string>(), statement["Effect"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(Ref("CentralEventBusArn"), statement["Resource"]));
    }
}
