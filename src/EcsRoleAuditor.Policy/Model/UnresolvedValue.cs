using System.Text.RegularExpressions;

namespace EcsRoleAuditor.Policy.Model;

/// <summary>
/// A value infrastructure code leaves to deployment (a generated name, an import, a parameter without a value, an
/// attribute known after apply), written into a document as a policy variable no request ever defines:
/// <c>${unresolved.DataBucket.Arn}</c> (no colon, so an ARN holding one still splits into its parts). The engine already reads an unknown variable in a Resource or a condition value
/// as "some value it does not know", so a statement naming one is neither allowed nor denied on a guess; and the
/// same expression stands for the same value wherever it appears.
/// </summary>
public static partial class UnresolvedValue
{
    /// <summary>The variable-name prefix of a marker.</summary>
    public const string Prefix = "${unresolved.";

    /// <summary>The marker for <paramref name="expression"/> (<c>DataBucket.Arn</c>, <c>var.bucket</c>); a colon becomes '-', any other character but letters, digits, '.', '_' and '-' becomes '_'.</summary>
    public static string For(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        expression = expression.Replace("::", ":", StringComparison.Ordinal); // AWS::StackName reads AWS-StackName
        var name = string.Create(expression.Length, expression, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                span[i] = c == ':' ? '-' : char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_';
            }
        });
        return Prefix + name + "}";
    }

    /// <summary>
    /// The account infrastructure code's own ARNs are written in when no account is given or found: IAM never assigns
    /// it, and what it stands for is unknown, so no condition on the account is decided against it.
    /// </summary>
    public const string StandInAccount = "000000000000";

    /// <summary>What the six random characters that end a secret's ARN are written as when infrastructure code creates the secret.</summary>
    public const string SecretSuffix = "XXXXXX";

    /// <summary>True when <paramref name="text"/> holds a marker or is a secret ARN ending in <see cref="SecretSuffix"/>: a value only deployment gives.</summary>
    public static bool IsDeployTime(string? text) =>
        IsIn(text) || (text is not null && text.Contains(":secretsmanager:", StringComparison.Ordinal) && text.EndsWith("-" + SecretSuffix, StringComparison.Ordinal));

    /// <summary>True when <paramref name="text"/> holds a marker.</summary>
    public static bool IsIn(string? text) => text is not null && text.Contains(Prefix, StringComparison.Ordinal);

    /// <summary>True when <paramref name="text"/> is one marker and nothing else: not even its service or kind is known.</summary>
    public static bool IsWhole(string? text) => text is not null && Marker().Match(text) is { Success: true, Index: 0 } match && match.Length == text.Length;

    /// <summary>The distinct markers in <paramref name="text"/>, in order.</summary>
    public static IEnumerable<string> In(string text) => Marker().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"\$\{unresolved\.[A-Za-z0-9._-]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}
