using System.Text;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Cli.Commands;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>Input files that are wrong in kind, encoding, size or repetition: a one-line usage error naming the file and the place, never a crash and never a silent choice.</summary>
public sealed class UntrustedInputTests : IDisposable
{
    private const string Violating = "register-task-definition-violating.json";

    private readonly ScratchFolder _scratch = new("era-untrusted-");

    public void Dispose() => _scratch.Dispose();

    private static string Event => Path.Combine(TestData.SampleEvents.Folder, Violating);

    private static JsonNode DemoAccount() => JsonNode.Parse(File.ReadAllText(DemoFiles.Account))!;

    private string WriteAccount(string name, Action<JsonNode> change)
    {
        var account = DemoAccount();
        change(account);
        return _scratch.Write(name, account.ToJsonString());
    }

    /// <summary>The demo account file with <paramref name="json"/> replacing the first occurrence of <paramref name="text"/>.</summary>
    private string WriteAccountText(string name, string text, string json)
    {
        var content = File.ReadAllText(DemoFiles.Account);
        var at = content.IndexOf(text, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the demo account has no {text}");
        return _scratch.Write(name, content[..at] + json + content[(at + text.Length)..]);
    }

    private string WriteBytes(string name, byte[] content)
    {
        var path = _scratch.PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>The command lines that read an IAM export, with <c>{iam}</c> for its path.</summary>
    public static TheoryData<string> IamReaders => new()
    {
        "audit --iam {iam} --task-definitions " + DemoFiles.TaskDefinitions,
        "event " + Event + " --iam {iam} --task-definitions " + DemoFiles.TaskDefinitions,
    };

    private static CliRun Run(string commandLine, string iam) =>
        CliRun.Of(commandLine.Replace("{iam}", iam, StringComparison.Ordinal).Split(' '));

    private static void AssertUsageError(CliRun run, params string[] expected)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.All(expected, text => Assert.Contains(text, line, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(IamReaders))]
    public void A_policy_version_that_is_not_an_object_is_a_usage_error_naming_its_place(string commandLine)
    {
        var iam = WriteAccount("null-version.json", a => a["Policies"]![0]!["PolicyVersionList"] = new JsonArray(null, 1));

        var run = Run(commandLine, iam);

        AssertUsageError(run, iam, "$.Policies[0].PolicyVersionList[0]: expected an object, found null");
    }

    [Theory]
    [MemberData(nameof(IamReaders))]
    public void A_role_ARN_twice_in_an_export_is_refused_naming_both_places(string commandLine)
    {
        // A second copy of a role, with Action:* added, must not replace the first one silently (nor the other way round).
        var iam = WriteAccount("twice.json", a =>
        {
            var roles = a["RoleDetailList"]!.AsArray();
            var copy = roles[1]!.DeepClone();
            copy["RolePolicyList"] = JsonNode.Parse("""[{"PolicyName":"all","PolicyDocument":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}}]""");
            roles.Add(copy);
        });

        var run = Run(commandLine, iam);

        AssertUsageError(run, iam, "$.RoleDetailList[5]", "$.RoleDetailList[1]", "arn:aws:iam::111122223333:role/service-role/orders-api-execution");
    }

    // IAM role names are unique in an account ignoring case: "IAM user, group, role, and policy names must be unique within
    // the account. Names are not distinguished by case. For example, you cannot create resources named both "MyResource"
    // and "myresource"." (CreateRole's RoleName, as the SDK reference repeats the API reference:
    // https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/iam/aws.sdk.kotlin.services.iam.model/-create-role-request/role-name.html,
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). Two roles whose names differ only by case
    // are not one account's roles, and a lookup by name could only pick one of them.
    [Fact]
    public void Role_names_that_differ_only_by_case_are_refused_naming_both_places()
    {
        var iam = WriteAccount("names.json", a =>
        {
            var roles = a["RoleDetailList"]!.AsArray();
            var copy = roles[4]!.DeepClone();
            copy["RoleName"] = "LEGACY-REPORTS";
            copy["Arn"] = "arn:aws:iam::111122223333:role/other/LEGACY-REPORTS";
            roles.Add(copy);
        });

        var run = CliRun.Of("audit", "--iam", iam, "--task-definitions", DemoFiles.TaskDefinitions);

        AssertUsageError(run, iam, "$.RoleDetailList[5]", "$.RoleDetailList[4]", "role name");
    }

    [Fact]
    public void A_managed_policy_ARN_twice_in_an_export_is_refused_naming_both_places()
    {
        var iam = WriteAccount("policies.json", a =>
        {
            var policies = a["Policies"]!.AsArray();
            policies.Add(policies[0]!.DeepClone());
        });

        var run = CliRun.Of("audit", "--iam", iam, "--task-definitions", DemoFiles.TaskDefinitions);

        AssertUsageError(run, iam, "$.Policies[1]", "$.Policies[0]", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
    }

    [Fact]
    public void A_policy_version_listed_twice_is_refused_so_an_admin_copy_cannot_hide()
    {
        // The first copy of v1 grants everything; read last-wins, the second (the demo's) would hide it.
        var iam = WriteAccount("versions.json", a =>
        {
            var versions = a["Policies"]![0]!["PolicyVersionList"]!.AsArray();
            var admin = versions[0]!.DeepClone();
            admin["Document"] = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
            versions.Insert(0, admin);
        });

        var run = CliRun.Of("audit", "--iam", iam, "--task-definitions", DemoFiles.TaskDefinitions);

        AssertUsageError(run, iam, "$.Policies[0].PolicyVersionList[1]", "$.Policies[0].PolicyVersionList[0]", "v1");
    }

    [Fact]
    public void Two_default_versions_of_a_policy_are_refused()
    {
        var iam = WriteAccount("defaults.json", a =>
        {
            var versions = a["Policies"]![0]!["PolicyVersionList"]!.AsArray();
            var other = versions[0]!.DeepClone();
            other["VersionId"] = "v2";
            versions.Add(other);
        });

        var run = CliRun.Of("audit", "--iam", iam, "--task-definitions", DemoFiles.TaskDefinitions);

        AssertUsageError(run, iam, "$.Policies[0].PolicyVersionList[1]", "$.Policies[0].PolicyVersionList[0]", "default version");
    }

    /// <summary>Every input file a command reads, with <c>{file}</c> for the one under test and a valid file for the others.</summary>
    public static TheoryData<string, string> InputFileKinds => new()
    {
        { "audit --iam {file} --task-definitions " + DemoFiles.TaskDefinitions, "{\"RoleDetailList\":[]}" },
        { "audit --iam " + DemoFiles.Account + " --task-definitions {file}", "{\"taskDefinition\":{\"family\":\"web\"}}" },
        { "audit --iam " + DemoFiles.Account + " --task-definitions " + DemoFiles.TaskDefinitions + " --suppressions {file}", "[{\"rule\":\"ERA020\",\"reason\":\"x\"}]" },
        { "event {file} --demo", "{\"taskDefinition\":\"web:1\"}" },
        { "event " + Event + " --demo --suppressions {file}", "[{\"rule\":\"ERA020\",\"reason\":\"x\"}]" },
        { "evaluate --cases {file}", "{\"cases\":[]}" },
    };

    private static CliRun RunWith(string commandLine, string file) =>
        CliRun.Of(commandLine.Split(' ').Select(a => a.Replace("{file}", file, StringComparison.Ordinal)).ToArray());

    [Theory]
    [MemberData(nameof(InputFileKinds))]
    public void Invalid_UTF8_in_any_input_file_is_named_with_its_byte_offset(string commandLine, string valid)
    {
        // A byte order mark, then the valid JSON with a stray 0xFF inside its first string.
        var json = Encoding.UTF8.GetBytes(valid);
        var quote = Array.IndexOf(json, (byte)'"');
        byte[] content = [0xEF, 0xBB, 0xBF, .. json[..(quote + 1)], 0xFF, .. json[(quote + 1)..]];
        var file = WriteBytes("latin1.json", content);

        var run = RunWith(commandLine, file);

        AssertUsageError(run, $"{file}: invalid UTF-8 at byte {3 + quote + 1}");
    }

    [Theory]
    [MemberData(nameof(InputFileKinds))]
    public void A_key_twice_in_an_object_of_any_input_file_is_named_with_its_place(string commandLine, string valid)
    {
        var node = JsonNode.Parse(valid)!;
        var (first, firstValue) = node is JsonArray array ? array[0]!.AsObject().First() : node.AsObject().First();
        var path = node is JsonArray ? $"$[0].{first}" : $"$.{first}";
        var repeated = valid.Insert(valid.LastIndexOf('}') , $",\"{first}\":{firstValue!.ToJsonString()}");
        var file = _scratch.Write("twice.json", repeated);

        var run = RunWith(commandLine, file);

        AssertUsageError(run, file, $"{path}: duplicate key \"{first}\"");
    }

    [Theory]
    [MemberData(nameof(InputFileKinds))]
    public void An_input_file_over_the_size_limit_is_refused_before_it_is_read(string commandLine, string valid)
    {
        _ = valid;
        var file = _scratch.PathOf("huge.json");
        using (var stream = new FileStream(file, FileMode.Create))
        {
            stream.SetLength(3L * 1024 * 1024 * 1024); // sparse on Linux: no 3 GiB written; over 2 GiB, where arrays end
        }

        var run = RunWith(commandLine, file);

        AssertUsageError(run, file, "is larger than 256 MiB");
    }

    [Fact]
    public void A_file_just_over_the_limit_is_refused_and_one_at_the_limit_is_read()
    {
        var at = _scratch.PathOf("at.json");
        using (var stream = new FileStream(at, FileMode.Create))
        {
            stream.SetLength(InputFiles.MaxBytes);
        }
        var over = _scratch.PathOf("over.json");
        using (var stream = new FileStream(over, FileMode.Create))
        {
            stream.SetLength(InputFiles.MaxBytes + 1);
        }

        // 256 MiB of NUL bytes is read in full, then is not JSON; one byte more is not read at all.
        AssertUsageError(CliRun.Of("evaluate", "--cases", at), at, "not valid JSON at line 1, column 1");
        AssertUsageError(CliRun.Of("evaluate", "--cases", over), over, "is larger than 256 MiB");
    }

    [Fact]
    public void A_stream_without_a_length_is_counted_against_the_limit()
    {
        using var pipe = new UnseekableStream(new byte[1001]);

        var error = Assert.Throws<UsageException>(() => InputFiles.ReadCapped(pipe, "standard input", "the cases file", limit: 1000));

        Assert.Equal("standard input: the cases file is larger than 1000 bytes, the most an input may hold", error.Message);
        Assert.Equal(1000, InputFiles.ReadCapped(new UnseekableStream(new byte[1000]), "standard input", "the cases file", limit: 1000).Length);
    }

    [Fact]
    public void An_escaped_lone_surrogate_in_the_cases_file_breaks_that_case_only()
    {
        var cases = _scratch.Write("cases.json", """
            {"cases":[
              {"id":"\udc00","identityPolicies":[],"action":"s3:GetObject","resource":"*"},
              {"id":"b","identityPolicies":[],"action":"s3:\udc00","resource":"*","context":{"k":["\ud800"]}},
              {"id":"c","identityPolicies":[],"action":"s3:GetObject","resource":"*"}
            ]}
            """);

        var run = CliRun.Of("evaluate", "--cases", cases);

        Assert.Equal(0, run.ExitCode);
        var lines = run.StdoutLines;
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"id\":\"#0\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("$.cases[0].id: the string holds an escaped lone surrogate", lines[0], StringComparison.Ordinal);
        Assert.Contains("$.cases[1].action: the string holds an escaped lone surrogate", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"decision\":\"ImplicitlyDenied\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_lone_surrogate_in_an_event_is_not_a_crash()
    {
        var broken = _scratch.Write("event.json", File.ReadAllText(Event).Replace("\"account\": \"111122223333\"", "\"account\": \"\\udc00\"", StringComparison.Ordinal));
        Assert.Contains("\\udc00", File.ReadAllText(broken), StringComparison.Ordinal);

        var run = CliRun.Of("event", broken, "--demo");

        Assert.InRange(run.ExitCode, 0, 3);
    }

    // AWS rejects a policy with a repeated key, so a document that repeats "Effect" or "Action" is malformed (ERA047) and
    // the audit incomplete, never read last-wins. IAM Access Analyzer's policy checks list "Error – Duplicate keys with
    // different case" among the grammar errors and "Error – JSON syntax error"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html); we found no AWS
    // page that says in words that an exact repeat is refused, so this rests on RFC 8259 §4 ("The names within an object
    // SHOULD be unique") and on reading a repeat as the malformed document it is. The document here is URL-encoded text, as
    // IAM's API returns it: the AWS CLI decodes documents into objects with Python's json, which keeps only the last copy,
    // so a repeat inside an object-form document can only come from another tool and refuses the whole file instead.
    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Deny","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Action":"*","Resource":"*"}}""")]
    public void A_role_policy_with_a_repeated_key_is_malformed_and_the_audit_incomplete(string document)
    {
        // orders-api-task: the task role of orders-api only, so one finding.
        var iam = WriteAccount("repeated.json", a =>
            a["RoleDetailList"]![0]!["RolePolicyList"] = new JsonArray(new JsonObject { ["PolicyName"] = "repeated", ["PolicyDocument"] = Uri.EscapeDataString(document) }));

        var run = CliRun.Of("audit", "--iam", iam, "--task-definitions", DemoFiles.TaskDefinitions, "--format", "json");

        Assert.Equal(3, run.ExitCode);
        var finding = Assert.Single(System.Text.Json.JsonDocument.Parse(run.Stdout).RootElement.GetProperty("reports").EnumerateArray()
            .SelectMany(r => r.GetProperty("findings").EnumerateArray()), f => f.GetProperty("ruleId").GetString() == "ERA047");
        Assert.Contains("duplicate key", finding.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_key_in_an_object_form_policy_refuses_the_export()
    {
        var iam = WriteAccountText("object-form.json", "\"Effect\": \"Allow\"", "\"Effect\": \"Deny\", \"Effect\": \"Allow\"");

        var run = CliRun.Of("audit", "--iam", iam, "--task-definitions", DemoFiles.TaskDefinitions);

        AssertUsageError(run, iam, ".Effect: duplicate key \"Effect\"");
    }

    /// <summary>A stream that, like a pipe, cannot tell its length.</summary>
    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
