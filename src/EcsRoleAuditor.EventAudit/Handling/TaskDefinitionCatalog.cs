using System.Runtime.CompilerServices;
using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Handling;

/// <summary>The account's task definitions through ECS: one described, or the ACTIVE ones listed.</summary>
/// <param name="ecs">The ECS client.</param>
public sealed class TaskDefinitionCatalog(IEcsApi ecs)
{
    /// <summary>DescribeTaskDefinition (with tags, for tag suppressions) read into the audit's model.</summary>
    public async Task<TaskDefinition> DescribeAsync(string reference, CancellationToken cancellationToken)
    {
        var json = await ecs.DescribeTaskDefinitionAsync(reference, includeTags: true, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(json);
        return TaskDefinitionReader.Read(document.RootElement, $"DescribeTaskDefinition {reference}") is [var definition]
            ? definition
            : throw new InputException($"DescribeTaskDefinition {reference}: expected one task definition");
    }

    /// <summary>
    /// The ARNs of the ACTIVE task definitions: each ACTIVE family's latest revision, or every ACTIVE revision when
    /// <paramref name="allRevisions"/>.
    /// </summary>
    public async IAsyncEnumerable<string> ListActiveAsync(bool allRevisions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? familyToken = null;
        do
        {
            var families = await ecs.ListTaskDefinitionFamiliesAsync(null, TaskDefinitionStatus.Active, familyToken, cancellationToken).ConfigureAwait(false);
            foreach (var family in families.Items)
            {
                string? revisionToken = null;
                do
                {
                    // Newest first, so the latest revision is the first item of the first page.
                    var revisions = await ecs.ListTaskDefinitionsAsync(new TaskDefinitionListFilter(family, TaskDefinitionStatus.Active, Descending: true), revisionToken, cancellationToken).ConfigureAwait(false);
                    foreach (var arn in allRevisions ? revisions.Items : revisions.Items.Take(1))
                    {
                        yield return arn;
                    }
                    revisionToken = allRevisions || revisions.Items.Count == 0 ? revisions.NextMarker : null;
                }
                while (revisionToken is not null);
            }
            familyToken = families.NextMarker;
        }
        while (familyToken is not null);
    }
}
