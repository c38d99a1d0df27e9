using System.Text.RegularExpressions;

namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>A resource type an action can be scoped to.</summary>
/// <param name="Name">The resource type name, e.g. <c>repository</c>.</param>
/// <param name="Required">True when the action always acts on a resource of this type.</param>
/// <param name="ArnTemplate">The ARN template, e.g. <c>arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}</c>; null when unknown.</param>
public sealed partial record ActionResourceType(string Name, bool Required, string? ArnTemplate)
{
    /// <summary>
    /// The ARN template as a resource pattern naming every resource of the type: the partition written in when given,
    /// every other variable <c>*</c>. Null when the template is unknown.
    /// </summary>
    public string? EveryResourcePattern(string? partition = null) =>
        ArnTemplate is null ? null
        : TemplateVariable().Replace(partition is null ? ArnTemplate : ArnTemplate.Replace("${Partition}", partition, StringComparison.Ordinal), "*");

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex TemplateVariable();
}
