using System.Collections.Immutable;
using EcsRoleAuditor.Policy.Evaluation;

namespace EcsRoleAuditor.Policy.Effective;

/// <summary>What the role's policies decide for one request, given what the audit knows of its context.</summary>
public enum RequestVerdict
{
    /// <summary>Allowed whatever the unknown parts of the context are.</summary>
    Allowed,
    /// <summary>No identity Allow statement can apply.</summary>
    NotAllowed,
    /// <summary>An identity Allow can apply, but no boundary Allow can.</summary>
    OutsideBoundary,
    /// <summary>A Deny statement applies whatever the unknown parts of the context are.</summary>
    ExplicitlyDenied,
    /// <summary>Allowed or not depending on conditions the audit cannot decide (see <see cref="RequestOutcome.UndecidedAllows"/> and <see cref="RequestOutcome.UndecidedDenies"/>).</summary>
    Undecided,
}

/// <summary>The decision of one request with three-valued conditions, and the statements that make it.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Denies">The Deny statements that certainly apply (for <see cref="RequestVerdict.ExplicitlyDenied"/>).</param>
/// <param name="UndecidedAllows">Allow statements (identity or boundary) whose application the audit cannot decide, when the request hinges on them.</param>
/// <param name="UndecidedDenies">Deny statements whose application the audit cannot decide: the request is allowed unless they apply.</param>
public sealed record RequestOutcome(RequestVerdict Verdict, ImmutableArray<Grant> Denies, ImmutableArray<Grant> UndecidedAllows, ImmutableArray<Grant> UndecidedDenies);
