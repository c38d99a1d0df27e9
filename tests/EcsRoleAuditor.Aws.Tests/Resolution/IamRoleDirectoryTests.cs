using System.Net;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using static EcsRoleAuditor.Aws.Tests.Resolution.ResolutionFixtures;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

public sealed class IamRoleDirectoryTests
{
    [Fact]
    public async Task Role_is_read_with_trust_inline_managed_boundary_path_and_tags()
    {
        var (directory, _) = PerRole(Example());

        var role = Found(await directory.FindAsync(WebArn, default));

        Assert.Equal(("web", "/service-role/", WebArn), (role.Name, role.Path, role.Arn));
        Assert.Equal("trust policy web", role.TrustPolicy!.Source.ToString());
        Assert.Equal("ecs-tasks.amazonaws.com", role.TrustPolicy.Document.Statements[0].Principals!.Entries[0].Value);
        Assert.Equal(
            ["inline policy queue", "inline policy table", "inline policy bucket", $"managed policy {AppPolicyArn} (v2)", $"managed policy {ExecutionPolicyArn} (v1)"],
            role.Policies.Select(p => p.Source.ToString()));
        Assert.Equal(role.Policies.Select(p => p.Source.ToString()), role.Policies.Select(p => p.Document.Name));
        Assert.Equal("arn:aws:s3:::app-data/*", role.Policies[3].Document.Statements[0].Resources!.Patterns[0]);
        Assert.Equal(new FindingSource(SourceKind.PermissionBoundary, "ecs-boundary", BoundaryArn, "v1"), role.Boundary!.Source);
        Assert.Equal("web", role.Tags["team"]);
        Assert.Equal("prod", role.Tags["env"]);
        Assert.Empty(role.Problems);
    }

    [Fact]
    public async Task Bare_name_and_arn_with_path_find_the_same_role_but_an_arn_with_the_wrong_path_does_not()
    {
        var (directory, counter) = PerRole(Example());

        var byName = Found(await directory.FindAsync("web", default));
        var byArn = Found(await directory.FindAsync(WebArn, default));
        var wrongPath = await directory.FindAsync("arn:aws:iam::111122223333:role/web", default);

        Assert.Same(byName, byArn);
        var notFound = Assert.IsType<RoleLookup.NotFound>(wrongPath);
        Assert.Equal("arn:aws:iam::111122223333:role/web", notFound.Reference);
        Assert.Contains(WebArn, notFound.Detail, StringComparison.Ordinal);
        Assert.Equal(1, counter[AwsActions.GetRole.Action]);
    }

    [Fact]
    public async Task Lists_spanning_several_pages_are_read_to_the_end()
    {
        var iam = Example(pageSize: 1);
        var (directory, counter) = PerRole(iam);

        var role = Found(await directory.FindAsync("web", default));

        Assert.Equal(5, role.Policies.Length);
        Assert.Equal(3, counter[AwsActions.ListRolePolicies.Action]);
        Assert.Equal(2, counter[AwsActions.ListAttachedRolePolicies.Action]);
    }

    [Fact]
    public async Task A_role_costs_3_plus_N_plus_2M_calls_cold_and_3_plus_N_plus_M_once_its_managed_policies_are_cached()
    {
        // web: N = 3 inline, M = 3 managed (two attached and the boundary); one page per list.
        var cache = new ManagedPolicyCache();
        var (cold, coldCount) = PerRole(Example(pageSize: 100), cache);
        var (warm, warmCount) = PerRole(Example(pageSize: 100), cache);

        Found(await cold.FindAsync("web", default));
        Found(await warm.FindAsync("web", default));

        Assert.Equal(3 + 3 + (2 * 3), coldCount.Total);
        Assert.Equal(3 + 3 + 3, warmCount.Total);
        Assert.Equal(0, warmCount[AwsActions.GetPolicyVersion.Action]);
        Assert.Equal(3, warmCount[AwsActions.GetPolicy.Action]);
    }

