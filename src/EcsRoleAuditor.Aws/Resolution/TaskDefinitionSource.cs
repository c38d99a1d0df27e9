using System.Text.Json;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>The outcome of reading a task definition from ECS.</summary>
public abstract record TaskDefinitionLookup
{
    private TaskDefinitionLookup()
    {
    }

    /// <summary>The reference as given (<c>family</c>, <c>family:revision</c> or an ARN).</summary>
    public abstract string Reference { get; init; }

    /// <summary>The task definition was read.</summary>
    public sealed record Found(string Reference, TaskDefinition Definition) : TaskDefinitionLookup
    {
        /// <summary>The DescribeTaskDefinition answer it was read from, as ECS sent it (null when it came from elsewhere).</summary>
        public string? Answer { get; init; }
    }

    /// <summary>It could not be read; <see cref="AwsFailure.Kind"/> says why (not found, access denied, throttled...), <see cref="AwsFailure.Describe"/> says it to a person.</summary>
    public sealed record Failed(string Reference, AwsFailure Failure) : TaskDefinitionLookup;
}

/// <summary>A list of task definition ARNs, complete or cut short by a failure.</summary>
/// <param name="Arns">The ARNs read.</param>
/// <param name="Failure">Why the list is incomplete, or null when it is complete.</param>
public sealed record TaskDefinitionListing(IReadOnlyList<string> Arns, AwsFailure? Failure);

/// <summary>
/// Task definitions from ECS: DescribeTaskDefinition (with tags) read by <see cref="TaskDefinitionReader"/>, and the
/// listings a sweep starts from. AWS errors are returned as values, never thrown.
/// </summary>
public sealed class TaskDefinitionSource(IEcsApi ecs)
{
    private readonly IEcsApi _ecs = ecs ?? throw new ArgumentNullException(nameof(ecs));

    /// <summary>Reads <c>family</c> (its latest ACTIVE revision), <c>family:revision</c> or a task definition ARN.</summary>
    public async Task<TaskDefinitionLookup> DescribeAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string body;
        try
        {
            body = await _ecs.DescribeTaskDefinitionAsync(reference, includeTags: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            var failure = AwsFailure.From(e, AwsActions.DescribeTaskDefinition, reference);
            // ECS reports a missing task definition as ClientException ("Unable to describe task definition.").
            return new TaskDefinitionLookup.Failed(reference, failure.ErrorCode == "ClientException" ? failure with { Kind = AwsFailureKind.NotFound } : failure);
        }
        return Read(reference, body);
    }

