using System.Buffers;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.EventAudit.Events;

/// <summary>
/// What ECS accepts as a task definition reference: a family, <c>family:revision</c> or a task definition ARN. Checked
/// before anything is described or logged: a reference goes into requests, log lines and alerts, and an invocation can
/// carry megabytes where ECS allows a few hundred characters.
/// </summary>
internal static class TaskDefinitionReference
{
    /// <summary>ECS RegisterTaskDefinition, <c>family</c>: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."</summary>
    public const int MaxFamilyLength = 255;

    /// <summary>
    /// Longer than any reference ECS accepts: <c>arn:aws-us-gov:ecs:</c>, a region, a 12-digit account,
    /// <c>:task-definition/</c>, a 255-character family and a revision come to about 330 characters.
    /// </summary>
    public const int MaxLength = 512;

    /// <summary>Why an invalid reference is not audited; it never quotes the reference.</summary>
    public const string InvalidReason =
        "the task definition reference is not one ECS accepts (a family of up to 255 letters, digits, hyphens and underscores, family:revision with a positive revision, or a task definition ARN)";

    private const string ResourcePrefix = "task-definition/";

    private static readonly SearchValues<char> FamilyCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    private static readonly SearchValues<char> RegionCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>Whether ECS could accept <paramref name="reference"/>; the length is checked before anything else is read.</summary>
    public static bool IsValid(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length > MaxLength)
        {
            return false;
        }
        if (!Arn.TryParse(reference, out var arn))
        {
            return IsFamilyAndRevision(reference);
        }
        return arn.Service == "ecs"
            && Arn.Partitions.Contains(arn.Partition)
            && arn.Region.Length > 0 && !arn.Region.AsSpan().ContainsAnyExcept(RegionCharacters)
            && arn.Account.Length == 12 && !arn.Account.AsSpan().ContainsAnyExceptInRange('0', '9')
            && arn.Resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)
            && IsFamilyAndRevision(arn.Resource[ResourcePrefix.Length..]);
    }

    /// <summary>Whether <paramref name="reference"/> is a task definition ARN ECS could accept (not a family or <c>family:revision</c>).</summary>
    public static bool IsArn(string reference) => IsValid(reference) && Arn.TryParse(reference, out _);

    /// <summary>The family of a reference <see cref="IsValid"/> accepts.</summary>
    public static string FamilyOf(string reference)
    {
        if (!IsValid(reference))
        {
            throw new ArgumentException(InvalidReason, nameof(reference));
        }
        return Audit.Model.TaskDefinitionReference.Parse(reference).Family;
    }

    // family, or family:revision with a positive revision.
    private static bool IsFamilyAndRevision(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var family = colon < 0 ? text.AsSpan() : text.AsSpan(0, colon);
        return family.Length is > 0 and <= MaxFamilyLength
            && !family.ContainsAnyExcept(FamilyCharacters)
            && (colon < 0 || IsRevision(text.AsSpan(colon + 1)));
    }

    private static bool IsRevision(ReadOnlySpan<char> revision) =>
        revision.Length > 0 && !revision.ContainsAnyExceptInRange('0', '9')
        && int.TryParse(revision, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0;
}
