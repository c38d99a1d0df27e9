using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.TestData;
using static EcsRoleAuditor.Audit.Tests.Rules.Placement.PlacementScenarios;

namespace EcsRoleAuditor.Audit.Tests.Rules;

/// <summary>
/// Issue 11: a permission boundary or a Deny only takes permissions away ("The effective permissions are the
/// intersection of both policy types. An explicit deny in either of these policies overrides the allow." —
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html), so adding one to a role never adds a
/// breadth or placement finding on a statement none reported and never raises a statement's worst severity. (A
/// statement may change hands: an administrator statement a boundary cuts to one action is no longer ERA040's but may be
/// ERA043's, lower.) It may add ERA021: what it takes away may be what the task definition needs. The property is checked
/// on a fixed sequence of generated cases (the same every run); the cases that once broke it are kept in
/// <see cref="Narrowings"/> as regression scenarios.
/// </summary>
public class BoundaryAndDenyPropertyTests
{
    /// <summary>The rules a narrowing must never add or raise.</summary>
    private static readonly RuleDescriptor[] JudgedRules =
    [
        ApplicationPermissionsOnExecutionRoleRule.Rule, ExecutionPermissionsOnTaskRoleRule.Rule, ControlPlanePowersRule.Rule,
        AdministratorAccessRule.Rule, PrivilegeEscalationRule.Rule, ServiceWideWildcardRule.Rule, WriteOnAnyResourceRule.Rule,
        NegatedAllowRule.Rule, SensitiveReadOnAnyResourceRule.Rule, UnknownActionRule.Rule,
    ];

    /// <summary>The generator's seed (a CsCheck seed string): the same cases every run, so a failure reproduces.</summary>
    private const string MasterSeed = "000000000w1b";

    private const int DefaultCaseCount = 300;

    /// <summary>
    /// The kinds of violation the generated cases may find and are accepted: none. The mechanism stays so that a known
    /// limitation can be listed with its reason rather than weakening the property; the test fails on any kind not here,
    /// and on any kind here it no longer finds.
    /// </summary>
    private static readonly HashSet<string> KnownViolations = new(StringComparer.Ordinal);

    private static int CaseCount =>
        int.TryParse(Environment.GetEnvironmentVariable("BOUNDARY_AND_DENY_CASES"), out var count) && count > 0 ? count : DefaultCaseCount;

    [Fact]
    public void Every_managed_policy_of_the_pool_is_in_the_corpus()
    {
        Assert.All(BoundaryAndDenyGenerators.ManagedPool, name => Assert.Equal(name, ManagedPolicyCorpus.Get(name).Name));
    }

    [Fact]
    public async Task Adding_a_boundary_or_a_deny_never_adds_or_raises_a_breadth_or_placement_finding()
    {
        var watch = Stopwatch.StartNew();
        var cases = GeneratedCases(CaseCount);
        var outcomes = new Outcome[cases.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
            outcomes[i] = await Compare(cases[i].Case));

        // The property is vacuous unless the narrowings take findings away: check that they often do.
        var narrowed = outcomes.Count(o => o.RemovedOrLowered > 0);
        Assert.True(narrowed >= cases.Count / 5, $"only {narrowed} of {cases.Count} cases lost or lowered a finding: the generator no longer exercises the rules");

        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            foreach (var kind in outcomes[i].Violations.Select(v => v.Kind).Distinct(StringComparer.Ordinal))
            {
                found.TryAdd(kind, i);
                counts[kind] = counts.GetValueOrDefault(kind) + 1;
            }
        }
        var unexpected = found.Keys.Where(k => !KnownViolations.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var fixedKinds = CaseCount == DefaultCaseCount ? KnownViolations.Where(k => !found.ContainsKey(k)).Order(StringComparer.Ordinal).ToList() : [];
        if (unexpected.Count == 0 && fixedKinds.Count == 0)
        {
            return;
        }
        var report = new StringBuilder($"{cases.Count} cases from seed {MasterSeed} in {watch.Elapsed.TotalSeconds:F0} s.\n");
        foreach (var kind in unexpected)
        {
            var (seed, first) = cases[found[kind]];
            var minimal = await Minimise(first, kind);
            var violation = (await Compare(minimal)).Violations.First(v => v.Kind == kind);
            report.Append($"\nNEW: {kind} ({counts[kind]} of the cases)\n  case seed {seed} (BoundaryAndDenyGenerators.Case.Generate(PCG.Parse(seed), null!, out _)), minimised:\n  {minimal.Describe()}\n"
                + $"  {violation.Detail}\n  scenario after the change: {Shorten(minimal.After)}\n");
        }
        foreach (var kind in fixedKinds)
        {
            report.Append($"\nNO LONGER FOUND (remove it from KnownViolations): {kind}\n");
        }
        Assert.Fail(report.ToString());
    }

