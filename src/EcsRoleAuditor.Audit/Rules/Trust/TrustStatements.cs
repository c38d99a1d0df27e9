using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// Reading trust policies: which statements let which principals assume a role. A trust policy is small, so its
/// statements are read directly rather than expanded over the action catalog.
/// </summary>
internal static class TrustStatements
{
    /// <summary>The service principal ECS uses to assume task and execution roles.</summary>
    public static readonly PrincipalEntry EcsTasks = new(PrincipalType.Service, "ecs-tasks.amazonaws.com");

    /// <summary>The action ECS calls.</summary>
    public const string AssumeRole = "sts:AssumeRole";

    /// <summary>The STS actions that return the role's credentials (sts:TagSession and sts:SetSourceIdentity only accompany one of them).</summary>
    public static readonly ImmutableArray<string> AssumeActions = [AssumeRole, "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"];

    /// <summary>True when the statement's Action (or NotAction) covers the action; action names compare case-insensitively.</summary>
    public static bool Covers(Statement statement, string action)
    {
        if (statement.Actions is not { } actions)
        {
            return false;
        }
        var named = actions.Patterns.Any(p => Wildcard.IsMatch(p, action, ignoreCase: true));
        return named != actions.IsNegated;
    }

    /// <summary>The assume actions the statement covers.</summary>
    public static ImmutableArray<string> AssumeActionsOf(Statement statement) => [.. AssumeActions.Where(a => Covers(statement, a))];

    /// <summary>
    /// True when the statement's Principal includes the principal: it names it, or names everyone (<c>"*"</c>, <c>{"AWS": "*"}</c>,
    /// which includes service principals); a NotPrincipal includes everyone it does not name.
    /// </summary>
    public static bool Includes(Statement statement, PrincipalEntry principal)
    {
        if (statement.Principals is not { } principals)
        {
            return false;
        }
        var named = principals.Entries.Any(e => Same(e, principal));
        return principals.IsNegated ? !named && !principals.IncludesAnyone : named || principals.IncludesAnyone;
    }

    /// <summary>True when the statement names the principal itself (not through <c>"*"</c> or NotPrincipal).</summary>
    public static bool NamesExplicitly(Statement statement, PrincipalEntry principal) =>
        statement.Principals is { IsNegated: false } principals && principals.Entries.Any(e => Same(e, principal));

    /// <summary>An Allow statement that lets ECS call sts:AssumeRole (conditions aside).</summary>
    public static bool AllowsEcsTasks(Statement statement) =>
        statement.Effect == Effect.Allow && Covers(statement, AssumeRole) && Includes(statement, EcsTasks);

    /// <summary>
    /// The unconditional Deny statements of the trust policy that block the principal from the action. Conditional denies
    /// are not counted: whether their condition holds depends on the request (for ECS's own request,
    /// <see cref="EcsAssumeRoleRequest.Blocking"/> decides them).
    /// </summary>
    public static IEnumerable<Statement> Blocking(PolicyDocument trust, PrincipalEntry principal, string action) =>
        trust.Statements.Where(s => s.Effect == Effect.Deny && s.Conditions.IsEmpty && Covers(s, action) && Includes(s, principal));

    /// <summary>The statement's conditions as one line, e.g. <c>StringEquals aws:SourceAccount=111122223333</c>.</summary>
    public static string? ConditionText(Statement statement) =>
        statement.Conditions.IsEmpty ? null : FindingFactory.ClauseText(statement.Conditions);

    /// <summary>The principal as a person reads it: <c>"*" (anyone)</c>, <c>AWS arn:aws:iam::444455556666:root</c>, <c>Service lambda.amazonaws.com</c>.</summary>
    public static string Describe(PrincipalEntry principal) => principal.Type switch
    {
        PrincipalType.Anyone => "\"*\" (anyone)",
        PrincipalType.Aws when principal.Value == "*" => "AWS \"*\" (anyone)",
        PrincipalType.Aws => $"AWS {principal.Value}",
        PrincipalType.Service => $"Service {principal.Value}",
        PrincipalType.Federated => $"Federated {principal.Value}",
        _ => $"CanonicalUser {principal.Value}",
    };

    /// <summary>True for <c>"*"</c> and <c>{"AWS": "*"}</c>.</summary>
    public static bool IsAnyone(PrincipalEntry principal) => principal.Type == PrincipalType.Anyone || (principal.Type == PrincipalType.Aws && principal.Value == "*");

    /// <summary>
    /// The confused-deputy condition AWS documents for the ecs-tasks.amazonaws.com trust, as compact JSON
    /// (<c>{"ArnLike":{"aws:SourceArn":"arn:PARTITION:ecs:REGION:ACCOUNT:*"},"StringEquals":{"aws:SourceAccount":"ACCOUNT"}}</c>):
    /// ECS sends an ECS ARN of the task's partition, region and account, and naming a cluster is not supported, so the
    /// resource part stays <c>*</c> (Amazon ECS Developer Guide, "Task IAM role").
    /// </summary>
    /// <param name="partition">The partition: <c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>.</param>
    /// <param name="region">The task's region, or <c>*</c> when it is unknown or the role serves several regions.</param>
    /// <param name="account">The task's account.</param>
    public static string RecommendedCondition(string partition, string region, string account) =>
        $"{{\"ArnLike\":{{\"aws:SourceArn\":\"arn:{partition}:ecs:{region}:{account}:*\"}},\"StringEquals\":{{\"aws:SourceAccount\":\"{account}\"}}}}";

    /// <summary>The trust policy AWS recommends for ECS task and execution roles, with <see cref="RecommendedCondition"/>, as compact JSON.</summary>
    public static string RecommendedTrust(string partition, string region, string account) =>
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\","
        + $"\"Condition\":{RecommendedCondition(partition, region, account)}}}]}}";

    private static bool Same(PrincipalEntry a, PrincipalEntry b) =>
        (IsAnyone(a) && IsAnyone(b)) || (a.Type == b.Type && string.Equals(a.Value, b.Value, StringComparison.OrdinalIgnoreCase));
}
