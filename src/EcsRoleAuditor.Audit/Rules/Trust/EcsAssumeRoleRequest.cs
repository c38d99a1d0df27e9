using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>
/// What the audit knows of the sts:AssumeRole call ECS makes for a task of the audited task definition: ECS sets
/// aws:SourceAccount to the task's account and aws:SourceArn to an ECS ARN of the task's partition, region and account
/// (Amazon ECS Developer Guide, "Task IAM role"). The partition, region and account come from the task definition's ARN;
/// without one, the partition and account are the role's (a task role lives in the task's account) and the region is unknown.
/// AWS does not document the resource part of the source ARN, so it is known only by its shape; trust conditions are
/// decided against it by the one condition evaluator (<see cref="ConditionEvaluator.Decide"/>).
/// </summary>
internal sealed class EcsAssumeRoleRequest
{
    /// <summary>The key ECS sets to the task's account.</summary>
    public const string SourceAccountKey = "aws:SourceAccount";

    /// <summary>The key ECS sets to an ECS ARN of the task's partition, region and account.</summary>
    public const string SourceArnKey = "aws:SourceArn";

    private EcsAssumeRoleRequest(string? partition, string? region, string? account, string accountOrigin)
    {
        Partition = partition;
        Region = region;
        Account = account;
        AccountOrigin = accountOrigin;
        var known = KnownContext.None.WithShape(SourceArnKey, SourceArnShape(region));
        Known = account is null ? known : known.With(SourceAccountKey, account);
    }

    /// <summary>The task's partition, when known.</summary>
    public string? Partition { get; }

    /// <summary>The task's region, when known (the task definition has an ARN).</summary>
    public string? Region { get; }

    /// <summary>The task's account, when known.</summary>
    public string? Account { get; }

    /// <summary>Where <see cref="Account"/> comes from, in words: <c>the task definition's account</c> or <c>the role's account</c>.</summary>
    public string AccountOrigin { get; }

    /// <summary>The request for tasks of <paramref name="definition"/> that use <paramref name="role"/>.</summary>
    public static EcsAssumeRoleRequest For(TaskDefinition definition, Role role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return For(definition, role.Arn);
    }

