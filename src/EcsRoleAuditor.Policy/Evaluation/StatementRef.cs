using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Evaluation;

/// <summary>Points at one statement of one policy: what explanations and findings cite.</summary>
/// <param name="PolicyName">The document's <see cref="PolicyDocument.Name"/>.</param>
/// <param name="Statement">The statement.</param>
/// <param name="IsBoundary">True when the statement belongs to a permission boundary.</param>
public sealed record StatementRef(string PolicyName, Statement Statement, bool IsBoundary)
{
    /// <inheritdoc/>
    public override string ToString() => $"{PolicyName} {Statement.Label}{(IsBoundary ? " (boundary)" : "")}";
}
