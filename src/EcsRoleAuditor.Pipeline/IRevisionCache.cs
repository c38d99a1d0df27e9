namespace EcsRoleAuditor.Pipeline;

/// <summary>
/// DescribeTaskDefinition answers the findings store keeps, one per family: its newest ACTIVE revision as a listing
/// last found it. A revision is immutable but for its tags, so a sweep that lists the same newest revision reads the
/// kept answer instead of describing it again; a tag change describes the family and keeps the new answer, and an
/// answer is described again once it reaches the store's age limit, in case a tag change was missed (docs/state.md, "Revision
/// cache").
/// </summary>
public interface IRevisionCache
{
    /// <summary>The kept answers not yet due to be described again, one per family.</summary>
    Task<IReadOnlyList<CachedRevision>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Keeps answers of their families' newest ACTIVE revisions (as a listing found them, or as describing the family
    /// answered): each replaces what its family keeps unless that was described later. The later description wins
    /// whatever the revisions: a newer revision registered meanwhile, a tag change recorded meanwhile, and a newest
    /// revision deregistered since are all decided right.
    /// </summary>
    Task KeepAsync(IReadOnlyList<CachedRevision> answers, CancellationToken cancellationToken);
}

/// <summary>A DescribeTaskDefinition answer (with tags) as ECS sent it.</summary>
/// <param name="Family">The family.</param>
/// <param name="TaskDefinitionArn">The revision's ARN.</param>
/// <param name="Revision">The revision.</param>
/// <param name="Answer">The answer's JSON text, read by <c>TaskDefinitionReader</c> like a fresh one.</param>
/// <param name="DescribedAt">No later than the request was sent (so a tag change after it is never taken as older).</param>
public sealed record CachedRevision(string Family, string TaskDefinitionArn, int Revision, string Answer, DateTimeOffset DescribedAt);
