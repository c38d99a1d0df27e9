using System.Text.Json;
using System.Text.RegularExpressions;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// Whether a role's trust policy lets a caller call sts:AssumeRole, decided the simple way a test double can: some
/// <c>Allow</c> statement has an <c>Action</c> matching <c>sts:AssumeRole</c> (wildcards allowed) and a <c>Principal</c>
/// that is <c>*</c> or names the caller's account (<c>arn:aws:iam::ACCOUNT:root</c> or the bare id), the caller's role
/// ARN (assumed-role callers) or the caller's own ARN. Conditions are taken as met except <c>aws:PrincipalOrgID</c>,
/// which needs the caller's account in the fake organization and its id among the values (the opposite for
/// <c>...NotEquals/NotLike</c>). Deny statements, NotPrincipal and NotAction are not evaluated.
/// </summary>
internal static class TrustPolicy
{
    private const string OrgIdKey = "aws:PrincipalOrgID";

    public static bool Allows(string trustPolicy, Caller caller, ResolvedOrganization? organization)
    {
        try
        {
            using var document = JsonDocument.Parse(trustPolicy);
            return document.RootElement.TryGetProperty("Statement", out var statements)
                && Each(statements).Any(s => Allows(s, caller, organization));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Allows(JsonElement statement, Caller caller, ResolvedOrganization? organization) =>
        statement.ValueKind == JsonValueKind.Object
        && Text(statement, "Effect") == "Allow"
        && statement.TryGetProperty("Action", out var actions)
        && Each(actions).Any(a => a.ValueKind == JsonValueKind.String && Glob(a.GetString()!, "sts:AssumeRole"))
        && statement.TryGetProperty("Principal", out var principal)
        && NamesCaller(principal, caller)
        && OrganizationConditionHolds(statement, caller, organization);

    private static bool NamesCaller(JsonElement principal, Caller caller)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*";
        }
        return principal.ValueKind == JsonValueKind.Object
            && principal.TryGetProperty("AWS", out var aws)
            && Each(aws).Any(p => p.ValueKind == JsonValueKind.String && p.GetString() is { } name
                && (name == "*" || name == caller.AccountId || name == $"arn:aws:iam::{caller.AccountId}:root" || name == caller.RoleArn || name == caller.Arn));
    }

    private static bool OrganizationConditionHolds(JsonElement statement, Caller caller, ResolvedOrganization? organization)
    {
        if (!statement.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            return true;
        }
        foreach (var test in condition.EnumerateObject().Where(t => t.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var key in test.Value.EnumerateObject().Where(k => string.Equals(k.Name, OrgIdKey, StringComparison.OrdinalIgnoreCase)))
            {
                // A caller outside the organization has no aws:PrincipalOrgID: positive tests fail, negated ones pass.
                var matches = organization is not null && organization.IsMember(caller.AccountId)
                    && Each(key.Value).Any(v => v.ValueKind == JsonValueKind.String && Glob(v.GetString()!, organization.Id));
                var negated = test.Name.Contains("Not", StringComparison.Ordinal);
                if (matches == negated)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>Policy grammar allows a single value or an array wherever a list goes.</summary>
    private static IEnumerable<JsonElement> Each(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            yield return value;
            yield break;
        }
        foreach (var item in value.EnumerateArray())
        {
            yield return item;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>IAM's <c>*</c>/<c>?</c> wildcards, case-insensitive as action names are.</summary>
    private static bool Glob(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