    [Fact]
    public async Task Roles_and_policy_defaults_are_read_once_per_directory()
    {
        var (directory, counter) = PerRole(Example(pageSize: 100));

        Found(await directory.FindAsync("web", default));
        Found(await directory.FindAsync("api", default));
        Found(await directory.FindAsync(ApiArn, default));

        // api shares app-data with web: its GetPolicy answer is reused; the second api lookup makes no call.
        Assert.Equal(12 + 3 + 1, counter.Total);
        Assert.Equal(3, counter[AwsActions.GetPolicy.Action]);
    }

    [Fact]
    public async Task A_new_default_version_is_seen_by_the_next_directory()
    {
        var iam = Example(pageSize: 100);
        var cache = new ManagedPolicyCache();
        var (first, _) = PerRole(iam, cache);
        Found(await first.FindAsync("api", default));

        var policy = iam.ManagedPolicies[AppPolicyArn];
        iam.Add(policy with { DefaultVersionId = "v3", Versions = [.. policy.Versions, new("v3", true, Allow("s3:PutObject"))] });
        var (second, counter) = PerRole(iam, cache);
        var role = Found(await second.FindAsync("api", default));

        Assert.Equal("v3", role.Policies[1].Source.VersionId);
        Assert.Equal("s3:PutObject", role.Policies[1].Document.Statements[0].Actions!.Patterns[0]);
        Assert.Equal(1, counter[AwsActions.GetPolicyVersion.Action]);
    }

    // The example account with every GetRole held until the test releases it.
    private static (InMemoryIamAccount Iam, TaskCompletionSource Release) HeldAtGetRole()
    {
        var iam = Example();
        var release = new TaskCompletionSource();
        iam.GetRoleGate = release.Task;
        return (iam, release);
    }

    [Fact]
    public async Task Many_concurrent_lookups_of_the_same_role_make_one_read()
    {
        var (iam, release) = HeldAtGetRole();
        var (directory, counter) = PerRole(iam);

        var lookups = Enumerable.Range(0, 24).Select(i => directory.FindAsync(i % 2 == 0 ? "web" : WebArn, default).AsTask()).ToList();
        release.SetResult();
        var roles = (await Task.WhenAll(lookups)).Select(Found).ToList();

        Assert.Equal(1, counter[AwsActions.GetRole.Action]);
        Assert.Equal(1, iam.Count(AwsActions.GetRole));
        Assert.All(roles, r => Assert.Same(roles[0], r));
    }

    [Fact]
    public async Task The_policy_lists_go_out_while_GetRole_is_still_unanswered()
    {
        // One IAM round trip less per role: the lists need only the name. GetRole is held until both lists have arrived,
        // which never happens if they wait for its answer.
        var (iam, release) = HeldAtGetRole();
        var (directory, counter) = PerRole(iam);

        var lookup = directory.FindAsync(WebArn, default).AsTask();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((iam.Count(AwsActions.ListRolePolicies) == 0 || iam.Count(AwsActions.ListAttachedRolePolicies) == 0) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(5);
        }
        var listedBeforeAnswer = (iam.Count(AwsActions.ListRolePolicies), iam.Count(AwsActions.ListAttachedRolePolicies));
        release.SetResult();
        var role = Found(await lookup);

        Assert.True(listedBeforeAnswer is ( > 0, > 0), $"listed before GetRole answered: {listedBeforeAnswer}");
        Assert.Equal(5, role.Policies.Length);
        Assert.Equal(1, counter[AwsActions.GetRole.Action]);
    }

    [Fact]
    public async Task A_name_spelled_with_other_case_is_listed_again_under_IAMs_spelling()
    {
        var iam = Example();
        var (directory, _) = PerRole(iam);

        var role = Found(await directory.FindAsync("WEB", default));

        Assert.Equal("web", role.Name);
        Assert.Equal(5, role.Policies.Length);
        Assert.Contains("iam:ListRolePolicies web", iam.Calls);
        Assert.Contains("iam:ListAttachedRolePolicies web", iam.Calls);
    }