    /// <summary>The request for tasks of <paramref name="definition"/> that use the role with this ARN (null: a role still to be created).</summary>
    public static EcsAssumeRoleRequest For(TaskDefinition definition, string? role)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var roleArn = Arn.TryParse(role, out var parsed) ? parsed : (Arn?)null;
        if (definition.ArnScope is var (partition, region, account) && account.Length > 0)
        {
            return new(NonEmpty(partition), NonEmpty(region), AccountOrUnknown(account), "the task definition's account");
        }
        return new(NonEmpty(roleArn?.Partition), null, AccountOrUnknown(NonEmpty(roleArn?.Account)), "the role's account; the task definition has no ARN");
    }

    // Infrastructure code audited without its account writes a stand-in: the real account is unknown, not that one.
    private static string? AccountOrUnknown(string? account) => account == UnresolvedValue.StandInAccount ? null : account;

    /// <summary>The condition AWS documents for this request (<see cref="TrustStatements.RecommendedCondition"/>), placeholders where unknown.</summary>
    public string RecommendedCondition => TrustStatements.RecommendedCondition(Partition ?? "aws", Region ?? "*", Account ?? "ACCOUNT");

    /// <summary>The recommended trust policy for this request (<see cref="TrustStatements.RecommendedTrust(string, string, string)"/>).</summary>
    public string RecommendedTrust => TrustStatements.RecommendedTrust(Partition ?? "aws", Region ?? "*", Account ?? "ACCOUNT");

    /// <summary>What the request is known to carry: aws:SourceAccount, when the account is known, and the shape of aws:SourceArn.</summary>
    public KnownContext Known { get; }

    /// <summary>The request in words, for messages: <c>aws:SourceAccount 111122223333 (the task definition's account) and an aws:SourceArn like arn:aws:ecs:eu-west-1:111122223333:*</c>.</summary>
    public string Description =>
        (Account is null ? "aws:SourceAccount set to the task's account" : $"aws:SourceAccount {Account} ({AccountOrigin})")
        + $" and an aws:SourceArn like {SourceArnShape(Region)}";

    /// <summary>How a trust statement's conditions fare against the request.</summary>
    public StatementFit Fit(Statement statement, bool policyVariablesEnabled)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var truth = Truth.True;
        var failing = ImmutableArray.CreateBuilder<ConditionClause>();
        var undecided = new List<ConditionClause>();
        foreach (var clause in statement.Conditions)
        {
            var one = ConditionEvaluator.Decide(clause, Known, policyVariablesEnabled);
            truth = truth.And(one);
            if (one == Truth.False)
            {
                failing.Add(clause);
            }
            else if (one == Truth.Unknown)
            {
                undecided.Add(clause);
            }
        }
        if (truth != Truth.Unknown)
        {
            return new(statement, truth == Truth.True ? ConditionFit.Holds : ConditionFit.Never, failing.ToImmutable());
        }
        ImmutableArray<ConditionClause> narrowing = [.. undecided.Where(c => NarrowsSourceArn(c, policyVariablesEnabled))];
        return narrowing.IsEmpty ? new(statement, ConditionFit.Unknown, []) : new(statement, ConditionFit.NarrowsSourceArn, narrowing);
    }

    /// <summary>
    /// The Deny statements of the trust that block the request: they cover sts:AssumeRole for ecs-tasks and have no
    /// condition or conditions that certainly hold for it (a StringNotEquals aws:SourceAccount naming another account).
    /// </summary>
    public IEnumerable<Statement> Blocking(PolicyDocument trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        return trust.Statements.Where(s => s.Effect == Effect.Deny
            && TrustStatements.Covers(s, TrustStatements.AssumeRole)
            && TrustStatements.Includes(s, TrustStatements.EcsTasks)
            && Fit(s, trust.PolicyVariablesEnabled).Fit == ConditionFit.Holds);
    }

    /// <summary>
    /// The fits of the trust's ecs-tasks Allow statements when none of them can admit the request (each never holds or
    /// names only part of the account's ECS ARNs); null when one holds or may hold, when there is none (ERA010's case),
    /// or when a Deny blocks the request anyway (<see cref="Blocking"/>, ERA010's case too).
    /// </summary>
    public ImmutableArray<StatementFit>? Unmatchable(PolicyDocument trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        if (Blocking(trust).Any())
        {
            return null;
        }
        ImmutableArray<StatementFit> fits = [.. trust.Statements.Where(TrustStatements.AllowsEcsTasks).Select(s => Fit(s, trust.PolicyVariablesEnabled))];
        return fits.Length > 0 && fits.All(f => f.Fit is ConditionFit.Never or ConditionFit.NarrowsSourceArn) ? fits : null;
    }

    // An undecided positive test of aws:SourceArn narrows it below the account's ECS ARNs when, in the task's region, it
    // holds for some of them but not all. With the region unknown, each region the test names is tried: a test that
    // holds for every ECS ARN of a region it names only depends on the region, which the audit cannot tell.
    private bool NarrowsSourceArn(ConditionClause clause, bool policyVariablesEnabled)
    {
        if (!clause.Key.Equals(SourceArnKey, StringComparison.OrdinalIgnoreCase) || clause.IsNegated || clause.Qualifier != SetQualifier.None
            || clause.Values.IsDefaultOrEmpty || (policyVariablesEnabled && clause.Values.Any(PolicyVariables.ContainsVariable)))
        {
            return false;
        }
        IEnumerable<string> regions = Region is { } region ? [region]
            : clause.Values.Select(v => Arn.TryParse(v, out var arn) ? arn.Region : "").Where(r => r.Length > 0).Distinct(StringComparer.Ordinal);
        var probes = regions.Select(r => ConditionEvaluator.Decide(clause, Known.WithShape(SourceArnKey, SourceArnShape(r)), policyVariablesEnabled)).ToList();
        return probes.Contains(Truth.Unknown) && !probes.Contains(Truth.True);
    }

    private string SourceArnShape(string? region) => Arn.Create(Partition ?? "*", "ecs", region ?? "*", Account ?? "*", "*").ToString();

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

/// <summary>How a trust statement's conditions fare against ECS's sts:AssumeRole request.</summary>
internal enum ConditionFit
{
    /// <summary>They hold (or there are none).</summary>
    Holds,
    /// <summary>They can never hold: ECS's request always fails them.</summary>
    Never,
    /// <summary>They hold only if ECS's source ARN falls in part of the account's ECS ARNs (a cluster, say), which AWS does not document.</summary>
    NarrowsSourceArn,
    /// <summary>They depend on what the audit does not know.</summary>
    Unknown,
}

/// <summary>A trust statement's fit, with the clauses that decide it: those that never hold, or those that narrow aws:SourceArn.</summary>
/// <param name="Statement">The statement.</param>
/// <param name="Fit">How its conditions fare.</param>
/// <param name="Clauses">For <see cref="ConditionFit.Never"/> the clauses that never hold; for <see cref="ConditionFit.NarrowsSourceArn"/> those that narrow; otherwise empty.</param>
internal sealed record StatementFit(Statement Statement, ConditionFit Fit, ImmutableArray<ConditionClause> Clauses);
