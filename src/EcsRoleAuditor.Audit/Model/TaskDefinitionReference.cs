using System.Globalization;
using AwsArn = EcsRoleAuditor.Policy.Model.Arn;

namespace EcsRoleAuditor.Audit.Model;

/// <summary>
/// A task definition as events, people and DescribeTaskDefinition name it: an ARN
/// (<c>arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3</c>, in any partition), <c>family:revision</c>, or a
/// family (its latest ACTIVE revision).
/// </summary>
/// <param name="Text">The reference as given.</param>
/// <param name="Arn">The ARN, when <paramref name="Text"/> is one.</param>
/// <param name="Family">The family.</param>
/// <param name="Revision">The revision, when named.</param>
public sealed record TaskDefinitionReference(string Text, string? Arn, string Family, int? Revision)
{
    /// <summary>Parses a reference; never throws (an unparsable text is taken as a family name).</summary>
    public static TaskDefinitionReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var isArn = AwsArn.TryParse(text, out var arn);
        // The resource of a task definition ARN is task-definition/family:revision.
        var name = isArn ? arn.ResourceId : text;
        var colon = name.LastIndexOf(':');
        return colon > 0 && int.TryParse(name.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? new TaskDefinitionReference(text, isArn ? text : null, name[..colon], revision)
            : new TaskDefinitionReference(text, isArn ? text : null, name, null);
    }
}