    /// <summary>Reads a DescribeTaskDefinition answer for <paramref name="reference"/>: exactly one task definition, or a failure saying why not.</summary>
    public static TaskDefinitionLookup Read(string reference, string answer)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            using var document = JsonDocument.Parse(answer);
            var definitions = TaskDefinitionReader.Read(document.RootElement, $"{AwsActions.DescribeTaskDefinition.Action} {reference}");
            return definitions.Count == 1
                ? new TaskDefinitionLookup.Found(reference, definitions[0]) { Answer = answer }
                : new TaskDefinitionLookup.Failed(reference, Unexpected(reference, $"{definitions.Count} task definitions in one answer"));
        }
        catch (Exception e) when (e is JsonException or InputException)
        {
            return new TaskDefinitionLookup.Failed(reference, Unexpected(reference, e.Message));
        }
    }

    /// <summary>
    /// The newest revision of every ACTIVE family, by the cheaper of two listings. ListTaskDefinitions (ACTIVE, every
    /// page) names R ACTIVE revisions in R/100 requests; ListTaskDefinitionFamilies and then one ListTaskDefinitions
    /// per family (newest first, first item) costs about one request per family. The first wins unless families keep
    /// about 100 ACTIVE revisions each, so it is tried first and abandoned for the second once its pages outnumber the
    /// families it has found: never much more than twice the cheaper listing.
    /// </summary>
    public async Task<TaskDefinitionListing> ListLatestActiveAsync(CancellationToken cancellationToken)
    {
        var newest = new Dictionary<string, (int Revision, string Arn)>(StringComparer.Ordinal);
        var pages = 0;
        var operation = AwsActions.ListTaskDefinitions;
        try
        {
            await foreach (var page in Pages.ReadAllAsync(operation,
                (token, ct) => _ecs.ListTaskDefinitionsAsync(new TaskDefinitionListFilter(Status: TaskDefinitionStatus.Active), token, ct), cancellationToken).ConfigureAwait(false))
            {
                foreach (var arn in page.Items)
                {
                    // Keyed by the ARN without its revision: by name alone, the same family in another account or region
                    // would hide this one's newest. An ARN without a revision is kept as its own family: describing it
                    // says what is wrong with it.
                    var reference = TaskDefinitionReference.Parse(arn);
                    var (family, revision) = reference.Revision is { } number ? (arn[..arn.LastIndexOf(':')], number) : (arn, 0);
                    if (!newest.TryGetValue(family, out var known) || known.Revision < revision)
                    {
                        newest[family] = (revision, arn);
                    }
                }
                if (++pages > newest.Count + 1)
                {
                    return await ListLatestPerFamilyAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            return new TaskDefinitionListing([], AwsFailure.From(e, operation, "ACTIVE task definitions"));
        }
        return new TaskDefinitionListing([.. newest.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value.Arn)], null);
    }

    private async Task<TaskDefinitionListing> ListLatestPerFamilyAsync(CancellationToken cancellationToken)
    {
        var families = await ListAllAsync(AwsActions.ListTaskDefinitionFamilies, "ACTIVE families",
            (token, ct) => _ecs.ListTaskDefinitionFamiliesAsync(null, TaskDefinitionStatus.Active, token, ct), firstOnly: false, cancellationToken).ConfigureAwait(false);
        var arns = new List<string>();
        if (families.Failure is not null)
        {
            return families;
        }
        // A family named twice is listed once: else its newest revision would be described and audited twice.
        foreach (var family in families.Arns.Distinct(StringComparer.Ordinal))
        {
            var latest = await ListNewestActiveAsync(family, cancellationToken).ConfigureAwait(false);
            if (latest.Failure is not null)
            {
                return new TaskDefinitionListing(arns, latest.Failure);
            }
            arns.AddRange(latest.Arns);
        }
        return new TaskDefinitionListing(arns, null);
    }

    /// <summary>
    /// The newest ACTIVE revision of one family: ListTaskDefinitions (<c>familyPrefix</c> is the full family name, newest
    /// first), its first item; no ARN when the family has no ACTIVE revision.
    /// </summary>
    public Task<TaskDefinitionListing> ListNewestActiveAsync(string family, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(family);
        return ListAllAsync(AwsActions.ListTaskDefinitions, $"family {family}",
            (token, ct) => _ecs.ListTaskDefinitionsAsync(new TaskDefinitionListFilter(family, TaskDefinitionStatus.Active, Descending: true), token, ct),
            firstOnly: true, cancellationToken);
    }

    /// <summary>Every ACTIVE revision of every family (ListTaskDefinitions, all pages).</summary>
    public Task<TaskDefinitionListing> ListAllActiveAsync(CancellationToken cancellationToken) =>
        ListAllAsync(AwsActions.ListTaskDefinitions, "ACTIVE task definitions",
            (token, ct) => _ecs.ListTaskDefinitionsAsync(new TaskDefinitionListFilter(Status: TaskDefinitionStatus.Active), token, ct), firstOnly: false, cancellationToken);

    private static async Task<TaskDefinitionListing> ListAllAsync(
        AwsOperation operation, string resource, Func<string?, CancellationToken, Task<Page<string>>> list, bool firstOnly, CancellationToken cancellationToken)
    {
        var items = new List<string>();
        try
        {
            await foreach (var page in Pages.ReadAllAsync(operation, list, cancellationToken).ConfigureAwait(false))
            {
                items.AddRange(page.Items);
                if (firstOnly && items.Count > 0)
                {
                    return new TaskDefinitionListing(items.GetRange(0, 1), null);
                }
            }
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            return new TaskDefinitionListing(items, AwsFailure.From(e, operation, resource));
        }
        return new TaskDefinitionListing(items, null);
    }

    /// <summary>The error code of a failure whose answer arrived but could not be read as one task definition.</summary>
    public const string UnexpectedResponse = "UnexpectedResponse";

    private static AwsFailure Unexpected(string reference, string message) =>
        new(AwsFailureKind.Other, AwsActions.DescribeTaskDefinition, reference, UnexpectedResponse, message);
}
