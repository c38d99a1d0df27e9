using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>One <see cref="ConditionEvaluator.Holds"/> call per operator family on a warm (compiled) clause.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ConditionEvaluatorBenchmarks
{
    private readonly RequestContext _context = RequestContext.Create(
    [
        KeyValuePair.Create("aws:SourceAccount", new ContextValue(["111122223333"], false)),
        KeyValuePair.Create("aws:SourceIp", new ContextValue(["203.0.113.77"], false)),
        KeyValuePair.Create("aws:CurrentTime", new ContextValue(["2024-06-01T12:00:00Z"], false)),
        KeyValuePair.Create("aws:PrincipalArn", new ContextValue(["arn:aws:iam::111122223333:role/app-web"], false)),
        KeyValuePair.Create("aws:username", new ContextValue(["alice"], false)),
        KeyValuePair.Create("s3:prefix", new ContextValue(["home/alice/docs"], false)),
        KeyValuePair.Create("aws:TagKeys", new ContextValue(["team", "env", "owner"], true)),
    ]);

    private readonly ConditionClause _stringEquals = Clause(ConditionOperator.StringEquals, "aws:SourceAccount", "999999999999", "111122223333");
    private readonly ConditionClause _ipAddress = Clause(ConditionOperator.IpAddress, "aws:SourceIp", "10.0.0.0/8", "203.0.113.0/24");
    private readonly ConditionClause _dateLessThan = Clause(ConditionOperator.DateLessThan, "aws:CurrentTime", "2025-01-01T00:00:00Z");
    private readonly ConditionClause _arnLike = Clause(ConditionOperator.ArnLike, "aws:PrincipalArn", "arn:aws:iam::*:role/app-*");
    private readonly ConditionClause _variable = Clause(ConditionOperator.StringLike, "s3:prefix", "home/${aws:username}/*");
    private readonly ConditionClause _forAllValues = Clause(ConditionOperator.StringEquals, "aws:TagKeys", "team", "env", "owner", "cost") with { Qualifier = SetQualifier.ForAllValues };

    [Benchmark]
    public bool StringEquals() => ConditionEvaluator.Holds(_stringEquals, _context, true);

    [Benchmark]
    public bool IpAddress() => ConditionEvaluator.Holds(_ipAddress, _context, true);

    [Benchmark]
    public bool DateLessThan() => ConditionEvaluator.Holds(_dateLessThan, _context, true);

    [Benchmark]
    public bool ArnLike() => ConditionEvaluator.Holds(_arnLike, _context, true);

    [Benchmark]
    public bool StringLikeWithPolicyVariable() => ConditionEvaluator.Holds(_variable, _context, true);

    [Benchmark]
    public bool ForAllValuesStringEquals() => ConditionEvaluator.Holds(_forAllValues, _context, true);

    private static ConditionClause Clause(ConditionOperator op, string key, params string[] values) =>
        new(op.ToString(), op, SetQualifier.None, false, key, [.. values]);
}
