using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Matching;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA046: a statement names an action the catalog does not know (a typo grants or denies nothing).</summary>
public sealed class UnknownActionRule : IAuditRule
{
    /// <summary>ERA046, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA046",
        "Action unknown to the catalog",
        Severity.Low,
        "IAM accepts any action name: a misspelt action (s3:GetObjects, secretmanager:GetSecretValue) is stored without complaint and matches "
        + "no request, so an Allow silently grants nothing — the task fails at run time — and a Deny silently protects nothing. "
        + "The finding suggests the closest known action of the same service when there is one. A brand-new action the catalog does not "
        + "know yet is reported too: update the tool's catalog. AWS managed policies are not checked: they name actions of retired services "
        + "and only AWS can edit them.",
        "Correct the action name (see the suggestion and the Service Authorization Reference), or remove it.",
        ["https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-validation.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role allows s3:GetObjects, which does not exist (s3:GetObject does).", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Sid":"Assets","Effect":"Allow","Action":"s3:GetObjects","Resource":"arn:aws:s3:::web-assets/*"}]}}}]}
            """),
        new("The action is spelt right.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"app":{"Version":"2012-10-17","Statement":[{"Sid":"Assets","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::web-assets/*"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (role, slot) in BreadthAnalysis.RolesOnce(context))
        {
            // AWS managed policies are left out: they name actions of retired services (ReadOnlyAccess still lists
            // deepcomposer:* and iot1click:*) or newer than the catalog, and nobody but AWS can edit them.
            foreach (var grant in role.Permissions.Statements.Where(g => !g.UnmatchedActionPatterns.IsEmpty && !role.SourceOf(g.Source).IsAwsManagedPolicy))
            {
                var unknown = grant.UnmatchedActionPatterns;
                var described = unknown.Select(p => Suggest(context.Catalog, p) is { } known ? $"{p} (did you mean {known}?)" : p).ToList();
                var effect = grant.Effect == Effect.Allow ? "grants nothing" : "denies nothing";
                var finding = Descriptor.For(role, grant,
                    $"{BreadthAnalysis.Cite(role, grant)}{(grant.Source.IsBoundary ? " (boundary)" : "")} of role {role.Role.Name} names {string.Join(", ", described)}, unknown to the action catalog: it {effect}.",
                    $"In {role.SourceOf(grant.Source)}, statement {grant.Source.Statement.Label}: correct or remove {string.Join(", ", unknown)}.",
                    unknown);
                yield return finding with
                {
                    RoleSlot = slot,
                    Severity = Descriptor.DefaultSeverity,
                    Changes = [new ProposedChange(grant.Source.IsBoundary ? ChangeKind.EditBoundary : ChangeKind.EditStatement, role.Role.Arn, role.SourceOf(grant.Source), grant.Source.Statement.Label)],
                };
            }
        }
    }

    /// <summary>
    /// The closest known action: within the same service by edit distance over action names, or, when the service prefix
    /// itself is unknown, the closest service that has the action (or its closest action). Null when nothing is close.
    /// </summary>
    internal static string? Suggest(ActionCatalog catalog, string pattern)
    {
        var colon = pattern.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || Wildcard.HasWildcard(pattern))
        {
            return null;
        }
        var prefix = pattern[..colon];
        var name = pattern[(colon + 1)..];
        var service = catalog.FindService(prefix)
            ?? catalog.Services.Select(s => (Service: s, Distance: EditDistance.Between(s.Prefix, prefix, ignoreCase: true)))
                .Where(c => c.Distance <= Math.Max(1, prefix.Length / 3)).OrderBy(c => c.Distance).Select(c => c.Service).FirstOrDefault();
        if (service is null)
        {
            return null;
        }
        // Names whose lengths differ by more than the accepted distance cannot be close: skipped before the quadratic work.
        var accepted = Math.Max(2, name.Length / 4);
        var best = Enumerable.Range(service.FirstActionId, service.ActionCount)
            .Select(id => catalog.Actions[id])
            .Where(a => Math.Abs(a.Name.Length - name.Length) <= accepted)
            .Select(a => (Action: a, Distance: EditDistance.Between(a.Name, name, ignoreCase: true)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Action.Id)
            .FirstOrDefault();
        return best.Action is not null && best.Distance <= accepted ? best.Action.FullName : null;
    }
}
