using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.InfrastructureCode.CloudFormation;
using EcsRoleAuditor.InfrastructureCode.Declared;
using static EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation.TemplateAudit;

namespace EcsRoleAuditor.InfrastructureCode.Tests.CloudFormation;

/// <summary>
/// Nested stacks (AWS CloudFormation User Guide, "Nested stacks" and "AWS::CloudFormation::Stack": TemplateURL, Parameters,
/// Fn::GetAtt NestedStack.Outputs.Name): the nested template is read from the local path that names it before packaging, with
/// the parameters the nesting template passes, and what it declares is audited with the rest of the deployment.
/// </summary>
public sealed class NestedStackTests
{
    private static readonly CloudFormationOptions Following = Ireland with { ReadNested = CloudFormationReader.ReadNestedFile };

    private static DeclaredResources ReadWith(string parent, Dictionary<string, string> files) =>
        CloudFormationReader.Read(parent, "parent.yaml", Ireland with
        {
            ReadNested = (_, _, path) => files.TryGetValue(path, out var text) ? (text, path) : throw new FileNotFoundException($"Could not find file '{path}'."),
        });

    [Fact]
    public async Task The_roles_of_a_nested_stack_are_the_task_definitions_roles_where_they_are_written()
    {
        var declared = CloudFormationReader.Read(File.ReadAllText(PathOf("nested-service.yaml")), PathOf("nested-service.yaml"), Following);

        // No RoleName: the stand-in for CloudFormation's generated name keeps the nested stack's logical ID in front.
        Assert.Equal(["Roles-ExecutionRole", "Roles-TaskRole"], declared.Roles.Select(r => r.Name).Order(StringComparer.Ordinal));
        var definition = Assert.Single(DeclaredAccount.Build([declared], null).TaskDefinitions);
        Assert.Equal("arn:aws:iam::111122223333:role/Roles-TaskRole", definition.TaskRoleArn);
        Assert.Equal("arn:aws:iam::111122223333:role/Roles-ExecutionRole", definition.ExecutionRoleArn);

        var (reports, account) = await AuditAsync(declared);

        // The log group's ARN comes from the nesting template as a parameter: the execution role may write the stream.
        var report = Assert.Single(reports);
        Assert.DoesNotContain(report.Findings, f => f.Rule == MissingNeededPermissionRule.Rule || f.Rule == IncompleteAuditRule.Rule);
        var pull = Assert.Single(report.Findings, f => f.Rule == ExecutionPermissionsOnTaskRoleRule.Rule);
        var spot = account.Locations.Find(report, pull);
        var child = PathOf(Path.Combine("nested", "orders-roles.yaml"));
        Assert.Equal(child, Path.GetFullPath(spot!.File));
        Assert.Equal(File.ReadAllLines(child).ToList().FindLastIndex(l => l.Trim() == "- Sid: Pull") + 1, spot.Line);
    }

    [Fact]
    public async Task Without_reading_nested_templates_the_roles_are_unknown_and_said_so()
    {
        var declared = Read("nested-service.yaml");

        Assert.Contains(declared.Notes, n => n.Contains("the nested stack Roles's template is not read here", StringComparison.Ordinal));
        var (reports, _) = await AuditAsync(declared);
        Assert.Contains(Assert.Single(reports).Findings, f => f.Rule == IncompleteAuditRule.Rule);
    }

    private const string Parent = """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
          Inner:
            Type: AWS::CloudFormation::Stack
            Properties:
              TemplateURL: ${Url}
              Parameters: {BucketArn: !GetAtt Bucket.Arn}
          TaskDefinition:
            Type: AWS::ECS::TaskDefinition
            Properties:
              Family: web
              ExecutionRoleArn: !GetAtt Inner.Outputs.${Output}
              ContainerDefinitions:
                - Name: web
                  Image: nginx:1.27
                  EnvironmentFiles: [{Type: s3, Value: !Sub "${Bucket.Arn}/web.env"}]
        """;

