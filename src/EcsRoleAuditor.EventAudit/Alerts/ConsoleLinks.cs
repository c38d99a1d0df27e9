using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.EventAudit.Alerts;

/// <summary>
/// AWS Management Console addresses for what an alert names, in the right partition and region: the commercial,
/// China and GovCloud consoles live on different hosts.
/// </summary>
internal static class ConsoleLinks
{
    /// <summary>The console's base address for the scope's partition and region.</summary>
    public static string Base(AlertScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Partition switch
        {
            "aws-cn" => $"https://{scope.Region}.console.amazonaws.cn",
            "aws-us-gov" => "https://console.amazonaws-us-gov.com",
            _ => $"https://{scope.Region}.console.aws.amazon.com",
        };
    }

    /// <summary>
    /// The task definition revision's page in the ECS console; the family's page when the revision is unknown, and the
    /// list of task definitions when <paramref name="family"/> is not a family name (an incomplete audit of "ACTIVE
    /// task definitions" names what it could not finish, not one family).
    /// </summary>
    public static string TaskDefinition(AlertScope scope, string family, int? revision)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(family);
        var path = !IsFamilyName(family) ? ""
            : revision is { } r ? $"/{family}/{r}" : $"/{family}";
        return $"{Base(scope)}/ecs/v2/task-definitions{path}?region={scope.Region}";
    }

    // ECS family names: up to 255 letters, digits, hyphens and underscores.
    private static bool IsFamilyName(string family) =>
        family.Length is > 0 and <= 255 && family.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The role's page in the IAM console; <paramref name="roleReference"/> is an ARN or a bare name.</summary>
    public static string Role(AlertScope scope, string roleReference)
    {
        ArgumentNullException.ThrowIfNull(roleReference);
        return $"{Base(scope)}/iam/home?region={scope.Region}#/roles/details/{Uri.EscapeDataString(RoleName(roleReference))}";
    }

    /// <summary>The role name of an ARN (the last path segment) or of a bare name.</summary>
    public static string RoleName(string roleReference)
    {
        ArgumentNullException.ThrowIfNull(roleReference);
        return Arn.TryParse(roleReference, out var arn) ? arn.ResourceName : roleReference;
    }
}