    [Fact]
    public async Task Iam_calls_in_flight_never_exceed_the_configured_concurrency()
    {
        var iam = Example();
        for (var i = 0; i < 12; i++)
        {
            iam.Add(iam.Roles["web"] with { RoleName = $"web{i}", Arn = $"arn:aws:iam::111122223333:role/service-role/web{i}" });
        }
        var (directory, _) = PerRole(iam, concurrency: 2);

        var roles = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => directory.FindAsync($"web{i}", default).AsTask()));

        Assert.All(roles, r => Found(r));
        Assert.InRange(iam.MaxInFlight, 1, 2);
    }

    [Fact]
    public async Task A_deleted_role_is_not_found()
    {
        var iam = Example();
        var (directory, _) = PerRole(iam);

        var lookup = await directory.FindAsync("arn:aws:iam::111122223333:role/deleted", default);

        var notFound = Assert.IsType<RoleLookup.NotFound>(lookup);
        Assert.Equal("arn:aws:iam::111122223333:role/deleted", notFound.Reference);
        Assert.Contains("NoSuchEntity", notFound.Detail, StringComparison.Ordinal);
        // GetRole and the two lists that went out with it, all answered before the lookup was.
        Assert.Equal(["iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"], iam.Calls.Select(call => call.Split(' ')[0]).Order());
    }

    [Fact]
    public async Task Access_denied_on_GetRole_makes_the_role_unreadable_naming_the_permission_and_the_role()
    {
        var iam = Example().Fail(AwsActions.GetRole, "web", "AccessDenied", HttpStatusCode.Forbidden);
        var (directory, _) = PerRole(iam);

        var lookup = await directory.FindAsync(WebArn, default);

        var unreadable = Assert.IsType<RoleLookup.Unreadable>(lookup);
        Assert.Equal($"access denied: iam:GetRole on {WebArn} (grant it to the auditor's role)", unreadable.Detail);
    }

    [Theory]
    [InlineData("iam:GetPolicyVersion", "app-data", "AccessDenied", HttpStatusCode.Forbidden, "access denied: iam:GetPolicyVersion on arn:aws:iam::111122223333:policy/app-data v2 (grant it to the auditor's role)")]
    [InlineData("iam:GetPolicy", "app-data", "Throttling", HttpStatusCode.BadRequest, "throttled: iam:GetPolicy on arn:aws:iam::111122223333:policy/app-data was still throttled (Throttling)")]
    [InlineData("iam:GetPolicy", "app-data", "ServiceFailure", HttpStatusCode.InternalServerError, "AWS error: iam:GetPolicy on arn:aws:iam::111122223333:policy/app-data failed with ServiceFailure")]
    public async Task A_failure_on_one_managed_policy_leaves_the_rest_of_the_role_audited(string operation, string resource, string code, HttpStatusCode status, string expected)
    {
        var iam = Example().Fail(AwsActions.All.Single(o => o.Action == operation), resource, code, status);
        var (directory, _) = PerRole(iam);

        var role = Found(await directory.FindAsync("web", default));

        var problem = Assert.Single(role.Problems);
        Assert.Equal((ReadProblemKind.Unreadable, SourceKind.ManagedPolicy, AppPolicyArn), (problem.Kind, problem.Source.Kind, problem.Source.Arn));
        Assert.StartsWith(expected, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(4, role.Policies.Length);
        Assert.NotNull(role.Boundary);
        Assert.NotNull(role.TrustPolicy);
    }

    [Fact]
    public async Task Throttling_to_exhaustion_on_an_inline_policy_is_a_problem_on_that_policy()
    {
        var iam = Example().Fail(AwsActions.GetRolePolicy, "web/table", "Throttling", HttpStatusCode.BadRequest);
        var (directory, _) = PerRole(iam);

        var role = Found(await directory.FindAsync("web", default));

        var problem = Assert.Single(role.Problems);
        Assert.Equal(new FindingSource(SourceKind.InlinePolicy, "table"), problem.Source);
        Assert.StartsWith("throttled: iam:GetRolePolicy on arn:aws:iam::111122223333:role/service-role/web inline policy table", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(["inline policy queue", "inline policy bucket"], role.Policies.Where(p => p.Source.Kind == SourceKind.InlinePolicy).Select(p => p.Source.ToString()));
    }

    [Fact]
    public async Task Access_denied_on_listing_the_attached_policies_is_a_problem_naming_ListAttachedRolePolicies()
    {
        var iam = Example().Fail(AwsActions.ListAttachedRolePolicies, "web", "AccessDenied", HttpStatusCode.Forbidden);
        var (directory, _) = PerRole(iam);

        var role = Found(await directory.FindAsync("web", default));

        var problem = Assert.Single(role.Problems);
        Assert.Contains("iam:ListAttachedRolePolicies", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(3, role.Policies.Length);
        Assert.NotNull(role.Boundary);
    }

    [Fact]
    public async Task A_malformed_document_is_recorded_with_the_parsers_message_and_location()
    {
        var iam = Example();
        iam.Add(iam.Roles["api"] with { InlinePolicies = [new InlinePolicy("events", """{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}""")] });
        var (directory, _) = PerRole(iam);

        var role = Found(await directory.FindAsync("api", default));

        var problem = Assert.Single(role.Problems);
        Assert.Equal((ReadProblemKind.Malformed, new FindingSource(SourceKind.InlinePolicy, "events")), (problem.Kind, problem.Source));
        Assert.StartsWith($"iam:GetRolePolicy {ApiArn} inline policy events: $.Statement[0].Effect: ", problem.Detail, StringComparison.Ordinal);
        Assert.Single(role.Policies);
    }

    [Fact]
    public async Task A_malformed_managed_version_is_cached_with_its_error()
    {
        var iam = Example();
        iam.Add(iam.ManagedPolicies[AppPolicyArn] with { Versions = [new("v2", true, "{not json")] });
        var cache = new ManagedPolicyCache();

        var first = Found(await PerRole(iam, cache).Directory.FindAsync("api", default));
        var (second, counter) = PerRole(iam, cache);
        var again = Found(await second.FindAsync("api", default));

        Assert.Equal(ReadProblemKind.Malformed, Assert.Single(first.Problems).Kind);
        Assert.Equal(first.Problems.ToArray(), again.Problems.ToArray());
        Assert.Equal(0, counter[AwsActions.GetPolicyVersion.Action]);
    }

    [Fact]
    public async Task A_failed_policy_read_is_not_cached_beyond_its_directory()
    {
        var failing = Example().Fail(AwsActions.GetPolicyVersion, "app-data", "AccessDenied", HttpStatusCode.Forbidden);
        var cache = new ManagedPolicyCache();
        Assert.Single(Found(await PerRole(failing, cache).Directory.FindAsync("api", default)).Problems);

        var role = Found(await PerRole(Example(), cache).Directory.FindAsync("api", default));

        Assert.Empty(role.Problems);
    }

    [Fact]
    public async Task A_role_of_another_account_is_unreadable_without_a_call()
    {
        var (directory, counter) = PerRole(Example());

        var lookup = await directory.FindAsync("arn:aws:iam::444455556666:role/web", default);

        var unreadable = Assert.IsType<RoleLookup.Unreadable>(lookup);
        Assert.Contains("account 444455556666", unreadable.Detail, StringComparison.Ordinal);
        Assert.Equal(0, counter.Total);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:user/web")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("service-role/web")]
    public async Task A_reference_that_is_not_a_role_is_not_found_without_a_call(string reference)
    {
        var (directory, counter) = PerRole(Example());

        Assert.IsType<RoleLookup.NotFound>(await directory.FindAsync(reference, default));
        Assert.Equal(0, counter.Total);
    }

    [Fact]
    public async Task Cancellation_passes_through()
    {
        var iam = Example();
        iam.GetRoleGate = new TaskCompletionSource().Task;
        var (directory, _) = PerRole(iam);
        using var cancel = new CancellationTokenSource();

        var lookup = directory.FindAsync("web", cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup);
    }
}
