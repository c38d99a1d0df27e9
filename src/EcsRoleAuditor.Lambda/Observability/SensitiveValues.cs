using System.Collections;

namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>
/// The values of the environment variables that must never reach a log line or an error report (credentials, the
/// topic ARN, the suppression patterns, anything named like a secret), and the redaction of them from text. Log
/// messages and exception messages are written by code that cannot know every value it interpolates; redacting at the
/// single point of output is what makes "no environment value or secret in a log line" hold.
/// </summary>
internal sealed class SensitiveValues
{
    /// <summary>What replaces a sensitive value in output.</summary>
    public const string Placeholder = "[redacted]";

    // Shorter values are not redacted: a value of a few characters ("1", "true", "HIGH") also occurs in ordinary text
    // and replacing it would garble lines without protecting anything secret.
    private const int MinimumLength = 6;

    /// <summary>Variables that are always treated as sensitive, whatever their names suggest.</summary>
    public static IReadOnlyList<string> AlwaysSensitiveNames { get; } =
    [
        "ALERT_TOPIC_ARN", "SUPPRESSIONS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_LAMBDA_RUNTIME_API",
    ];

    // Name fragments that mark a variable someone added later as a secret (API_KEY, SLACK_TOKEN, DB_PASSWORD, ...).
    private static readonly string[] SecretNameFragments = ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE", "API_KEY", "ACCESS_KEY"];

    private readonly string[] values;

    private SensitiveValues(IEnumerable<string> values)
    {
        // Longest first, so a value that contains another sensitive value is replaced whole.
        // A set and Array.Sort rather than Distinct/OrderByDescending: this runs at every cold start, where under Native
        // AOT a LINQ chain's generic virtual calls are instantiated at run time (docs/benchmarks.md).
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value.Length >= MinimumLength)
            {
                distinct.Add(value);
            }
        }
        this.values = [.. distinct];
        Array.Sort(this.values, (a, b) => a.Length != b.Length ? b.Length.CompareTo(a.Length) : string.CompareOrdinal(a, b));
    }

    /// <summary>Nothing is sensitive (tests that check the exact text of a line).</summary>
    public static SensitiveValues None { get; } = new([]);

    /// <summary>The sensitive values of this process's environment.</summary>
    public static SensitiveValues FromEnvironment()
    {
        var variables = new List<KeyValuePair<string, string?>>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables.Add(new KeyValuePair<string, string?>((string)entry.Key, entry.Value as string));
        }
        return FromVariables(variables);
    }

    /// <summary>The sensitive values among <paramref name="variables"/> (name, value pairs).</summary>
    public static SensitiveValues FromVariables(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var sensitive = new List<string>();
        foreach (var (name, value) in variables)
        {
            if (!string.IsNullOrEmpty(value) && IsSensitiveName(name))
            {
                sensitive.Add(value);
            }
        }
        return new SensitiveValues(sensitive);
    }

    /// <summary>Whether a variable of this name is treated as sensitive.</summary>
    public static bool IsSensitiveName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return AlwaysSensitiveNames.Contains(name, StringComparer.OrdinalIgnoreCase)
            || SecretNameFragments.Any(fragment => name.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The text with every sensitive value replaced by <see cref="Placeholder"/>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var value in values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, Placeholder, StringComparison.Ordinal);
            }
        }
        return text;
    }
}
