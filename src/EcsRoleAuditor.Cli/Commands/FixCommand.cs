using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>fix --task-definitions FILE... [--task-definition FAMILY[:REV]]... [--verify]</c>: the least-privilege execution
/// role of each task definition (<see cref="ExecutionRoleFix"/>) as IAM JSON, offline; <c>--live</c> reads the task
/// definitions from ECS as <c>audit --live</c> does (<see cref="LiveAuditOptions"/>, <see cref="AuditPipeline.ResolveAsync"/>)
/// and exits 3 when one could not be read. <c>--verify</c> audits each task definition again with the written role
/// (<see cref="FixVerification"/>) and exits 1 when one does not hold.
/// </summary>
internal static class FixCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var taskDefinitions = new Option<FileInfo[]>("--task-definitions")
        {
            Description = "Outputs of 'aws ecs describe-task-definition --task-definition X --output json', one or more files (a file may hold a JSON array of them).",
            AllowMultipleArgumentsPerToken = true,
        };
        // One --task-definition: it picks from the files, or with --live names what to read from ECS.
        var live = new LiveAuditOptions("fix", severalAccounts: false,
            "The task definition whose role to write: family (its highest revision in the files; with --live, its latest ACTIVE revision), family:revision, or with --live an ARN; repeatable.",
            "Read the task definitions from ECS (needs AWS credentials; IAM is not read) instead of files.");
        var format = new Option<string>("--format") { Description = "json (IAM JSON).", DefaultValueFactory = _ => "json" };
        var verify = new Option<bool>("--verify")
        {
            Description = "Audit each task definition again with the written execution role; exit 1 unless every need is allowed and no finding on the role or its trust is above INFO.",
        };
        var command = new Command("fix", "Write the least-privilege execution role (identity and trust policy) of ECS task definitions, from the task definitions alone.")
        {
            taskDefinitions, format, verify,
        };
        live.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(format) is var formatText && formatText != "json")
            {
                throw new UsageException($"--format must be json, not '{formatText}'");
            }
            var files = result.GetValue(taskDefinitions) ?? [];
            IReadOnlyList<TaskDefinition> definitions;
            IReadOnlyList<UnfinishedAudit> unread = [];
            if (live.IsLive(result))
            {
                if (files.Length > 0)
                {
                    throw new UsageException("fix --live reads the task definitions from ECS: leave out --task-definitions");
                }
                var targets = live.Targets(result);
                using var connection = live.Open(result);
                var read = await AuditPipeline.ResolveAsync(connection.Sources, targets, cancellationToken).ConfigureAwait(false);
                (definitions, unread) = (read.Definitions, read.Unfinished);
                stderr.WriteLine($"ecs-role-auditor: task definitions read with {read.Calls}");
            }
            else
            {
                if (live.HasConnectionOrAll(result))
                {
                    throw new UsageException("--region, --profile, --assume-role, --request-timeout and --all go with --live");
                }
                if (files.Length == 0)
                {
                    throw new UsageException("fix needs --task-definitions FILE... or --live");
                }
                definitions = Select(
                    [.. files.SelectMany(file => AuditCommand.ReadFile(file, "the task definition file", TaskDefinitionReader.Read))],
                    live.TaskDefinitionReferences(result));
            }
            var auditor = result.GetValue(verify) ? Auditor.WithAllRules() : null;
            var fixes = new List<(TaskDefinition Definition, ExecutionRoleFix Fix, FixVerification? Verification)>();
            foreach (var definition in definitions)
            {
                var fix = ExecutionRoleFix.For(definition);
                var verification = auditor is null ? null : await FixVerification.VerifyAsync(auditor, definition, fix, cancellationToken).ConfigureAwait(false);
                fixes.Add((definition, fix, verification));
            }
            // JSON escapes control characters; the bidi and line separators a task definition may carry are escaped too.
            stdout.WriteLine(TerminalText.EscapeJson(Json(fixes)));
            var failed = fixes.Where(f => f.Verification is { Holds: false }).Select(f => f.Definition.DisplayName).ToList();
            if (failed.Count > 0)
            {
                stderr.WriteLine($"ecs-role-auditor: the execution role written for {string.Join(", ", failed)} does not verify (see \"verification\")");
            }
            foreach (var missing in unread)
            {
                stderr.WriteLine(TerminalText.Escape($"ecs-role-auditor: no role written: {missing.Reference} could not be read: {missing.Reason}"));
            }
            // As in the audit: what could not be read outranks what did not verify.
            return unread.Count > 0 ? ExitCodes.Incomplete : failed.Count > 0 ? ExitCodes.Findings : CommandLineApp.ExitSuccess;
        });
        return command;
    }

    // The task definitions --task-definition names (all when it names none): family:revision exactly, a family its highest revision in the files.
    private static List<TaskDefinition> Select(List<TaskDefinition> definitions, string[] references)
    {
        if (references.Length == 0)
        {
            return definitions;
        }
        var chosen = new List<TaskDefinition>();
        foreach (var reference in references.Select(TaskDefinitionReference.Parse))
        {
            var match = definitions
                .Where(d => d.Family == reference.Family && (reference.Revision is null || d.Revision == reference.Revision) && (reference.Arn is null || d.Arn == reference.Arn))
                .MaxBy(d => d.Revision ?? 0)
                ?? throw new UsageException($"--task-definition {reference.Text}: no such task definition in the --task-definitions files");
            if (!chosen.Contains(match))
            {
                chosen.Add(match);
            }
        }
        return chosen;
    }

    private static string Json(List<(TaskDefinition Definition, ExecutionRoleFix Fix, FixVerification? Verification)> fixes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Options(indented: true)))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("fixes");
            foreach (var (definition, fix, verification) in fixes)
            {
                writer.WriteStartObject();
                writer.WriteString("taskDefinition", definition.DisplayName);
                writer.WriteString("taskDefinitionArn", definition.Arn);
                writer.WriteStartObject("executionRole");
                writer.WriteString("arn", fix.RoleArn);
                writer.WriteBoolean("create", fix.NewRole);
                WriteDocument(writer, "policy", fix.PolicyJson);
                WriteDocument(writer, "trustPolicy", fix.TrustPolicyJson);
                writer.WriteEndObject();
                WriteStrings(writer, "notes", fix.Notes);
                if (verification is not null)
                {
                    writer.WriteStartObject("verification");
                    writer.WriteBoolean("holds", verification.Holds);
                    writer.WriteStartArray("failures");
                    foreach (var finding in verification.Failures)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("ruleId", finding.RuleId);
                        writer.WriteString("severity", finding.Severity.Name());
                        writer.WriteString("message", finding.Message);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    WriteStrings(writer, "unfinished", verification.Unfinished);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // The written document as a JSON value (indented with the rest), in the key order it was written in.
    private static void WriteDocument(Utf8JsonWriter writer, string name, string? json)
    {
        if (json is null)
        {
            writer.WriteNull(name);
            return;
        }
        using var document = JsonDocument.Parse(json);
        writer.WritePropertyName(name);
        document.RootElement.WriteTo(writer);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
