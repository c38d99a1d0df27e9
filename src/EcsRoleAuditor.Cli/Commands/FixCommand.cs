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
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary>
/// <c>fix --task-definitions FILE... [--task-definition FAMILY[:REV]]... [--verify]</c>: the least-privilege execution
/// role of each task definition (<see cref="ExecutionRoleFix"/>) as IAM JSON, offline; <c>--live</c> reads the task
/// definitions from ECS as <c>audit --live</c> does (<see cref="LiveAuditOptions"/>, <see cref="AuditPipeline.ResolveAsync"/>)
/// and exits 3 when one could not be read, and asks Secrets Manager and SSM which KMS keys encrypt the secrets and
/// parameters the execution roles read (<see cref="EncryptionKeyLookup"/>; exit 3 when a key could not be learned).
/// <c>--verify</c> audits each task definition again with the written role (<see cref="FixVerification"/>) and exits 1
/// when one does not hold.
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
        var iam = new Option<FileInfo>("--iam")
        {
            Description = "Output of 'aws iam get-account-authorization-details --output json' (as audit --iam reads it): the current roles, so that the task role is fixed too.",
        };
        // One --task-definition: it picks from the files, or with --live names what to read from ECS.
        var live = new LiveAuditOptions("fix", severalAccounts: false,
            "The task definition whose roles to write: family (its highest revision in the files; with --live, its latest ACTIVE revision), family:revision, or with --live an ARN; repeatable.",
            "Read the task definitions from ECS and their current roles from IAM (needs AWS credentials) instead of files.");
        var format = new Option<string>("--format")
        {
            Description = "json (IAM JSON, the default), diff (a unified diff of each policy document written against the current one; the current ones need --iam or --live) cloudformation (YAML resources) or terraform (HCL).",
            DefaultValueFactory = _ => "json",
        };
        var verify = new Option<bool>("--verify")
        {
            Description = "Audit each task definition again with the written roles; exit 1 unless every need is allowed, no finding on the execution role or its trust is above INFO and no ERA030/ERA031 is left on the task role.",
        };
        var command = new Command("fix", "Write the least-privilege execution role of ECS task definitions from the task definitions, and, given the current roles, the task role without what belongs to the execution role or to ECS.")
        {
            taskDefinitions, iam, format, verify,
        };
        live.AddTo(command);
        var code = new InfrastructureCodeOptions();
        code.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var formatText = result.GetValue(format);
            if (formatText is not ("json" or "diff" or "cloudformation" or "terraform"))
            {
                throw new UsageException($"--format must be json, diff, cloudformation or terraform, not '{formatText}'");
            }
            var files = result.GetValue(taskDefinitions) ?? [];
            var iamFile = result.GetValue(iam);
            var auditor = Auditor.WithAllRules();
            List<Fixed> fixes;
            IReadOnlyList<UnfinishedAudit> unread = [];
            IReadOnlyList<UnknownEncryptionKey> unknownKeys = [];
            List<TaskDefinition> unsettled = [];
            Dictionary<string, string>? generatedRoleNames = null;
            if (code.IsGiven(result) && (live.IsLive(result) || live.HasConnectionOptionsBesidesRegion(result)))
            {
                throw new UsageException("infrastructure code (--cloudformation, --terraform-plan) is read offline: of the live options only --region (where it deploys) goes with it");
            }
            if (!code.IsGiven(result) && code.HasSettings(result))
            {
                throw new UsageException("--parameter, --account and --stack-name go with --cloudformation or --terraform-plan");
            }
            if (live.IsLive(result))
            {
                if (files.Length > 0 || iamFile is not null)
                {
                    throw new UsageException("fix --live reads the task definitions from ECS and the roles from IAM: leave out --task-definitions and --iam");
                }
                var targets = live.Targets(result);
                using var connection = live.Open(result);
                var read = await AuditPipeline.ResolveAsync(connection.Sources, targets, cancellationToken).ConfigureAwait(false);
                unread = read.Unfinished;
                stderr.WriteLine($"ecs-role-auditor: task definitions read with {read.Calls}");
                // The keys of the secrets and parameters the execution roles read: kms:Decrypt on a customer managed one.
                var keyCalls = new ApiCallCounter();
                EncryptionKeys keys;
                using (ApiCallCounting.Begin(keyCalls))
                {
                    keys = await EncryptionKeyLookup.ReadAsync(connection.Connection, read.Definitions, cancellationToken).ConfigureAwait(false);
                }
                unknownKeys = keys.Unknown;
                stderr.WriteLine($"ecs-role-auditor: KMS keys of secrets and parameters read with {keyCalls}");
                var calls = new ApiCallCounter();
                using (ApiCallCounting.Begin(calls))
                {
                    fixes = await FixAllAsync(auditor, read.Definitions, connection.Sources, result.GetValue(verify), keys.Keys, cancellationToken).ConfigureAwait(false);
                }
                stderr.WriteLine($"ecs-role-auditor: roles read with {calls}");
            }
            else
            {
                if (live.HasConnectionOrAll(result) && !(code.IsGiven(result) && !live.HasConnectionOptionsBesidesRegion(result)))
                {
                    throw new UsageException("--region, --profile, --assume-role, --request-timeout and --all go with --live (--region with --cloudformation too)");
                }
                if (files.Length == 0 && !code.IsGiven(result))
                {
                    throw new UsageException("fix needs --task-definitions FILE..., --cloudformation FILE..., --terraform-plan FILE... or --live");
                }
                // The same readers and role directory as audit --iam and --cloudformation: the offline fix reads roles as the offline audit does.
                var export = iamFile is null ? null : AuditCommand.ReadFile(iamFile, "the IAM file", (root, source) => RecordedIam.Read(root, source, EmbeddedAwsManagedPolicies.Instance));
                List<TaskDefinition> read = [.. files.SelectMany(file => AuditCommand.ReadFile(file, "the task definition file", TaskDefinitionReader.Read))];
                var sources = export is null ? null : AuditSources.Recorded(new RecordedEcs(), export);
                IReadOnlyDictionary<string, string>? encryptionKeys = null;
                if (code.IsGiven(result))
                {
                    var notes = new List<string>();
                    var declared = code.Read(result, live.RegionValues(result), export, notes);
                    encryptionKeys = declared.EncryptionKeys;
                    generatedRoleNames = declared.GeneratedRoleNames.ToDictionary(r => r.Key, r => r.Value.Address, StringComparer.OrdinalIgnoreCase);
                    read.InsertRange(0, declared.TaskDefinitions);
                    sources = AuditSources.Recorded(new RecordedEcs(), declared.Iam);
                    foreach (var note in notes)
                    {
                        stderr.WriteLine(TerminalText.Escape($"ecs-role-auditor: {note}"));
                    }
                }
                var definitions = Select(read, live.TaskDefinitionReferences(result));
                // Containers the code leaves to deployment say nothing of what the execution role needs: no role is written from them.
                unsettled = [.. definitions.Where(d => !d.NeedsKnown(RoleSlot.Execution))];
                definitions = [.. definitions.Except(unsettled)];
                fixes = await FixAllAsync(auditor, definitions, sources, result.GetValue(verify), encryptionKeys, cancellationToken).ConfigureAwait(false);
            }
            if (formatText == "diff")
            {
                stdout.Write(Diff(fixes));
            }
            else if (formatText == "cloudformation")
            {
                stdout.Write(CloudFormationSnippet.Write(fixes.Select(f => (f.Definition.DisplayName, f.Definition.Family, f.Roles)), generatedRoleNames));
            }
            else if (formatText == "terraform")
            {
                stdout.Write(TerraformSnippet.Write(fixes.Select(f => (f.Definition.DisplayName, f.Definition.Family, f.Roles)), generatedRoleNames));
            }
            else
            {
                // JSON escapes control characters; the bidi and line separators a task definition may carry are escaped too.
                stdout.WriteLine(TerminalText.EscapeJson(Json(fixes)));
            }
            var failed = fixes.Where(f => f.Verification is { Holds: false }).Select(f => f.Definition.DisplayName).ToList();
            if (failed.Count > 0)
            {
                stderr.WriteLine($"ecs-role-auditor: the roles written for {string.Join(", ", failed)} do not verify (see \"verification\")");
            }
            foreach (var missing in unread)
            {
                stderr.WriteLine(TerminalText.Escape($"ecs-role-auditor: no role written: {missing.Reference} could not be read: {missing.Reason}"));
            }
            foreach (var definition in unsettled)
            {
                var fields = definition.UnauditedFields.Where(f => f.Slot == RoleSlot.Execution).Select(f => $"its {f.Field} is {f.Reason}");
                stderr.WriteLine(TerminalText.Escape($"ecs-role-auditor: no role written: {definition.DisplayName}: {string.Join("; ", fields)}"));
            }
            var incomplete = fixes.Where(f => !f.Roles.Unread.IsEmpty).ToList();
            foreach (var (definition, roles, _) in incomplete)
            {
                stderr.WriteLine(TerminalText.Escape($"ecs-role-auditor: {definition.DisplayName}: {string.Join("; ", roles.Unread)}: its task role is not fixed"));
            }
            foreach (var (resource, reason) in unknownKeys)
            {
                stderr.WriteLine(TerminalText.Escape($"ecs-role-auditor: the KMS key of {resource} could not be learned ({reason}): no kms:Decrypt is written for that key (its fix's notes say what is)"));
            }
            // As in the audit: what could not be read outranks what did not verify.
            return unread.Count > 0 || incomplete.Count > 0 || unsettled.Count > 0 || unknownKeys.Count > 0
                ? ExitCodes.Incomplete
                : failed.Count > 0 ? ExitCodes.Findings : CommandLineApp.ExitSuccess;
        });
        return command;
    }

    private sealed record Fixed(TaskDefinition Definition, RoleFixes Roles, FixVerification? Verification);

    // With sources, the current roles are read through the role directory the audit pipeline would use for these task definitions.
    private static async Task<List<Fixed>> FixAllAsync(Auditor auditor, IReadOnlyList<TaskDefinition> definitions, AuditSources? sources, bool verify,
        IReadOnlyDictionary<string, string>? encryptionKeys, CancellationToken cancellationToken)
    {
        var roles = sources is null || definitions.Count == 0 ? null : RoleReadPlan.For(definitions).CreateDirectory(sources.Iam, sources.Roles);
        try
        {
            var fixes = new List<Fixed>();
            foreach (var definition in definitions)
            {
                var fix = await RoleFixes.ForAsync(auditor, definition, roles, encryptionKeys, cancellationToken).ConfigureAwait(false);
                var verification = verify ? await FixVerification.VerifyAsync(auditor, definition, fix, roles, cancellationToken).ConfigureAwait(false) : null;
                fixes.Add(new Fixed(definition, fix, verification));
            }
            return fixes;
        }
        finally
        {
            (roles as IDisposable)?.Dispose();
        }
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
                ?? throw new UsageException($"--task-definition {reference.Text}: no such task definition in the --task-definitions, --cloudformation or --terraform-plan files");
            if (!chosen.Contains(match))
            {
                chosen.Add(match);
            }
        }
        return chosen;
    }

    private static string Json(List<Fixed> fixes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Options(indented: true)))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("fixes");
            foreach (var (definition, roles, verification) in fixes)
            {
                var fix = roles.Execution;
                writer.WriteStartObject();
                writer.WriteString("taskDefinition", definition.DisplayName);
                writer.WriteString("taskDefinitionArn", definition.Arn);
                writer.WriteStartObject("executionRole");
                writer.WriteString("arn", fix.RoleArn);
                writer.WriteBoolean("create", fix.NewRole);
                WriteDocument(writer, "policy", fix.PolicyJson);
                WriteDocument(writer, "trustPolicy", fix.TrustPolicyJson);
                if (roles.CurrentExecutionRole is not null)
                {
                    writer.WriteString("policyName", ExecutionRoleFix.InlinePolicyName);
                    writer.WriteStartArray("replaces");
                    foreach (var source in roles.Replaced)
                    {
                        WriteSource(writer, source);
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
                if (roles.Task is { } task)
                {
                    WriteTaskRole(writer, task);
                }
                WriteStrings(writer, "notes", fix.Notes.Concat(roles.Task?.Notes ?? []));
                if (verification is not null)
                {
                    writer.WriteStartObject("verification");
                    writer.WriteBoolean("holds", verification.Holds);
                    WriteFindings(writer, "failures", verification.Failures);
                    WriteStrings(writer, "unfinished", verification.Unfinished);
                    if (roles.Task is not null)
                    {
                        WriteFindings(writer, "remaining", verification.Remaining);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // One section per task definition: what is detached and the notes as # lines (patch and git apply skip them), then
    // a unified diff per policy document. Names from the input are escaped; the documents are escaped JSON already.
    private static string Diff(List<Fixed> fixes)
    {
        var text = new StringBuilder();
        foreach (var (definition, roles, verification) in fixes)
        {
            text.Append("# ").Append(TerminalText.Escape(definition.DisplayName)).Append('\n');
            foreach (var detach in roles.Task?.Policies.Where(p => p.Kind == PolicyFixKind.Detach) ?? [])
            {
                text.Append("# detach ").Append(TerminalText.Escape(detach.Policy.Arn ?? detach.Policy.Name)).Append(" from ").Append(TerminalText.Escape(roles.Task!.RoleArn))
                    .Append(": ").Append(TerminalText.Escape(detach.Reason)).Append('\n');
            }
            foreach (var note in roles.Execution.Notes.Concat(roles.Task?.Notes ?? []))
            {
                text.Append("# note: ").Append(TerminalText.Escape(note)).Append('\n');
            }
            if (verification is not null)
            {
                text.Append("# verification: ").Append(verification.Holds ? "holds" : "does not hold: " + TerminalText.Escape(string.Join("; ", verification.Failures.Select(f => $"{f.RuleId} {f.Message}")))).Append('\n');
            }
            foreach (var change in roles.DocumentChanges())
            {
                var label = TerminalText.Escape($"{change.Role}/{change.Policy.Name}");
                text.Append(UnifiedDiff.Of("a/" + label, change.Before, "b/" + label, change.After));
            }
        }
        return text.ToString();
    }

    private static void WriteTaskRole(Utf8JsonWriter writer, TaskRoleFix task)
    {
        writer.WriteStartObject("taskRole");
        writer.WriteString("arn", task.RoleArn);
        writer.WriteStartArray("policies");
        foreach (var policy in task.Policies)
        {
            writer.WriteStartObject();
            writer.WriteString("change", policy.Kind switch { PolicyFixKind.Rewrite => "rewrite", PolicyFixKind.Delete => "delete", _ => "detach" });
            WriteSourceFields(writer, policy.Policy);
            WriteDocument(writer, "policy", policy.PolicyJson);
            writer.WriteString("reason", policy.Reason);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("moved");
        foreach (var moved in task.Moved)
        {
            writer.WriteStartObject();
            WriteSourceFields(writer, moved.Policy);
            writer.WriteString("statement", moved.Statement);
            WriteStrings(writer, "actions", moved.Actions);
            writer.WriteBoolean("wholeStatement", moved.WholeStatement);
            writer.WriteString("to", moved.Destination);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSource(Utf8JsonWriter writer, FindingSource source)
    {
        writer.WriteStartObject();
        WriteSourceFields(writer, source);
        writer.WriteEndObject();
    }

    // A policy as IAM names it: an inline policy by name, a managed one by ARN (and whether AWS owns it).
    private static void WriteSourceFields(Utf8JsonWriter writer, FindingSource source)
    {
        writer.WriteString("kind", source.Kind == SourceKind.InlinePolicy ? "inline" : source.IsAwsManagedPolicy ? "awsManaged" : "customerManaged");
        writer.WriteString(source.Kind == SourceKind.InlinePolicy ? "name" : "arn", source.Kind == SourceKind.InlinePolicy ? source.Name : source.Arn ?? source.Name);
    }

    private static void WriteFindings(Utf8JsonWriter writer, string name, IEnumerable<Finding> findings)
    {
        writer.WriteStartArray(name);
        foreach (var finding in findings)
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", finding.RuleId);
            writer.WriteString("severity", finding.Severity.Name());
            writer.WriteString("message", finding.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
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
