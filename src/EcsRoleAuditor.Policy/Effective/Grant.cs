using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Effective;

/// <summary>One statement of a role's policies seen as what it grants or denies: which catalog actions it covers, on which resources, under which conditions.</summary>
public sealed class Grant
{
    internal Grant(StatementRef source, ActionSet actions, ImmutableArray<string> unmatchedActionPatterns, PolicyDocument document)
    {
        Source = source;
        Actions = actions;
        UnmatchedActionPatterns = unmatchedActionPatterns;
        Document = document;
    }

    /// <summary>The document the statement belongs to (its version decides whether policy variables are substituted).</summary>
    internal PolicyDocument Document { get; }

    /// <summary>The statement prepared for decisions.</summary>
    internal CompiledStatement Compiled
    {
        get
        {
            var statements = CompiledPolicy.For(Document).Statements;
            var index = Source.Statement.Index;
            return (uint)index < (uint)statements.Length && ReferenceEquals(statements[index].Statement, Source.Statement)
                ? statements[index]
                : Array.Find(statements, s => ReferenceEquals(s.Statement, Source.Statement))!;
        }
    }

    /// <summary>The statement and the policy it belongs to.</summary>
    public StatementRef Source { get; }

    /// <summary>Allow or Deny.</summary>
    public Effect Effect => Source.Statement.Effect;

    /// <summary>The catalog actions the statement covers (for <c>NotAction</c>: every catalog action it does not name). Do not modify.</summary>
    public ActionSet Actions { get; }

    /// <summary>Action patterns of the statement that name no catalog action (typos, unknown services, brand-new actions), kept literally.</summary>
    public ImmutableArray<string> UnmatchedActionPatterns { get; }

    /// <summary>The statement's <c>Resource</c>/<c>NotResource</c> element (null when it has neither).</summary>
    public ResourceList? Resources => Source.Statement.Resources;

    /// <summary>The statement's condition clauses.</summary>
    public ImmutableArray<ConditionClause> Conditions => Source.Statement.Conditions;

    /// <summary>The context keys the statement's resource entries name as policy variables (none in a version 2008 document, which substitutes none).</summary>
    public IEnumerable<string> ResourceVariableKeys => Document.PolicyVariablesEnabled && Resources is { } resources
        ? resources.Patterns.SelectMany(PolicyVariables.ReferencedKeys).Distinct(StringComparer.OrdinalIgnoreCase)
        : [];

    /// <summary>True when the statement applies only under conditions.</summary>
    public bool IsConditional => !Conditions.IsEmpty;

    /// <summary>True for <c>NotAction</c>: the statement covers everything except what it names, including actions that do not exist yet.</summary>
    public bool UsesNotAction => Source.Statement.Actions?.IsNegated == true;

    /// <summary>True for <c>NotResource</c>: the statement covers every resource except those it names.</summary>
    public bool UsesNotResource => Resources?.IsNegated == true;

    /// <summary>True when the statement covers every resource: <c>Resource: "*"</c> (or no Resource element).</summary>
    public bool CoversAnyResource => Resources is null || (!Resources.IsNegated && Resources.Patterns.Contains("*"));

    /// <summary>True when the statement covers every resource unconditionally.</summary>
    public bool IsUnconditionalOnAnyResource => CoversAnyResource && !IsConditional;

    /// <inheritdoc/>
    public override string ToString() => Source.ToString();
}
