using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.InfrastructureCode.CloudFormation;
using static EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation.TemplateAudit;

namespace EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation;

// AWS CloudFormation User Guide, "Intrinsic function reference" and "Pseudo parameters reference".
public class TemplateResolverTests
{
    private const string Header = """
        Parameters:
          Env: {Type: String, Default: prod}
          Names: {Type: CommaDelimitedList, Default: "a,b,c"}
          NoDefault: {Type: String}
          FromSsm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /config/name}
        Mappings:
          Sizes: {prod: {Cpu: "1024"}, dev: {Cpu: "256"}}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsDev: !Not [!Condition IsProd]
          Unknown: !Equals [!Ref NoDefault, x]
          Either: !Or [!Condition IsProd, !Condition Unknown]
        Resources:
          Bucket: {Type: "AWS::S3::Bucket", Properties: {BucketName: !Sub "data-${Env}"}}
          Anonymous: {Type: "AWS::S3::Bucket"}
          Role:
            Type: AWS::IAM::Role
            Properties:
              Path: /app/
              AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
          Subject:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
              Tags:
        """;

    // The Subject role's tags hold each expression under test as a tag value, so the reader resolves them as it resolves any property.
    private static Dictionary<string, string> Tags(string tagLines, CloudFormationOptions? options = null)
    {
        var declared = ReadText(Header + "\n" + tagLines, options);
        return declared.Roles.Single(r => r.Name == "Subject").Tags.ToDictionary();
    }

    [Fact]
    public void Intrinsics_resolve_as_CloudFormation_would()
    {
        var tags = Tags("""
                    - {Key: sub, Value: !Sub "arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}/${AWS::Region}-${AWS::AccountId}"}
                    - {Key: subMap, Value: !Sub ["${A}-${B}", {A: one, B: !Ref Env}]}
                    - {Key: join, Value: !Join ["/", [x, !Ref Env, !Select [1, !Ref Names]]]}
                    - {Key: split, Value: !Select [2, !Split [":", "p:q:r"]]}
                    - {Key: if, Value: !If [IsProd, big, small]}
                    - {Key: ifNot, Value: !If [IsDev, dev, notdev]}
                    - {Key: or, Value: !If [Either, yes, no]}
                    - {Key: map, Value: !FindInMap [Sizes, !Ref Env, Cpu]}
                    - {Key: getAtt, Value: !GetAtt Bucket.Arn}
                    - {Key: getAttList, Value: !GetAtt [Role, Arn]}
                    - {Key: refRole, Value: !Ref Role}
                    - {Key: suffix, Value: !Ref AWS::URLSuffix}
            """);

        Assert.Equal("arn:aws:s3:::data-prod/${Literal}/eu-west-1-111122223333", tags["sub"]);
        Assert.Equal("one-prod", tags["subMap"]);
        Assert.Equal("x/prod/b", tags["join"]);
        Assert.Equal("r", tags["split"]);
        Assert.Equal("big", tags["if"]);
        Assert.Equal("notdev", tags["ifNot"]);
        Assert.Equal("yes", tags["or"]); // true OR unknown is true
        Assert.Equal("1024", tags["map"]);
        Assert.Equal("arn:aws:s3:::data-prod", tags["getAtt"]);
        Assert.Equal("arn:aws:iam::111122223333:role/app/Role", tags["getAttList"]); // no RoleName: the logical ID stands for the generated one
        Assert.Equal("Role", tags["refRole"]);
        Assert.Equal("amazonaws.com", tags["suffix"]);
    }

    [Fact]
    public async Task Two_different_unknowns_are_never_one_resource()
    {
        // The task definition reads db-prod or db-dev, the policy grants other-prod or other-dev: whichever the condition,
        // the role cannot read the secret (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role"). Both are
        // !If on the same unknown condition; only the same expression stands for the same value.
        var template = Template.Replace("${Grant}", "other", StringComparison.Ordinal);
        var same = Template.Replace("${Grant}", "db", StringComparison.Ordinal);

        var (reports, _) = await AuditAsync(ReadText(template));
        var (sameReports, _) = await AuditAsync(ReadText(same));

        Assert.Contains(Assert.Single(reports).Findings, f => f.Rule == EcsRoleAuditor.Audit.Rules.MissingNeededPermissionRule.Rule);
        Assert.DoesNotContain(Assert.Single(sameReports).Findings, f => f.Rule == EcsRoleAuditor.Audit.Rules.MissingNeededPermissionRule.Rule);
    }