    // ---- The issue's named situations ----

    // "The effective permissions are the intersection of both policy types." (access_policies_boundaries.html)
    [Fact]
    public async Task Boundary_of_one_read_on_one_bucket_under_AmazonS3FullAccess_is_no_service_wide_wildcard()
    {
        var role = Role(TaskRoleArn, ["AmazonS3FullAccess"]);
        var before = await JudgedFindings(Build(Container("nginx:1.27"), null, role));
        Assert.Contains(before, f => f.Rule == ServiceWideWildcardRule.Rule);

        role["boundary"] = Boundary("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::web-uploads/*"}""");
        var after = await JudgedFindings(Build(Container("nginx:1.27"), null, role));
        Assert.DoesNotContain(after, f => f.Rule == ServiceWideWildcardRule.Rule || f.Rule == SensitiveReadOnAnyResourceRule.Rule);
    }

    // "The effective permissions are the intersection of both policy types." (access_policies_boundaries.html)
    [Fact]
    public async Task Boundary_on_one_bucket_under_s3_Get_star_on_every_resource_is_no_sensitive_read_on_any_resource()
    {
        var inline = new Dictionary<string, string> { ["app"] = Policy("""{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}""") };
        var before = await JudgedFindings(Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: inline)));
        Assert.Contains(before, f => f.Rule == SensitiveReadOnAnyResourceRule.Rule);

        var bounded = Role(TaskRoleArn, inline: inline,
            boundary: Boundary("""{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::web-uploads","arn:aws:s3:::web-uploads/*"]}"""));
        var after = await JudgedFindings(Build(Container("nginx:1.27"), null, bounded));
        Assert.DoesNotContain(after, f => f.Rule == SensitiveReadOnAnyResourceRule.Rule);
    }

    // A Deny with NotResource denies every resource but those it names
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html), and "an explicit
    // deny in either of these policies overrides the allow" (access_policies_boundaries.html).
    [Fact]
    public async Task Deny_with_NotResource_narrowing_a_write_on_every_resource_is_no_write_on_any_resource()
    {
        const string allow = """{"Sid":"Queues","Effect":"Allow","Action":["sqs:SendMessage","sqs:DeleteMessage"],"Resource":"*"}""";
        var before = await JudgedFindings(Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy(allow) })));
        Assert.Contains(before, f => f.Rule == WriteOnAnyResourceRule.Rule);

        const string deny = $$"""{"Sid":"OnlyJobs","Effect":"Deny","Action":"sqs:*","NotResource":"arn:aws:sqs:eu-west-1:{{Account}}:jobs"}""";
        var after = await JudgedFindings(Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy(allow, deny) })));
        Assert.DoesNotContain(after, f => f.Rule == WriteOnAnyResourceRule.Rule);
    }

    // "The effective permissions are the intersection of both policy types." (access_policies_boundaries.html)
    [Fact]
    public async Task AdministratorAccess_under_a_boundary_of_one_action_is_not_an_administrator()
    {
        var role = Role(TaskRoleArn, ["AdministratorAccess"]);
        var before = await JudgedFindings(Build(Container("nginx:1.27"), null, role));
        Assert.Contains(before, f => f.Rule == AdministratorAccessRule.Rule);

        role["boundary"] = Boundary($$"""{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:{{Account}}:jobs"}""");
        var after = await JudgedFindings(Build(Container("nginx:1.27"), null, role));
        Assert.Empty(after.Select(f => $"{f.RuleId} {f.Severity}: {f.Message}"));
    }

    // "An explicit deny in either of these policies overrides the allow." (access_policies_boundaries.html): a Deny the
    // audit cannot decide (its condition is on the request) may apply, so the finding stays, at its severity, "unless".
    [Fact]
    public async Task Deny_under_an_undecided_condition_keeps_the_finding_at_its_severity()
    {
        const string allow = """{"Sid":"Reads","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}""";
        var before = Assert.Single(await JudgedFindings(Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy(allow) }))));

        const string deny = """{"Sid":"OutsideVpce","Effect":"Deny","Action":"secretsmanager:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}""";
        var after = Assert.Single(await JudgedFindings(Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy(allow, deny) }))));
        Assert.Equal((before.Rule, before.Severity, before.Statement), (after.Rule, after.Severity, after.Statement));
        Assert.Contains("unless the Deny", after.Message, StringComparison.Ordinal);
    }

    // What the property allows: "An explicit deny in either of these policies overrides the allow."
    // (access_policies_boundaries.html) — here the boundary keeps the agent from the secret the task definition names.
    [Fact]
    public async Task Boundary_that_blocks_a_referenced_secret_adds_only_a_missing_permission()
    {
        var container = Container(extra: Merge(Awslogs, Secrets(("DB_PASSWORD", SecretArn))));
        var reads = new Dictionary<string, string> { ["secrets"] = Policy($$"""{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{{SecretArn}}"}""") };
        var before = await RuleExampleTests.Audit(Build(container, Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], reads)), "before");
        Assert.DoesNotContain(before.Findings, f => f.Rule == MissingNeededPermissionRule.Rule);

        var boundary = Boundary("""{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}""");
        var after = await RuleExampleTests.Audit(Build(container, Role(ExecutionRoleArn, ["AmazonECSTaskExecutionRolePolicy"], reads, boundary)), "after");
        var missing = Assert.Single(after.Findings, f => f.Rule == MissingNeededPermissionRule.Rule);
        Assert.Equal<string>(["secretsmanager:GetSecretValue"], missing.Actions);
        Assert.Empty(Comparison.Of(Judged(before.Findings), Judged(after.Findings)).Violations);
    }

    // ---- The narrowings that once broke the property, each in its smallest scenario ----

    /// <summary>
    /// One scenario per cause the property found while the rules were made to read the effective view, with what the
    /// narrowing used to add or raise and why; each now adds and raises nothing.
    /// </summary>
    private static readonly Dictionary<string, (string Before, string After, string Narrowing, string[] Violations)> Narrowings = new(StringComparer.Ordinal)
    {
        // A Deny of one service is an exception to an administrator statement, not the end of ERA040's finding (which
        // would hand the statement to every rule ERA040 keeps silent).
        ["AdministratorAccess less S3 is reported by the rules ERA040 silenced"] = (
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, ["AdministratorAccess"])),
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, ["AdministratorAccess"], new() { ["guard"] = Policy("""{"Effect":"Deny","Action":"s3:*","Resource":"*"}""") })),
            "Deny",
            [
                "ERA031 added to HIGH on the Task role, managed policy arn:aws:iam::aws:policy/AdministratorAccess (v1), statement #0",
                "ERA041 added to CRITICAL on the Task role, managed policy arn:aws:iam::aws:policy/AdministratorAccess (v1), statement #0",
                "ERA042 added to MEDIUM on the Task role, managed policy arn:aws:iam::aws:policy/AdministratorAccess (v1), statement #0",
            ]),
        // A boundary listing one read ends ERA042's finding on s3:*; the read on "*" is ERA045's, no worse.
        ["AmazonS3FullAccess under a boundary of one read"] = (
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, ["AmazonS3FullAccess"])),
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, ["AmazonS3FullAccess"], boundary: Boundary("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"""))),
            "boundary",
            [
                "ERA045 added to MEDIUM on the Task role, managed policy arn:aws:iam::aws:policy/AmazonS3FullAccess (v1), statement #0",
            ]),
        // A boundary listing one write ends ERA044's finding on a NotAction; the write on "*" is ERA043's, lower.
        ["NotAction under a boundary of one write"] = (
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy("""{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}""") })),
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy("""{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}""") },
                boundary: Boundary("""{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"""))),
            "boundary",
            [
                "ERA043 added to MEDIUM on the Task role, inline policy app, statement #0",
            ]),
        // A region condition, undecided on "*" and true on the boundary's eu-west-1 ARNs, lowers neither finding
        // (ScopeWording.Narrows): narrowing to the region's ARNs cannot raise it.
        ["Region condition decided by the boundary's ARN"] = (
            Build(Container("nginx:1.27"), Role(ExecutionRoleArn, inline: new() { ["app"] = Policy(RegisterInEuWest1) })),
            Build(Container("nginx:1.27"), Role(ExecutionRoleArn, inline: new() { ["app"] = Policy(RegisterInEuWest1) },
                boundary: Boundary($$"""{"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:ExecuteCommand"],"Resource":"arn:aws:ecs:eu-west-1:{{Account}}:*"}"""))),
            "boundary",
            [
                "ERA020 raised from MEDIUM to HIGH on the Execution role, inline policy app, statement #0",
                "ERA041 raised from HIGH to CRITICAL on the Execution role, inline policy app, statement #0",
            ]),
        // A boundary scope on a secret's ARN reaches no EC2 action: it is not where ec2:CreateSecurityGroup is allowed
        // (EffectivePermissions.ScopesThrough) and does not change the finding.
        ["Scope that reaches none of the actions"] = (
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy(SecurityGroupsInEuWest1) })),
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy(SecurityGroupsInEuWest1) },
                boundary: Boundary($$"""{"Effect":"Allow","Action":"ec2:CreateSecurityGroup","Resource":"{{SecretArn}}"}""", """{"Effect":"Allow","Action":"*","Resource":"*"}"""))),
            "boundary",
            [
                "ERA031 raised from MEDIUM to HIGH on the Task role, inline policy app, statement #0",
            ]),
        // A scope's patterns must all match: web-* and the boundary's */* together are not every object.
        ["Boundary pattern that overlaps the Allow's"] = (
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::web-*"}""") })),
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["app"] = Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::web-*"}""") },
                boundary: Boundary("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*/*"}"""))),
            "boundary",
            [
                "ERA045 added to MEDIUM on the Task role, inline policy app, statement #0",
            ]),
        // A PassRole confined to ECS by iam:PassedToService is judged by the ECS path alone: with ECS denied, no path.
        ["PassRole for ECS once ECS is denied"] = (
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["pass"] = Policy(PassRoleToEcs), ["deploy"] = Policy(RegisterAndRun) })),
            Build(Container("nginx:1.27"), null, Role(TaskRoleArn, inline: new() { ["pass"] = Policy(PassRoleToEcs), ["deploy"] = Policy(RegisterAndRun), ["guard"] = Policy("""{"Effect":"Deny","Action":"ecs:*","Resource":"*"}""") })),
            "Deny",
            [
                "ERA041 added to HIGH on the Task role, inline policy pass, statement #0",
            ]),
    };

    private const string RegisterInEuWest1 = """{"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:ExecuteCommand"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}""";

    private const string SecurityGroupsInEuWest1 = """{"Effect":"Allow","Action":"ec2:CreateSecurityGroup","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}""";

    private const string PassRoleToEcs = """{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}""";

    private const string RegisterAndRun = $$"""{"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:RunTask"],"Resource":"arn:aws:ecs:eu-west-1:{{Account}}:task-definition/web:*"}""";

    public static TheoryData<string> NarrowingNames => [.. Narrowings.Keys];

    [Theory]
    [MemberData(nameof(NarrowingNames))]
    public async Task A_narrowing_that_once_added_or_raised_findings_adds_and_raises_none(string name)
    {
        var (before, after, narrowing, once) = Narrowings[name];
        var outcome = await Compare(before, after, narrowing);
        Assert.True(outcome.Violations.Count == 0,
            $"{name}: the {narrowing} adds or raises\n{string.Join("\n", outcome.Violations.Select(v => $"  {v.Summary}  [{v.Kind}]"))}\n(it once did: {string.Join("; ", once)})");
    }

    // ---- The comparison ----

    /// <summary>A finding added or raised by the narrowing: its kind (see <see cref="ViolationKind"/>), what happened, and the finding's message.</summary>
    private sealed record Violation(string Kind, string Summary, string Message)
    {
        public string Detail => $"{Summary}; the finding says: {Message}";
    }

    private sealed record Outcome(List<Violation> Violations, int RemovedOrLowered);

    /// <summary>A finding's identity across the two audits: rule, role slot, policy and statement.</summary>
    private sealed record FindingKey(RuleDescriptor Rule, RoleSlot Slot, string Source, string Statement)
    {
        public static FindingKey Of(Finding finding) => new(finding.Rule, finding.RoleSlot, finding.Source.ToString(), finding.Statement ?? "");

        public (RoleSlot, string, string) Place => (Slot, Source, Statement);

        public override string ToString() => $"{Rule.Id} on the {Slot} role, {Source}, statement {Statement}";
    }

    private static class Comparison
    {
        public static (List<(FindingKey Key, Severity Before, Severity? After)> Changes, List<(FindingKey Key, Severity Severity)> Violations) Of(
            IReadOnlyList<Finding> before, IReadOnlyList<Finding> after)
        {
            var was = Worst(before);
            var now = Worst(after);
            // Per statement (role slot, policy, statement): a narrowing may hand a statement from one rule to another — an
            // administrator statement cut to a list is no longer ERA040's, its writes on "*" become ERA043's — but never
            // reports a statement nothing reported, nor above the worst severity it had.
            // ERA041 judges a role's statements together (a path spans statements and policies, and ERA040 silences it for
            // the whole role), so its place is the role.
            var wasAt = before.GroupBy(f => FindingKey.Of(f).Place).ToDictionary(g => g.Key, g => g.Max(f => f.Severity));
            var wasOnRole = before.GroupBy(f => f.RoleSlot).ToDictionary(g => g.Key, g => g.Max(f => f.Severity));
            bool Allowed((FindingKey Key, Severity Value) n) => n.Key.Rule == PrivilegeEscalationRule.Rule
                ? wasOnRole.TryGetValue(n.Key.Slot, out var onRole) && n.Value <= onRole
                : wasAt.TryGetValue(n.Key.Place, out var severity) && n.Value <= severity;
            var violations = now.Select(n => (n.Key, n.Value)).Where(n => !Allowed(n)).ToList();
            var changes = was.Where(w => !now.TryGetValue(w.Key, out var severity) || severity < w.Value)
                .Select(w => (w.Key, w.Value, now.TryGetValue(w.Key, out var severity) ? severity : (Severity?)null)).ToList();
            return (changes, violations);
        }

        public static Dictionary<FindingKey, Severity> Worst(IEnumerable<Finding> findings) =>
            findings.GroupBy(FindingKey.Of).ToDictionary(g => g.Key, g => g.Max(f => f.Severity));
    }

    private static Task<Outcome> Compare(BoundaryAndDenyCase generated) =>
        Compare(generated.Before, generated.After, generated.Change.Kind == NarrowingKind.Boundary ? "boundary" : "Deny");

    private static async Task<Outcome> Compare(string beforeScenario, string afterScenario, string narrowing)
    {
        var before = await JudgedFindings(beforeScenario);
        var after = await JudgedFindings(afterScenario);
        var (changes, violations) = Comparison.Of(before, after);
        var was = Comparison.Worst(before);
        var now = Comparison.Worst(after);
        return new Outcome(
            [.. violations.Select(v => new Violation(
                ViolationKind(narrowing, v.Key, v.Severity, was, now),
                $"{v.Key.Rule.Id} {(was.TryGetValue(v.Key, out var old) ? $"raised from {old.Name()}" : "added")} to {v.Severity.Name()} on the {v.Key.Slot} role, {v.Key.Source}, statement {v.Key.Statement}",
                after.First(f => FindingKey.Of(f) == v.Key).Message))],
            changes.Count);
    }

    /// <summary>
    /// How a violation is classed in <see cref="KnownViolations"/>: the narrowing, the rule, raised or added, and for an
    /// added finding whose place it takes. The breadth rules leave a statement to one rule (ERA040 silences the others
    /// about an administrator statement; ERA042 and ERA044 take the actions they report from ERA043 and ERA045), so a
    /// narrowing that ends that rule's finding can hand the statement on: "in ERA040's place". A finding on a statement
    /// no judged rule reported before, or one more severe than the statement's worst before, is worded so.
    /// </summary>
    private static string ViolationKind(string narrowing, FindingKey key, Severity severity, Dictionary<FindingKey, Severity> was, Dictionary<FindingKey, Severity> now)
    {
        if (was.TryGetValue(key, out var before))
        {
            return $"{narrowing} raises {key.Rule.Id} from {before.Name()}";
        }
        var here = was.Where(w => w.Key.Place == key.Place).ToList();
        var taker = new[] { AdministratorAccessRule.Rule, ServiceWideWildcardRule.Rule, NegatedAllowRule.Rule }.FirstOrDefault(rule => here.Exists(w => w.Key.Rule == rule));
        // ERA041 is silent about every statement of an unconditional administrator: its paths may span other statements.
        var origin = taker is not null ? $"in {taker.Id}'s place"
            : here.Count > 0 ? $"beside {string.Join("+", here.Select(w => w.Key.Rule.Id).Order(StringComparer.Ordinal))}"
            : key.Rule == PrivilegeEscalationRule.Rule && was.Keys.Any(k => k.Rule == AdministratorAccessRule.Rule && k.Slot == key.Slot && !now.ContainsKey(k)) ? "after ERA040 left the role"
            : "on a statement no judged rule reported";
        var above = here.Count > 0 && severity > here.Max(w => w.Value) ? ", above the statement's worst before" : "";
        return $"{narrowing} adds {key.Rule.Id} {origin}{above}";
    }

    private static List<Finding> Judged(IEnumerable<Finding> findings) => [.. findings.Where(f => JudgedRules.Contains(f.Rule))];

    private static async Task<List<Finding>> JudgedFindings(string scenario) => Judged((await RuleExampleTests.Audit(scenario, "boundary and deny property")).Findings);

    // ---- Generation, minimisation ----

    /// <summary>The cases, each with the CsCheck seed string that regenerates it.</summary>
    private static List<(string Seed, BoundaryAndDenyCase Case)> GeneratedCases(int count)
    {
        var master = PCG.Parse(MasterSeed);
        var cases = new List<(string, BoundaryAndDenyCase)>(count);
        for (var i = 0; i < count; i++)
        {
            var pcg = new PCG(master.Next(), master.Next64());
            var seed = pcg.ToString();
            cases.Add((seed, BoundaryAndDenyGenerators.Case.Generate(pcg, null!, out _)));
        }
        return cases;
    }

    /// <summary>Greedily simplifies a case while it still shows the violation kind.</summary>
    private static async Task<BoundaryAndDenyCase> Minimise(BoundaryAndDenyCase failing, string kind)
    {
        var current = failing;
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var simpler in current.Simpler())
            {
                if ((await Compare(simpler)).Violations.Exists(v => v.Kind == kind))
                {
                    current = simpler;
                    progress = true;
                    break;
                }
            }
        }
        return current;
    }

    private static string Shorten(string json) => json.Length <= 6000 ? json : json[..6000] + "…";

    private static string Policy(params string[] statements) => $"{{\"Version\":\"2012-10-17\",\"Statement\":[{string.Join(",", statements)}]}}";

    private static JsonObject Boundary(params string[] statements) =>
        new() { ["arn"] = BoundaryAndDenyCase.BoundaryArn, ["document"] = JsonNode.Parse(Policy(statements)) };
}
