using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Reporting;

/// <summary>A place in a file the user wrote: the file and, when known, the 1-based line.</summary>
public sealed record SourceSpot(string File, int? Line);

/// <summary>
/// Where infrastructure code declares what a finding is about, so SARIF results point at the line to change: the
/// statement, else the policy, else the role, for findings on a role; the field, else the task definition, for findings
/// on a task definition. Roles are keyed by ARN, policies by kind and name (managed ones and boundaries by ARN), statements by label
/// (Sid or <c>#index</c>), task definition fields by the path findings name (<c>containerDefinitions[0].secrets[1]</c>).
/// </summary>
public sealed class SourceLocations
{
    private readonly Dictionary<string, SourceSpot> _taskDefinitions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string TaskDefinition, string Field), SourceSpot> _fields = [];
    private readonly Dictionary<string, SourceSpot> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Role, SourceKind Kind, string Policy), SourceSpot> _policies = [];
    private readonly Dictionary<(string Role, SourceKind Kind, string Policy, string Statement), SourceSpot> _statements = [];

    /// <summary>No locations.</summary>
    public static SourceLocations None { get; } = new();

    /// <summary>Locates a task definition (by <c>family:revision</c> or family, as reports name it) and, optionally, its fields.</summary>
    public void AddTaskDefinition(string name, SourceSpot spot, IEnumerable<KeyValuePair<string, SourceSpot>>? fields = null)
    {
        _taskDefinitions[name] = spot;
        foreach (var (field, fieldSpot) in fields ?? [])
        {
            _fields[(name, field)] = fieldSpot;
        }
    }

    /// <summary>Locates a role by ARN.</summary>
    public void AddRole(string roleArn, SourceSpot spot) => _roles[roleArn] = spot;

    /// <summary>Locates one of a role's policies and, optionally, its statements by label.</summary>
    public void AddPolicy(string roleArn, FindingSource policy, SourceSpot spot, IEnumerable<KeyValuePair<string, SourceSpot>>? statements = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policies[(roleArn, policy.Kind, Key(policy))] = spot;
        foreach (var (label, statementSpot) in statements ?? [])
        {
            _statements[(roleArn, policy.Kind, Key(policy), label)] = statementSpot;
        }
    }

    /// <summary>The most precise place known for <paramref name="finding"/> of <paramref name="report"/>, or null.</summary>
    public SourceSpot? Find(TaskDefinitionReport report, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Source.Kind != SourceKind.TaskDefinition && finding.RoleArn is { } role)
        {
            var policy = Key(finding.Source);
            if (finding.Statement is { } statement && _statements.TryGetValue((role, finding.Source.Kind, policy, statement), out var atStatement))
            {
                return atStatement;
            }
            if (_policies.TryGetValue((role, finding.Source.Kind, policy), out var atPolicy))
            {
                return atPolicy;
            }
            if (_roles.TryGetValue(role, out var atRole))
            {
                return atRole;
            }
        }
        var name = _taskDefinitions.ContainsKey(report.DisplayName) ? report.DisplayName : report.Family;
        if (finding.Source.Kind == SourceKind.TaskDefinition)
        {
            // A finding may name a field below the one located (…secrets[1].valueFrom): the nearest located ancestor.
            foreach (var field in Ancestors(finding.Source.Name))
            {
                if (_fields.TryGetValue((name, field), out var atField))
                {
                    return atField;
                }
            }
        }
        return _taskDefinitions.GetValueOrDefault(name);
    }

    // Managed policies and boundaries by ARN (their name and version are the reader's), the others by name.
    private static string Key(FindingSource source) => source.Arn ?? source.Name;

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var end = path.Length; end > 0; end = Math.Max(path.LastIndexOf('.', end - 1), path.LastIndexOf('[', end - 1)))
        {
            yield return path[..end];
        }
    }
}
