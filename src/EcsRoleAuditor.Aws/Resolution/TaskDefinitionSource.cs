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
    public sealed record Found(string Reference, TaskDefinition Definition) : TaskDefinitionLookup;

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
        try
        {
            using var document = JsonDocument.Parse(body);
            var definitions = TaskDefinitionReader.Read(document.RootElement, $"{AwsActions.DescribeTaskDefinition.Action} {reference}");
            return definitions.Count == 1
                ? new TaskDefinitionLookup.Found(reference, definitions[0])
                : new TaskDefinitionLookup.Failed(reference, Unexpected(reference, $"{definitions.Count} task definitions in one answer"));
        }
        catch (Exception e) when (e is JsonException or InputException)
        {
            return new TaskDefinitionLookup.Failed(reference, Unexpected(reference, e.Message));
        }
    }

    /// <summary>The latest revision of every ACTIVE family: ListTaskDefinitionFamilies, then per family ListTaskDefinitions newest first, first item only.</summary>
    public async Task<TaskDefinitionListing> ListLatestActiveAsync(CancellationToken cancellationToken)
    {
        var families = await ListAllAsync(AwsActions.ListTaskDefinitionFamilies, "ACTIVE families",
            (token, ct) => _ecs.ListTaskDefinitionFamiliesAsync(null, TaskDefinitionStatus.Active, token, ct), firstOnly: false, cancellationToken).ConfigureAwait(false);
        var arns = new List<string>();
        if (families.Failure is not null)
        {
            return families;
        }
        foreach (var family in families.Arns)
        {
            var latest = await ListAllAsync(AwsActions.ListTaskDefinitions, $"family {family}",
                (token, ct) => _ecs.ListTaskDefinitionsAsync(new TaskDefinitionListFilter(family, TaskDefinitionStatus.Active, Descending: true), token, ct),
                firstOnly: true, cancellationToken).ConfigureAwait(false);
            if (latest.Failure is not null)
            {
                return new TaskDefinitionListing(arns, latest.Failure);
            }
            arns.AddRange(latest.Arns);
        }
        return new TaskDefinitionListing(arns, null);
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
