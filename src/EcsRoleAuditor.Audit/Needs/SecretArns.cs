using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Needs;

/// <summary>
/// Secrets Manager's ARN rules (Secrets Manager User Guide, "Permissions reference": "Secrets Manager constructs the last
/// part of the secret ARN by appending a dash and six random alphanumeric characters at the end of the secret name").
/// A request always names the full ARN; a policy matches a secret by name with <c>NAME-??????</c>, and a Resource that
/// stops at the name (<c>secret:NAME</c>) matches no secret at all.
/// </summary>
public static class SecretArns
{
    /// <summary>The pattern of the random part a full ARN ends in.</summary>
    public const string RandomSuffixPattern = "-??????";

    /// <summary>True when the ARN names a secret by its full ARN: the name followed by a hyphen and six letters or digits.</summary>
    public static bool IsFull(string arn) =>
        Arn.TryParse(arn, out var parsed) && parsed.Service == "secretsmanager" && parsed.ResourceType == "secret" && EndsInSuffix(parsed.ResourceId);

    /// <summary>
    /// What a request for the referenced secret names: the full ARN itself, or, for a reference without the random suffix,
    /// the shape of every ARN it can be (<c>NAME-??????</c>). A secret whose own name ends like a suffix is taken for a
    /// full ARN, as Secrets Manager itself takes it.
    /// </summary>
    public static string RequestShape(string referencedArn)
    {
        ArgumentNullException.ThrowIfNull(referencedArn);
        return IsFull(referencedArn) ? referencedArn : referencedArn + RandomSuffixPattern;
    }

    /// <summary>The secret's name in an ARN or shape: the resource id without the random suffix (or its pattern).</summary>
    public static string? NameOf(string arnOrShape)
    {
        if (!Arn.TryParse(arnOrShape, out var arn) || arn.Service != "secretsmanager" || arn.ResourceType != "secret")
        {
            return null;
        }
        var id = arn.ResourceId;
        return id.EndsWith(RandomSuffixPattern, StringComparison.Ordinal) || EndsInSuffix(id) ? id[..^RandomSuffixPattern.Length] : id;
    }

    /// <summary>True when a secret ARN (no wildcard) is one Secrets Manager can have issued: a name, a hyphen, six letters or digits.</summary>
    public static bool IsValidSecretArn(string arn) => IsFull(arn) && !Policy.Matching.Wildcard.HasWildcard(arn);

    private static bool EndsInSuffix(string id) =>
        id.Length > 7 && id[^7] == '-' && id.AsSpan(id.Length - 6).IndexOfAnyExcept(AlphaNumeric) < 0;

    private static readonly System.Buffers.SearchValues<char> AlphaNumeric =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}
