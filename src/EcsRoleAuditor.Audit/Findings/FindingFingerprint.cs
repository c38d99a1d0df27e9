using System.Security.Cryptography;
using System.Text;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Findings;

/// <summary>
/// The identity of a problem across audits, so that a store can alert it once and say when it is gone: the account and
/// region of the task definition, its family (not the revision: the same problem in revision 12 and 13 is one
/// problem), the rule, the role slot and role, and where in the policies it sits (policy kind, name and ARN, and the
/// statement). Severity, wording, actions and the policy version are left out: they may change while the problem
/// stays, and a store compares them to decide whether to alert again (a severity that rises).
/// </summary>
public static class FindingFingerprint
{
    /// <summary>The version prefix: a change of the fields above is a new version, so old and new fingerprints never collide.</summary>
    public const string Version = "fp1";

    /// <summary><c>fp1-</c> and 32 hex digits of the SHA-256 of the identifying fields.</summary>
    public static string Of(TaskDefinitionReport report, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(finding);
        var (account, region) = report.TaskDefinitionArn is { } arn && Arn.TryParse(arn, out var parsed) ? (parsed.Account, parsed.Region) : ("", "");
        // The unit separator cannot occur in any of the fields AWS allows, so no two field lists join to the same text.
        var identity = string.Join('\u001f', Version, account, region, report.Family, finding.Rule.Id, finding.RoleSlot.ToString(),
            finding.RoleArn ?? "", finding.Source.Kind.ToString(), finding.Source.Name, finding.Source.Arn ?? "", finding.Statement ?? "");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity));
        return $"{Version}-{Convert.ToHexStringLower(hash, 0, 16)}";
    }
}