    private const string Child = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          BucketArn: {Type: String}
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
          Role:
            Type: AWS::IAM::Role
            Properties:
              RoleName: web-execution
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]
              Policies:
                - PolicyName: files
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - {Effect: Allow, Action: s3:GetObject, Resource: !Sub "${Bucket.Arn}/*"}
                      - {Effect: Allow, Action: s3:GetBucketLocation, Resource: !Sub "${Bucket.Arn}"}
        Outputs:
          RoleArn: {Value: !GetAtt Role.Arn}
        """;

    private static string ParentWith(string url = "inner.yaml", string output = "RoleArn") =>
        Parent.Replace("${Url}", url, StringComparison.Ordinal).Replace("${Output}", output, StringComparison.Ordinal);

    [Fact]
    public async Task A_nested_templates_unknowns_are_not_the_nesting_templates()
    {
        // Both templates have an unnamed Bucket: CloudFormation names them apart, so a grant on the nested one's is no grant
        // on the nesting one's, where the environment file is.
        var declared = ReadWith(ParentWith(), new Dictionary<string, string> { ["inner.yaml"] = Child });

        var (reports, _) = await AuditAsync(declared);

        var missing = Assert.Single(reports).Findings.Where(f => f.Rule == MissingNeededPermissionRule.Rule).ToList();
        Assert.Contains(missing, f => f.Resources.Contains("arn:aws:s3:::${unresolved.Bucket}/web.env"));
        Assert.Contains("${unresolved.Inner.Bucket}", Assert.Single(declared.Roles).InlinePolicies[0].Document.Json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://s3.eu-west-1.amazonaws.com/templates/inner.yaml", "not a local file")]
    [InlineData("s3://templates/inner.yaml", "not a local file")]
    public void A_template_in_S3_is_not_read_and_the_note_says_so(string url, string note)
    {
        var declared = ReadWith(ParentWith(url), new Dictionary<string, string>());

        Assert.Contains(declared.Notes, n => n.StartsWith("parent.yaml:5: the nested stack Inner's template is " + note, StringComparison.Ordinal));
        Assert.Empty(declared.Roles);
    }

    [Fact]
    public void A_CDK_nested_stack_is_read_from_its_asset_beside_the_template()
    {
        // cdk synth writes the nested template beside the parent and names it in the resource's metadata; TemplateURL
        // names only the S3 object deployment uploads.
        var parent = ParentWith("!Join ['', ['https://s3.', !Ref AWS::Region, '.', !Ref AWS::URLSuffix, '/', {'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}'}, '/abc.json']]")
            .Replace("    Type: AWS::CloudFormation::Stack\n", "    Type: AWS::CloudFormation::Stack\n    Metadata: {aws:asset:path: AppNestedStackInner.nested.template.json}\n", StringComparison.Ordinal);

        var declared = ReadWith(parent, new Dictionary<string, string> { ["AppNestedStackInner.nested.template.json"] = Child });

        Assert.Equal("web-execution", Assert.Single(declared.Roles).Name);
    }

    [Theory]
    [InlineData("missing.yaml", "RoleArn", "parent.yaml:5: cannot read the template of the nested stack Inner (missing.yaml): Could not find file 'missing.yaml'.")]
    [InlineData("inner.yaml", "Nothing", "parent.yaml:14: Fn::GetAtt Inner.Outputs.Nothing: the template of Inner (inner.yaml) has no output Nothing")]
    [InlineData("self.yaml", "RoleArn", "self.yaml:6: Inner nests self.yaml, which nests it again (parent.yaml > self.yaml > self.yaml)")]
    public void Bad_nesting_is_one_line_naming_the_template_and_line(string url, string output, string message)
    {
        var self = ParentWith("self.yaml").Replace("Resources:", "Parameters: {BucketArn: {Type: String}}\nResources:", StringComparison.Ordinal);
        var files = new Dictionary<string, string> { ["inner.yaml"] = Child, ["self.yaml"] = self };

        var error = Assert.Throws<InputException>(() => ReadWith(ParentWith(url, output), files));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_parameter_the_nested_template_does_not_declare_names_who_passes_it()
    {
        var parent = ParentWith().Replace("{BucketArn: !GetAtt Bucket.Arn}", "{BucketArn: x, Unknown: y}", StringComparison.Ordinal);

        var error = Assert.Throws<InputException>(() => ReadWith(parent, new Dictionary<string, string> { ["inner.yaml"] = Child }));

        Assert.Equal("inner.yaml: Inner (line 5 of parent.yaml) passes the parameter Unknown: the template declares no such parameter", error.Message);
    }

    [Fact]
    public async Task A_policy_in_one_template_attaches_to_the_role_another_declares()
    {
        // AWS::IAM::Policy names its roles by name (AWS CloudFormation User Guide, "AWS::IAM::Policy", Roles); the name may
        // come from a nested stack's output, or reach a nested template as a parameter. Either way the grant is the role's.
        var parent = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Inner:
                Type: AWS::CloudFormation::Stack
                Properties: {TemplateURL: inner.yaml, Parameters: {TaskRoleName: !Ref TaskRole}}
              TaskRole:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: web-task
                  AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]}
              Admin:
                Type: AWS::IAM::Policy
                Properties:
                  PolicyName: admin
                  Roles: [!GetAtt Inner.Outputs.Name]
                  PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
            """;
        var inner = """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              TaskRoleName: {Type: String}
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: web-execution
                  AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]}
              IamAll:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  Roles: [!Ref TaskRoleName]
                  PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:*", Resource: "*"}]}
            Outputs:
              Name: {Value: !Ref Role}
            """;

        var declared = ReadWith(parent, new Dictionary<string, string> { ["inner.yaml"] = inner });

        Assert.Equal("admin", Assert.Single(declared.Roles.Single(r => r.Name == "web-execution").InlinePolicies).Name);
        Assert.Equal("arn:aws:iam::111122223333:policy/Inner-IamAll", Assert.Single(declared.Roles.Single(r => r.Name == "web-task").ManagedPolicyArns));
        Assert.DoesNotContain(declared.Notes, n => n.Contains("does not declare", StringComparison.Ordinal));
        await Task.CompletedTask;
    }

    [Fact]
    public void A_template_from_a_pull_request_cannot_make_the_tool_read_outside_its_tree()
    {
        // CloudFormation itself takes only S3 URLs; `aws cloudformation package` resolves local paths relative to the
        // template. A template is input from whoever wrote it: no absolute path, no way out of the tree, no symbolic link,
        // no directory or device.
        using var tree = new TempTree();
        var top = tree.Write("app/template.yaml", "");
        tree.Write("outside.yaml", Child);
        tree.Write("app/real.yaml", Child);
        File.CreateSymbolicLink(Path.Combine(tree.Root, "app", "link.yaml"), Path.Combine(tree.Root, "outside.yaml"));
        Directory.CreateDirectory(Path.Combine(tree.Root, "app", "dir"));

        string Refusal(string path) => Assert.Throws<IOException>(() => CloudFormationReader.ReadNestedFile(top, top, path)).Message;

        Assert.Contains("an absolute path", Refusal("/etc/hostname"), StringComparison.Ordinal);
        Assert.Contains("outside the current directory and the top template's directory", Refusal("../outside.yaml"), StringComparison.Ordinal);
        Assert.Contains("outside the current directory and the top template's directory", Refusal("../../../../../../etc/passwd"), StringComparison.Ordinal);
        Assert.Contains("link.yaml is a symbolic link", Refusal("link.yaml"), StringComparison.Ordinal);
        Assert.Contains("a directory", Refusal("dir"), StringComparison.Ordinal);
        Assert.Equal(Child, CloudFormationReader.ReadNestedFile(top, top, "./real.yaml").Text);
    }

    [Fact]
    public void Nested_stacks_that_fan_out_past_the_budget_are_refused_in_one_line()
    {
        // Ten stacks each nesting ten more: a thousand templates from three short files.
        static string Level(string next) => "Resources:\n" + string.Concat(Enumerable.Range(0, 10).Select(i =>
            $"  S{i}:\n    Type: AWS::CloudFormation::Stack\n    Properties: {{TemplateURL: {next}}}\n"));
        var files = new Dictionary<string, string> { ["l2.yaml"] = Level("l3.yaml"), ["l3.yaml"] = Level("leaf.yaml"), ["leaf.yaml"] = "Resources: {}\n" };

        var error = Assert.Throws<InputException>(() => ReadWith(Level("l2.yaml"), files));

        Assert.Matches(@"^l[23]\.yaml:\d+: S\d brings the nested templates read for parent\.yaml past 200; audit the nested templates on their own$", error.Message);
    }

    [Fact]
    public void A_CDK_asset_missing_beside_the_template_is_a_note_not_an_error()
    {
        var parent = ParentWith("!Join ['', ['https://s3.', !Ref AWS::Region, '/abc.json']]")
            .Replace("    Type: AWS::CloudFormation::Stack\n", "    Type: AWS::CloudFormation::Stack\n    Metadata: {aws:asset:path: Gone.nested.template.json}\n", StringComparison.Ordinal);

        var declared = ReadWith(parent, new Dictionary<string, string>());

        Assert.Contains(declared.Notes, n => n.Contains("the nested stack Inner's template Gone.nested.template.json is not beside the template", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_export_is_the_same_value_in_every_template_that_imports_it()
    {
        // Fn::ImportValue reads the account's and region's export (AWS CloudFormation User Guide, "Fn::ImportValue"): the
        // nesting template's import and the nested one's are one value.
        var parent = ParentWith().Replace("EnvironmentFiles: [{Type: s3, Value: !Sub \"${Bucket.Arn}/web.env\"}]",
            "Secrets: [{Name: DB, ValueFrom: !Join ['', ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:', !ImportValue db-secret-name]]}]", StringComparison.Ordinal);
        var child = Child.Replace("- {Effect: Allow, Action: s3:GetObject, Resource: !Sub \"${Bucket.Arn}/*\"}",
            "- {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: !Join ['', ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:', !ImportValue db-secret-name, '-??????']]}",
            StringComparison.Ordinal);
        Assert.Contains("ImportValue db-secret-name", child, StringComparison.Ordinal);

        var (reports, _) = await AuditAsync(ReadWith(parent, new Dictionary<string, string> { ["inner.yaml"] = child }));

        Assert.DoesNotContain(Assert.Single(reports).Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
    }

    [Fact]
    public void One_template_nested_twice_with_a_role_name_is_refused_naming_both_nestings()
    {
        // A role name is unique in the account (IAM User Guide, "IAM identifiers"): the second stack could not create it.
        var parent = """
            Resources:
              A: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: inner.yaml, Parameters: {BucketArn: x}}}
              B: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: inner.yaml, Parameters: {BucketArn: x}}}
            """;
        var declared = ReadWith(parent, new Dictionary<string, string> { ["inner.yaml"] = Child });

        var error = Assert.Throws<InputException>(() => DeclaredAccount.Build([declared], null));

        Assert.Equal("inner.yaml:7 (B.Role): the role web-execution is also declared at inner.yaml:7 (A.Role) (IAM role names are unique in an account, ignoring case)", error.Message);
    }

    private sealed class TempTree : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("era-nested-").FullName;

        public string Write(string relative, string text)
        {
            var path = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
