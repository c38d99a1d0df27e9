using System.Diagnostics.CodeAnalysis;
using EcsRoleAuditor.Audit.Model;
using AwsArn = EcsRoleAuditor.Policy.Model.Arn;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// A role as a task definition names it: an ARN in any partition (<c>arn:aws:iam::111122223333:role/service-role/web</c>,
/// <c>arn:aws-cn:iam::...</c>) or a bare name (<c>web</c>). IAM reads roles by name, the last segment of the ARN (the path
/// is not part of the name).
/// </summary>
public sealed record RoleReference(string Text, string Name, string? Arn, string? Account)
{
    /// <summary>Parses a reference; null when it is an ARN but not an IAM role ARN.</summary>
    public static RoleReference? Parse(string text)
    {
        if (!AwsArn.TryParse(text, out var arn))
        {
            return text.Length > 0 && !text.StartsWith("arn:", StringComparison.Ordinal) && !text.Contains('/', StringComparison.Ordinal)
                ? new RoleReference(text, text, null, null)
                : null;
        }
        if (arn.Service != "iam" || !arn.Resource.StartsWith("role/", StringComparison.Ordinal))
        {
            return null;
        }
        return arn.ResourceName.Length == 0 ? null : new RoleReference(text, arn.ResourceName, text, arn.Account);
    }

    /// <summary>What an "access denied" message names: the ARN when the task definition gave one, else the name.</summary>
    public string Resource => Arn ?? $"role {Name}";

    /// <summary>
    /// Parses <paramref name="text"/> and checks it can be read: a malformed reference is not found, a role in another
    /// account than the auditor's is unreadable (IAM answers for the caller's own account, so reading it would be wrong).
    /// </summary>
    /// <returns>True with <paramref name="reference"/> to read, or false with the <paramref name="answer"/>.</returns>
    internal static bool TryRead(string text, IamRoleDirectoryOptions options, [NotNullWhen(true)] out RoleReference? reference, [NotNullWhen(false)] out RoleLookup? answer)
    {
        reference = Parse(text);
        if (reference is null)
        {
            answer = new RoleLookup.NotFound(text, "not an IAM role ARN or role name");
            return false;
        }
        if (options.AccountId is { } auditedAccount && reference.Account is { } account && !string.Equals(account, auditedAccount, StringComparison.Ordinal))
        {
            answer = new RoleLookup.Unreadable(text, options.Source is { } source
                ? $"the role is in account {account}, {source} holds account {auditedAccount} (audit account {account} with its own get-account-authorization-details output)"
                : $"the role is in account {account}, the auditor reads account {auditedAccount} (audit account {account} with a role assumed there)");
            reference = null;
            return false;
        }
        answer = null;
        return true;
    }

    /// <summary>
    /// Adapts a lookup of the role by name to this reference: an ARN whose path or account differs from the role's real
    /// ARN names no role (ECS would fail to assume it), as in the offline snapshot.
    /// </summary>
    internal RoleLookup Answer(RoleLookup byName) => byName switch
    {
        RoleLookup.Found found when Arn is not null && !string.Equals(found.Role.Arn, Arn, StringComparison.OrdinalIgnoreCase) =>
            new RoleLookup.NotFound(Text, $"no role with this ARN: the role named {Name} is {found.Role.Arn}"),
        RoleLookup.Found => byName,
        RoleLookup.NotFound notFound => notFound with { Reference = Text },
        RoleLookup.Unreadable unreadable => unreadable with { Reference = Text },
        _ => byName,
    };
}