    private const string Template = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Env:
            Type: String
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              RoleName: web-execution
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: {Service: ecs-tasks.amazonaws.com}
                    Action: sts:AssumeRole
              Policies:
                - PolicyName: secrets
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Action: secretsmanager:GetSecretValue
                        Resource: !Sub ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:${N}-??????", {N: !If [IsProd, ${Grant}-prod, ${Grant}-dev]}]
          Td:
            Type: AWS::ECS::TaskDefinition
            Properties:
              Family: web
              ExecutionRoleArn: !GetAtt Role.Arn
              ContainerDefinitions:
                - Name: web
                  Image: nginx:1.27
                  Secrets:
                    - Name: DB
                      ValueFrom: !Sub ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:${N}", {N: !If [IsProd, db-prod, db-dev]}]
        """;

    [Fact]
    public void What_only_deployment_knows_becomes_a_marker()
    {
        var tags = Tags("""
                    - {Key: noDefault, Value: !Ref NoDefault}
                    - {Key: ssm, Value: !Ref FromSsm}
                    - {Key: import, Value: !ImportValue shared:role}
                    - {Key: generated, Value: !GetAtt Anonymous.Arn}
                    - {Key: unknownIf, Value: !If [Unknown, a, b]}
                    - {Key: stack, Value: !Ref AWS::StackName}
                    - {Key: azs, Value: !Select [0, !GetAZs ""]}
            """);

        Assert.Equal("${unresolved.NoDefault}", tags["noDefault"]);
        Assert.Equal("${unresolved.FromSsm}", tags["ssm"]); // an SSM parameter type is read at deployment, whatever its Default
        Assert.Equal("${unresolved.ImportValue-shared-role}", tags["import"]);
        Assert.Equal("arn:aws:s3:::${unresolved.Anonymous}", tags["generated"]);
        Assert.Matches(@"^\$\{unresolved\.If-Unknown-[0-9a-f]{8}\}$", tags["unknownIf"]);
        Assert.Equal("${unresolved.AWS-StackName}", tags["stack"]);
        Assert.Matches(@"^\$\{unresolved\.Fn-Select-[0-9a-f]{8}\}$", tags["azs"]);
    }

    [Fact]
    public void Given_parameters_override_defaults_and_pseudo_parameters_follow_the_options()
    {
        var options = new CloudFormationOptions("444455556666", "cn-north-1", "orders", ImmutableDictionary<string, string>.Empty.Add("Env", "dev").Add("NoDefault", "x"));
        var tags = Tags("""
                    - {Key: env, Value: !Ref Env}
                    - {Key: arn, Value: !GetAtt Role.Arn}
                    - {Key: stack, Value: !Ref AWS::StackName}
                    - {Key: unknownIf, Value: !If [Unknown, a, b]}
                    - {Key: suffix, Value: !Ref AWS::URLSuffix}
            """, options);

        Assert.Equal("dev", tags["env"]);
        Assert.Equal("arn:aws-cn:iam::444455556666:role/app/Role", tags["arn"]);
        Assert.Equal("orders", tags["stack"]);
        Assert.Equal("a", tags["unknownIf"]);
        Assert.Equal("amazonaws.com.cn", tags["suffix"]);
    }

    [Fact]
    public void NoValue_removes_the_property_and_a_false_condition_the_resource()
    {
        var declared = ReadText("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Kept:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
                  PermissionsBoundary: !Ref AWS::NoValue
                  Path: !If [Never, /never/, !Ref AWS::NoValue]
              Dropped:
                Type: AWS::IAM::Role
                Condition: Never
                Properties:
                  AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
            """);

        var role = Assert.Single(declared.Roles);
        Assert.Equal("Kept", role.Name);
        Assert.Null(role.BoundaryArn);
        Assert.Equal("/", role.Path);
    }

    [Fact]
    public void A_json_template_reads_as_the_yaml_one_with_its_own_lines()
    {
        var yaml = Read("swapped-roles.yaml");
        var json = Read("swapped-roles.template.json");

        Assert.Equal(yaml.TaskDefinitions.Single().Json, json.TaskDefinitions.Single().Json);
        Assert.Equal(yaml.Roles.Select(r => (r.Name, r.Arn, r.Trust.Json)), json.Roles.Select(r => (r.Name, r.Arn, r.Trust.Json)));
        Assert.Equal(
            yaml.Roles.SelectMany(r => r.InlinePolicies).Select(p => (p.Name, p.Document.Json)),
            json.Roles.SelectMany(r => r.InlinePolicies).Select(p => (p.Name, p.Document.Json)));
        var lines = File.ReadAllLines(PathOf("swapped-roles.template.json"));
        var ledger = json.Roles.Single(r => r.Name == "billing-worker-execution").InlinePolicies.Single().Document.StatementLines["Ledger"];
        Assert.Contains("\"Sid\": \"Ledger\"", lines[ledger - 1] + lines[ledger], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Resources:\n  A: {Type: AWS::IAM::Role}\n  A: {Type: AWS::IAM::Role}\n", "template.yaml:3: not YAML: Duplicate key")]
    [InlineData("{\"Resources\": {\"A\": {\"Type\": \"AWS::IAM::Role\"},\n \"A\": {\"Type\": \"X\"}}}", "template.yaml:2: the key 'A' is also at line 1")]
    [InlineData("Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: !Bogus x}\n", "template.yaml:4: unknown tag !Bogus")]
    [InlineData("Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: !Ref Missing}\n", "template.yaml:4: Ref Missing: no such parameter or resource")]
    [InlineData("Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: !GetAtt Missing.Arn}\n", "template.yaml:4: Fn::GetAtt Missing.Arn: no such resource")]
    [InlineData("Resources:\n  A:\n    Properties: {}\n", "template.yaml:2: resource A has no Type")]
    [InlineData("Resources: [\n", "template.yaml:")]
    [InlineData("- just\n- a list\n", "template.yaml:1: expected a CloudFormation template")]
    [InlineData("Conditions:\n  C: !Condition C\nResources:\n  A: {Type: AWS::IAM::Role, Condition: C}\n", "template.yaml:2: condition C depends on itself")]
    [InlineData("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !GetAtt R.Arn\n", "template.yaml:5: R.RoleName depends on itself")]
    [InlineData("Resources:\n  A: {Type: AWS::IAM::Role, Properties: {RoleName: same}}\n  B: {Type: AWS::IAM::Role, Properties: {RoleName: SAME}}\n", "template.yaml:3: B has the role name of A (line 2)")]
    [InlineData("Resources: &a [*a]\n", "template.yaml:1: nested more than 1256 levels deep (a YAML alias inside its own anchor?)")]
    public void Bad_templates_are_one_line_errors_naming_the_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => ReadText(text));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("[", "]", "nested more than 256 levels deep")]
    [InlineData("{a: ", "}", "nested more than 256 levels deep")]
    public void Nesting_deeper_than_any_template_is_refused_before_it_is_read(string open, string close, string expected)
    {
        // 100,000 levels overflowed the YAML reader's stack: the process died instead of naming the file.
        var text = "Resources:\n  X: " + string.Concat(Enumerable.Repeat(open, 100_000)) + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n";
        var error = Assert.Throws<InputException>(() => ReadText(text));
        Assert.Equal($"template.yaml:2: {expected}; not a template CloudFormation accepts", error.Message);
    }

    [Fact]
    public void Aliases_that_expand_without_bound_are_refused_not_followed()
    {
        // Each level doubles the one before: 2^30 values once expanded, from a few hundred bytes.
        var text = new System.Text.StringBuilder("Resources:\n  x0: &a0 [1, 1]\n");
        for (var i = 1; i <= 30; i++)
        {
            text.Append($"  x{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n");
        }
        var error = Assert.Throws<InputException>(() => ReadText(text.ToString()));
        Assert.Contains("YAML aliases expand", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_the_template_does_not_declare_is_refused()
    {
        var options = Ireland with { Parameters = ImmutableDictionary<string, string>.Empty.Add("Nope", "x") };
        var error = Assert.Throws<InputException>(() => ReadText("Resources: {}\n", options));
        Assert.Equal("template.yaml: --parameter Nope: the template declares no such parameter", error.Message);
    }

    [Fact]
    public void A_policy_document_with_unknowns_outside_resources_and_conditions_is_not_audited()
    {
        var declared = ReadText("""
            Parameters:
              Arn: {Type: String}
              Action: {Type: String}
            Resources:
              R:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
                  Policies:
                    - PolicyName: resource
                      PolicyDocument:
                        Version: "2012-10-17"
                        Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:aws:s3:::${Arn}/*"}]
                    - PolicyName: action
                      PolicyDocument:
                        Version: "2012-10-17"
                        Statement: [{Effect: Allow, Action: !Ref Action, Resource: "*"}]
                    - PolicyName: old
                      PolicyDocument:
                        Version: "2008-10-17"
                        Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:aws:s3:::${Arn}/*"}]
            """);

        var policies = declared.Roles.Single().InlinePolicies.ToDictionary(p => p.Name, p => p.Document);
        Assert.Null(policies["resource"].Unreadable);
        using var resource = JsonDocument.Parse(policies["resource"].Json!);
        Assert.Equal("arn:aws:s3:::${unresolved.Arn}/*", resource.RootElement.GetProperty("Statement")[0].GetProperty("Resource").GetString());
        Assert.Equal("Statement[0].Action is a value known only at deployment (${unresolved.Action})", policies["action"].Unreadable);
        Assert.Null(policies["action"].Json);
        Assert.StartsWith("it holds values known only at deployment, and only a document of Version 2012-10-17", policies["old"].Unreadable, StringComparison.Ordinal);
    }
}
