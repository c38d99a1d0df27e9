using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Resolution;
using static EcsRoleAuditor.Aws.Tests.Resolution.ResolutionFixtures;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

public sealed class RoleReadPlanTests
{
    [Fact]
    public void One_task_definition_reads_its_roles_one_by_one()
    {
        // Task and execution role, one inline policy each, three distinct managed policies: 2 x 3 + 2 + 2 x 3 = 14 calls,
        // against ceil((2 + 1400) / 100) = 15 pages.
        var plan = new RoleReadPlan(2, InlinePolicies: 2, DistinctManagedPolicies: 3);

        Assert.Equal(14, plan.PerRoleCalls);
        Assert.Equal(15, plan.BulkCalls);
        Assert.Equal(RoleReadStrategy.PerRole, plan.Strategy);
    }

    [Fact]
    public void A_sweep_of_many_roles_reads_in_bulk()
    {
        var plan = new RoleReadPlan(200, AccountRoles: 350, CustomerManagedPolicies: 40);

        Assert.Equal((3 * 200) + 200 + (2 * 400), plan.PerRoleCalls);
        Assert.Equal(18, plan.BulkCalls); // ceil((350 + 40 + 1400) / 100)
        Assert.Equal(RoleReadStrategy.Bulk, plan.Strategy);
    }

    [Fact]
    public void Bulk_must_save_half_the_calls_and_cached_policies_make_the_per_role_path_cheaper()
    {
        var cold = new RoleReadPlan(8, InlinePolicies: 0, DistinctManagedPolicies: 8, AwsManagedPolicies: 1100);
        var warm = cold with { CachedManagedPolicies = 8 };
        var nearly = new RoleReadPlan(3, InlinePolicies: 0, DistinctManagedPolicies: 3, AwsManagedPolicies: 1100);

        Assert.Equal((40, 12), (cold.PerRoleCalls, cold.BulkCalls));
        Assert.Equal(RoleReadStrategy.Bulk, cold.Strategy);
        Assert.Equal(32, warm.PerRoleCalls);
        Assert.Equal(RoleReadStrategy.Bulk, warm.Strategy);
        Assert.Equal((15, 12), (nearly.PerRoleCalls, nearly.BulkCalls)); // fewer calls in bulk, but not half
        Assert.Equal(RoleReadStrategy.PerRole, nearly.Strategy);
        Assert.Equal(RoleReadStrategy.PerRole, (nearly with { CachedManagedPolicies = 3 }).Strategy);
    }

    [Fact]
    public void Exactly_half_goes_bulk() =>
        Assert.Equal(RoleReadStrategy.Bulk, new RoleReadPlan(8, InlinePolicies: 0, DistinctManagedPolicies: 0, AwsManagedPolicies: 1100, PageSize: 93).Strategy); // 24 calls per role, ceil(1108 / 93) = 12 pages

    [Fact]
    public void The_plan_for_task_definitions_counts_distinct_roles_by_name()
    {
        TaskDefinition Definition(string? task, string? execution) => new(null, "f", 1, task, execution, [], [], System.Collections.Immutable.ImmutableDictionary<string, string>.Empty);

        var plan = RoleReadPlan.For([Definition(WebArn, "web"), Definition("api", null), Definition(null, ApiArn), Definition("WEB", "other")]);

        Assert.Equal(3, plan.Roles);
    }

    [Fact]
    public void The_plan_creates_the_directory_it_chose()
    {
        var iam = Example();

        Assert.IsType<IamRoleDirectory>(new RoleReadPlan(1).CreateDirectory(iam));
        Assert.IsType<AuthorizationDetailsDirectory>(new RoleReadPlan(500).CreateDirectory(iam));
    }
}
