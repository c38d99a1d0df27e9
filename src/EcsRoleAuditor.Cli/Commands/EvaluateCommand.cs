using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Policy.Evaluation;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary><c>evaluate --cases FILE</c>: decides each request of a cases file with IAM's evaluation logic, one JSON line per case.</summary>
internal static class EvaluateCommand
{
    private const string SampleResource = "EcsRoleAuditor.Cli.Samples.cases.json";

    public static Command Create(TextWriter stdout)
    {
        var cases = new Option<FileInfo?>("--cases") { Description = "The cases file (JSON): {\"cases\":[{\"id\",\"identityPolicies\",\"permissionBoundaries\",\"action\",\"resource\",\"context\"}]}. '-' reads standard input." };
        var sample = new Option<bool>("--sample") { Description = "Evaluate the cases bundled with the tool (an ECS execution role and task role) instead of a file." };
        var explain = new Option<bool>("--explain") { Description = "Add the statements that matched each request." };
        var command = new Command("evaluate", "Decide requests against identity policies and permission boundaries (Allowed, ExplicitlyDenied, ImplicitlyDenied).") { cases, sample, explain };
        command.SetAction(result =>
        {
            var file = result.GetValue(cases);
            var useSample = result.GetValue(sample);
            if ((file is null) == !useSample)
            {
                throw new UsageException("evaluate needs exactly one of --cases FILE and --sample");
            }
            using var document = useSample ? InputFiles.OpenResource(SampleResource) : InputFiles.OpenJson(file!, "the cases file");
            Run(document, useSample ? "bundled sample" : file!.FullName, result.GetValue(explain), stdout);
            return CommandLineApp.ExitSuccess;
        });
        return command;
    }

    private static void Run(JsonDocument document, string source, bool explain, TextWriter stdout)
    {
        var line = new ArrayBufferWriter<byte>(1024);
        foreach (var item in EvaluationCases.Read(document, source))
        {
            line.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(line, JsonOutput.Options()))
            {
                writer.WriteStartObject();
                switch (item)
                {
                    case BrokenCase broken:
                        writer.WriteString("id", broken.Id);
                        writer.WriteString("error", broken.Error);
                        break;
                    case EvaluationCase evaluationCase:
                        WriteDecision(writer, evaluationCase, explain);
                        break;
                }
                writer.WriteEndObject();
            }
            // Ids and errors quote the cases file, and the lines are often read on a terminal.
            stdout.WriteLine(TerminalText.EscapeJson(Encoding.UTF8.GetString(line.WrittenSpan)));
        }
    }

    private static void WriteDecision(Utf8JsonWriter writer, EvaluationCase c, bool explain)
    {
        writer.WriteString("id", c.Id);
        if (!explain)
        {
            writer.WriteString("decision", PolicyEvaluator.Decide(c.IdentityPolicies, c.PermissionBoundaries, c.Action, c.Resource, c.Context).ToString());
            return;
        }
        var evaluation = PolicyEvaluator.Explain(c.IdentityPolicies, c.PermissionBoundaries, c.Action, c.Resource, c.Context);
        writer.WriteString("decision", evaluation.Decision.ToString());
        writer.WriteStartArray("matchedStatements");
        foreach (var matched in evaluation.MatchedStatements)
        {
            writer.WriteStartObject();
            writer.WriteString("policy", matched.PolicyName);
            writer.WriteBoolean("boundary", matched.IsBoundary);
            writer.WriteNumber("index", matched.Statement.Index);
            if (matched.Statement.Sid is { } sid)
            {
                writer.WriteString("sid", sid);
            }
            writer.WriteString("effect", matched.Statement.Effect.ToString());
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
