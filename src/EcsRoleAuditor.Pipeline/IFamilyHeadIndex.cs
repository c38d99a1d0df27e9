namespace EcsRoleAuditor.Pipeline;

/// <summary>
/// What the findings store remembers of an account and region's task definition families: each family's newest ACTIVE
/// revision and the roles it names (a revision is immutable, so its roles never change). With it, a role or policy
/// event finds the task definitions it concerns with one read instead of listing every family and describing each
/// family's newest revision (docs/state.md, "Family heads"). Only a complete listing makes it usable: before the
/// first one, <see cref="HeadsAsync"/> answers null and the run lists as without it.
/// </summary>
public interface IFamilyHeadIndex
{
    /// <summary>The ACTIVE families' newest revisions as last recorded, or null when no complete listing was recorded yet.</summary>
    Task<IReadOnlyList<FamilyHead>?> HeadsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records newest revisions: each head replaces a family's recorded head unless a newer revision is recorded. With
    /// <paramref name="complete"/> the heads are every ACTIVE family (a listing that failed nowhere): recorded families
    /// missing from it have no ACTIVE revision any more, a newer revision recorded well before the listing began
    /// (<paramref name="listedAt"/>, less the store's listing margin) was deregistered and gives way to the listed one,
    /// and the index becomes usable. <paramref name="known"/> is what <see cref="HeadsAsync"/> gave earlier in the run
    /// (null: nothing read), so unchanged heads are not written again.
    /// </summary>
    Task RecordAsync(IReadOnlyList<FamilyHead> heads, bool complete, DateTimeOffset listedAt, IReadOnlyList<FamilyHead>? known, CancellationToken cancellationToken);

    /// <summary>
    /// Records what a listing of one family found (a deregistration or tag event): <paramref name="newest"/> replaces
    /// the family's head as a complete listing's head does (a newer revision recorded well before
    /// <paramref name="listedAt"/>, less the store's listing margin, was deregistered), and null, no ACTIVE revision,
    /// marks the family inactive under the same rule (a revision recorded within the margin is kept).
    /// </summary>
    Task ListedFamilyAsync(string family, FamilyHead? newest, DateTimeOffset listedAt, CancellationToken cancellationToken);
}

/// <summary>A family's newest ACTIVE revision and its roles as the task definition names them.</summary>
/// <param name="Family">The family.</param>
/// <param name="TaskDefinitionArn">The revision's ARN.</param>
/// <param name="Revision">The revision.</param>
/// <param name="TaskRoleArn">The task role as written (ARN or name), or null.</param>
/// <param name="ExecutionRoleArn">The execution role as written, or null.</param>
public sealed record FamilyHead(string Family, string TaskDefinitionArn, int Revision, string? TaskRoleArn, string? ExecutionRoleArn);
