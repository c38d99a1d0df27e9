using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA050: a plaintext environment variable of a container looks like a secret. Its value is never printed.</summary>
public sealed partial class PlaintextSecretInEnvironmentRule : IAuditRule
{
    /// <summary>ERA050, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA050",
        "Plaintext environment variable looks like a secret",
        Severity.High,
        "The environment of a container definition is stored in the task definition in plain text: anyone with ecs:DescribeTaskDefinition "
        + "(read-only roles, CI, the console) reads it, and it lands in CloudTrail events and every registered revision forever. "
        + "A variable is flagged by its name (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, ... but not *_URL, *_ARN, *_NAME and similar "
        + "references) or by its value (an AWS access key id, a private key, a JWT, a password in a URL, a long high-entropy string). "
        + "The finding names the container and the variable; the value is never printed.",
        "Store the value in Secrets Manager or Parameter Store (SecureString), reference it from the container's secrets, let the execution role read it, "
        + "rotate the exposed value, and deregister the revisions that hold it.",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The database password is a plaintext environment variable.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27","environment":[{"name":"DB_HOST","value":"db.internal"},{"name":"DB_PASSWORD","value":"hunter2-but-longer"}]}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution"}]}
            """),
        new("The password comes from Secrets Manager; the environment names where, not what.", """
            {"taskDefinition":{"family":"web","executionRoleArn":"arn:aws:iam::111122223333:role/web-execution",
              "containerDefinitions":[{"name":"web","image":"nginx:1.27","environment":[{"name":"DB_HOST","value":"db.internal"},{"name":"DB_PASSWORD_SECRET_ARN","value":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf"}],
                "secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf"}]}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-execution","inline":{"secrets":{"Version":"2012-10-17","Statement":[{"Sid":"ReadDbSecret","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:web/db-AbCdEf"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var definition = context.TaskDefinition;
        foreach (var container in definition.Containers)
        {
            for (var i = 0; i < container.Environment.Length; i++)
            {
                var variable = container.Environment[i];
                if (Why(variable) is not { } why)
                {
                    continue;
                }
                // Only the container, the variable's name and the kind of match are written: never the value, nor part of it.
                yield return Descriptor.For(null, RoleSlot.TaskDefinition, new FindingSource(SourceKind.TaskDefinition, $"{container.Path}.environment[{i}]"),
                    $"Container {container.Name} of {definition.DisplayName} sets {variable.Name} in plain text, and {why}.",
                    $"Store {variable.Name}'s value in Secrets Manager (or Parameter Store as a SecureString), replace the environment entry by "
                    + $"{{\"secrets\":[{{\"name\":\"{variable.Name}\",\"valueFrom\":\"{SecretArnExample(definition, variable.Name)}\"}}]}} in container {container.Name}, "
                    + "allow the execution role secretsmanager:GetSecretValue on that secret, and rotate the value: it is in every revision that held it.")
                    with { Changes = [new ProposedChange(ChangeKind.RegisterRevision, null)] };
            }
        }
    }

    /// <summary>Why the variable looks like a secret (never quoting the value), or null.</summary>
    internal static string? Why(EnvironmentVariable variable)
    {
        var value = variable.Value.Trim();
        if (value.Length == 0)
        {
            return null;
        }
        if (AccessKeyId().IsMatch(value))
        {
            return "its value is an AWS access key id";
        }
        if (PrivateKeyHeader().IsMatch(value))
        {
            return "its value is a private key";
        }
        if (Jwt().IsMatch(value))
        {
            return "its value is a JSON Web Token";
        }
        if (UrlWithPassword().IsMatch(value))
        {
            return "its value is a URL with a password in it";
        }
        if (SecretName().IsMatch(variable.Name) && !ReferenceName().IsMatch(variable.Name) && !LooksLikeSetting(value))
        {
            return "its name says it holds a secret";
        }
        if (LooksRandom(value))
        {
            return "its value is a long random-looking string";
        }
        return null;
    }

    // Values a secret-named variable can hold without being one: flags, numbers, ARNs, paths, URLs without credentials.
    private static bool LooksLikeSetting(string value) =>
        value.Length < 6
        || bool.TryParse(value, out _)
        || double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
        || value.StartsWith("arn:", StringComparison.Ordinal)
        || value.StartsWith('/')
        || value.Contains("://", StringComparison.Ordinal);

    // 32+ characters of one token, of several character classes, with at least 4.5 bits of entropy per character
    // (English words, hex digests, UUIDs and image references stay below; base64 keys and generated passwords do not).
    private static bool LooksRandom(string value)
    {
        if (value.Length < 32 || value.Any(char.IsWhiteSpace) || value.Contains("://", StringComparison.Ordinal) || value.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }
        var classes = (value.Any(char.IsUpper) ? 1 : 0) + (value.Any(char.IsLower) ? 1 : 0) + (value.Any(char.IsDigit) ? 1 : 0);
        if (classes < 3)
        {
            return false;
        }
        var entropy = value.GroupBy(c => c).Sum(g =>
        {
            var p = (double)g.Count() / value.Length;
            return -p * Math.Log2(p);
        });
        return entropy >= 4.5;
    }

    // In the task definition's partition, region and account; placeholders where the task definition has no ARN.
    private static string SecretArnExample(TaskDefinition definition, string name)
    {
        var (partition, region, account) = definition.ArnScope ?? ("aws", "REGION", "ACCOUNT");
        return Arn.Create(partition, "secretsmanager", region, account, $"secret:{definition.Family}/{name}").ToString();
    }

    [GeneratedRegex(@"(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)")]
    private static partial Regex AccessKeyId();

    [GeneratedRegex(@"-----BEGIN ([A-Z]+ )*PRIVATE KEY( BLOCK)?-----")]
    private static partial Regex PrivateKeyHeader();

    [GeneratedRegex(@"^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlWithPassword();

    [GeneratedRegex(@"PASSWORD|PASSWD|PASSPHRASE|SECRETS?($|_)|TOKENS?($|_)|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|(^|_)PWD($|_)|(^|_)PASS($|_)|AUTH_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|CLIENT_?SECRET", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // Names of references to a secret or of settings about one, not the secret itself.
    [GeneratedRegex(@"_(URL|URI|ARN|NAME|ID|PATH|FILE|ENDPOINT|HOST|PORT|REGION|TTL|EXPIRY|EXPIRES|EXPIRATION|LENGTH|TIMEOUT|HEADER|TYPE|ENABLED|DISABLED|KEY_ID|PARAMETER|PARAM|VERSION|ROTATION|AUDIENCE|ISSUER|SCOPE|FIELD|PREFIX|COUNT|SIZE|LIMIT)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceName();
}
