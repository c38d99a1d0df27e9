using System.Text.RegularExpressions;

namespace EcsRoleAuditor.EventAudit.Configuration;

/// <summary>The shapes of the AWS names the function takes from its settings and from events before using them in ARNs.</summary>
public static partial class AwsNames
{
    /// <summary>A 12-digit account id.</summary>
    public static bool IsAccountId(string? text) => text is { Length: 12 } && text.All(char.IsAsciiDigit);

    /// <summary>A region name: us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1 (dash-separated lowercase words, then a number).</summary>
    public static bool IsRegion(string? text) => text is not null && RegionPattern().IsMatch(text);

    /// <summary>An IAM role name: 1 to 64 of letters, digits and <c>+=,.@_-</c> (IAM API Reference, CreateRole, RoleName).</summary>
    public static bool IsRoleName(string? text) => text is not null && RoleNamePattern().IsMatch(text);

    /// <summary>An organization id: <c>o-</c> and 10 to 32 lowercase letters or digits (Organizations API Reference, Organization, Id).</summary>
    public static bool IsOrganizationId(string? text) => text is not null && OrganizationIdPattern().IsMatch(text);

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[A-Za-z0-9_+=,.@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex("^o-[a-z0-9]{10,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex OrganizationIdPattern();
}
