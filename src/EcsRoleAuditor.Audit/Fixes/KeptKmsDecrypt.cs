using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Policy.Effective;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Fixes;

/// <summary>
/// The kms:Decrypt the current execution role allows, kept in the written policy for the secrets and parameters whose
/// key the input does not give. The written policy replaces every policy of the role, so a grant that lets the tasks
/// start today would otherwise go with them (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": a secret
/// or SecureString parameter under a customer managed key needs kms:Decrypt on it). Only what the effective-permissions
/// view says the role can do is kept, and never wider: a scope on every resource is kept to the Secrets Manager and
/// Systems Manager endpoints of those reads (<c>kms:ViaService</c>; a current condition on that key alone is kept when it
/// holds for each of them), and a scope whose conditions, exclusions or Denies the written statement could not carry is
/// named in a note instead.
/// </summary>
/// <param name="Statement">The statement to write (Sid <see cref="Sid"/>); null when nothing is kept.</param>
/// <param name="Sources">The statements of the current role it comes from (<c>POLICY/SID</c>).</param>
/// <param name="Notes">The scopes not kept, one sentence each, and the partition note when no condition can be written.</param>
internal sealed record KeptKmsDecrypt(
    (string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, AllowCondition? Condition)? Statement,
    ImmutableArray<string> Sources,
    ImmutableArray<string> Notes)
{
    /// <summary>The kept statement's Sid: <c>Kept</c> says it comes from the current role, not from the task definition.</summary>
    public const string Sid = "KeptKmsDecrypt";

    private const string Action = "kms:Decrypt";

    private static readonly KeptKmsDecrypt Nothing = new(null, [], []);

    /// <summary>
    /// What of <paramref name="current"/>'s kms:Decrypt to keep for <paramref name="unresolved"/> (reads whose key the
    /// input does not give), less what <paramref name="written"/> (the statements on the keys the input gives) grants already.
    /// </summary>
    public static KeptKmsDecrypt For(AuditedRole current, IReadOnlyList<Need> unresolved,
        IReadOnlyList<(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, AllowCondition? Condition)> written)
    {
        if (unresolved.Count == 0 || current.Permissions.Describe(Action) is not { IsAllowed: true } access)
        {
            return Nothing;
        }
        var notes = ImmutableArray.CreateBuilder<string>();
        var endpoints = Endpoints(unresolved);
        var resources = new List<string>();
        var sources = new List<string>();
        foreach (var scope in access.Scopes)
        {
            var source = BreadthAnalysis.Cite(current, scope.Allow);
            if (NotKeptBecause(current, scope, endpoints) is { } reason)
            {
                notes.Add($"{current.Role.Name}'s kms:Decrypt through {source} is not kept in the written policy: {reason}, which it could not say "
                    + "without granting more; if the task's secrets need it, carry that statement over by hand.");
                continue;
            }
            resources.AddRange(scope.IsEveryResource ? ["*"] : scope.Patterns);
            sources.Add(source);
        }
        // "*" holds every other pattern; a key the input names for another read is granted by its own statement already.
        List<string> kept = resources.Contains("*") ? ["*"] : [.. resources.Distinct(StringComparer.Ordinal)];
        kept.RemoveAll(r => written.Any(s => s.Resources.Contains(r, StringComparer.Ordinal) && Covers(s.Condition, endpoints)));
        if (kept.Count == 0)
        {
            return new KeptKmsDecrypt(null, [], notes.ToImmutable());
        }
        if (endpoints is null)
        {
            notes.Add($"{Sid} is written without a kms:ViaService condition: {FindingFactory.Summarise([.. unresolved.Select(n => n.Reason).Distinct(StringComparer.Ordinal)], 3)} "
                + "are outside the aws and aws-us-gov partitions or have no known region, so no Secrets Manager or Systems Manager endpoint can be named.");
        }
        return new KeptKmsDecrypt(
            (Sid, [Action], kept, endpoints is null ? null : new AllowCondition("StringEquals", ViaServiceKey, [.. endpoints])),
            [.. sources.Distinct(StringComparer.Ordinal)],
            notes.ToImmutable());
    }

    // Why a scope cannot be written as a plain Allow without reaching more than it does today; null when it can.
    private static string? NotKeptBecause(AuditedRole current, ResourceScope scope, SortedSet<string>? endpoints) => scope switch
    {
        { IsConditional: true } when !HoldsThroughEach(scope.Conditions, endpoints) => $"it holds only under conditions the audit cannot settle ({string.Join(", ", scope.Conditions.Select(c => $"{c.OperatorText} {c.Key}").Distinct(StringComparer.Ordinal))})",
        { DeniedUnless.IsEmpty: false } => $"a Deny may apply to it ({string.Join(", ", scope.DeniedUnless.Select(d => BreadthAnalysis.Cite(current, d)).Distinct(StringComparer.Ordinal))})",
        { Excluded.IsEmpty: false } => $"it excludes {string.Join(", ", scope.Excluded.Select(e => $"{e.Text} ({BreadthAnalysis.Cite(current, e.By)})").Distinct(StringComparer.Ordinal))}",
        { Patterns.Length: > 1 } => $"a resource must match each of {string.Join(", ", scope.Patterns)}, which one Resource element cannot say",
        _ when scope.Patterns.Any(p => p.Contains("${", StringComparison.Ordinal)) => $"its resource {string.Join(", ", scope.Patterns)} names a policy variable",
        _ => null,
    };

    // True when the conditions are on kms:ViaService alone and hold for a request through each endpoint: the written
    // condition, which names only those endpoints, is then the narrower (a current ViaService grant is kept).
    private static bool HoldsThroughEach(ImmutableArray<ConditionClause> conditions, SortedSet<string>? endpoints) =>
        endpoints is not null && conditions.All(c => string.Equals(c.Key, ViaServiceKey, StringComparison.OrdinalIgnoreCase)
            && !c.Values.Any(v => v.Contains("${", StringComparison.Ordinal))
            && endpoints.All(e => ConditionEvaluator.Decide(c, KnownContext.None.With(ViaServiceKey, e), policyVariablesEnabled: false) == Truth.True));

    private const string ViaServiceKey = "kms:ViaService";

    // The kms:ViaService values of the reads: each one's service endpoint in its region; null when one of them has no
    // endpoint to name (ExecutionRoleFix.ViaService: other partitions), or its region is unknown, so no condition can
    // hold for every read.
    private static SortedSet<string>? Endpoints(IReadOnlyList<Need> reads)
    {
        var endpoints = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var read in reads)
        {
            if (!Arn.TryParse(read.Resource, out var resource) || resource.Region is "" or "*"
                || ExecutionRoleFix.ViaService(read.Action[..read.Action.IndexOf(':', StringComparison.Ordinal)], resource) is not { } endpoint)
            {
                return null;
            }
            endpoints.Add(endpoint);
        }
        return endpoints;
    }

    // True when a statement with this condition grants its key through every endpoint the kept one would.
    private static bool Covers(AllowCondition? condition, SortedSet<string>? endpoints) =>
        condition is null || (endpoints is not null && endpoints.IsSubsetOf(condition.Values));
}
