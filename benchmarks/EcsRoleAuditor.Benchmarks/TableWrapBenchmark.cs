using BenchmarkDotNet.Attributes;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Benchmarks;

/// <summary>
/// The table report of one finding whose message is a single word of <see cref="Length"/> characters (a hostile policy
/// name, say): the word wrap breaks it into lines of the width. Linear work doubles with the length; the wrap that
/// copied the rest of the word for every line grew fourfold.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TableWrapBenchmark
{
    private AuditReport _report = null!;

    [Params(400_000, 800_000, 1_600_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var finding = new Finding
        {
            Rule = SameRoleForTaskAndExecutionRule.Rule,
            Severity = Severity.Critical,
            RoleArn = "arn:aws:iam::123456789012:role/web-task",
            RoleSlot = RoleSlot.Task,
            Source = new FindingSource(SourceKind.InlinePolicy, "inline"),
            Message = new string('x', Length),
            Remediation = "Scope the task role.",
        };
        _report = new AuditReport([new TaskDefinitionReport(null, "web", 1, finding.RoleArn, null, [finding])]);
    }

    [Benchmark]
    public void Table() => TableReportWriter.Write(_report, TextWriter.Null, new ReportOptions { Width = 100 });
}
