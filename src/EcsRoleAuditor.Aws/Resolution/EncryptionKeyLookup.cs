using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Fixes;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Audit.Needs;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// The KMS keys of the secrets and parameters task definitions' execution roles read, as <see cref="ExecutionRoleFix.For(TaskDefinition, IReadOnlyDictionary{string, string}?)"/>
/// takes them: by the resource as the needs name it, the key as Secrets Manager or SSM names it.
/// </summary>
/// <param name="Keys">The keys learned: a key ARN, key ID or alias (<c>alias/aws/...</c> for the AWS managed keys), or <see cref="ExecutionRoleFix.NoKey"/>.</param>
/// <param name="Unknown">The resources whose key could not be learned, each with why, in the order the task definitions name them.</param>
public sealed record EncryptionKeys(IReadOnlyDictionary<string, string> Keys, IReadOnlyList<UnknownEncryptionKey> Unknown);

/// <summary>A secret or parameter whose KMS key could not be learned, and why (an AWS failure's sentence, or what kept it from being asked).</summary>
public sealed record UnknownEncryptionKey(string Resource, string Reason);

/// <summary>
/// Asks Secrets Manager and SSM which KMS key encrypts each secret and parameter the execution roles of task definitions
/// read (their <c>secretsmanager:GetSecretValue</c> and <c>ssm:GetParameters</c> needs): <c>secretsmanager:DescribeSecret</c>
/// once per distinct secret, <c>ssm:DescribeParameters</c> once per 50 names (and page) per region and account, each in
/// the resource's region. Nothing is guessed: a failure leaves the resource unknown, with its reason.
/// </summary>
public static partial class EncryptionKeyLookup
{
    /// <summary>Calls in flight at once (Secrets Manager's and SSM's request rates are the account's, shared with its workloads).</summary>
    public const int MaxConcurrentCalls = 4;

    /// <summary>The most DescribeParameters pages read for one batch of names (pages may come empty with a next token).</summary>
    public const int MaxPagesPerBatch = 100;

    /// <summary>The AWS managed key of Secrets Manager, which a DescribeSecret answer without <c>KmsKeyId</c> means.</summary>
    public const string SecretsManagerAwsManagedKey = "alias/aws/secretsmanager";

    /// <summary>The AWS managed key of Parameter Store, which a SecureString parameter without <c>KeyId</c> means.</summary>
    public const string SsmAwsManagedKey = "alias/aws/ssm";

    private const string SecretSuffixPattern = "-??????";
    private const string SecretsManagerReference = "aws/reference/secretsmanager/";

    /// <summary>The keys of what <paramref name="definitions"/>' execution roles read, through <paramref name="connection"/>'s clients of each resource's region.</summary>
    public static Task<EncryptionKeys> ReadAsync(AwsConnection connection, IEnumerable<TaskDefinition> definitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ReadAsync(connection.SecretsManagerIn, connection.SsmIn, definitions, cancellationToken);
    }

    /// <summary>As above, with the clients of a region given by <paramref name="secretsManager"/> and <paramref name="ssm"/>.</summary>
    internal static async Task<EncryptionKeys> ReadAsync(
        Func<string, ISecretsManagerApi> secretsManager, Func<string, ISsmApi> ssm, IEnumerable<TaskDefinition> definitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secretsManager);
        ArgumentNullException.ThrowIfNull(ssm);
        ArgumentNullException.ThrowIfNull(definitions);
        var order = new List<string>();
        var secrets = new List<string>();
        var parameters = new List<(string Resource, string? Caller)>();
        foreach (var definition in definitions)
        {
            foreach (var need in TaskDefinitionNeeds.Derive(definition).Where(n => n.Slot == RoleSlot.Execution))
            {
                if (order.Contains(need.Resource, StringComparer.Ordinal) || need.Action is not ("secretsmanager:GetSecretValue" or "ssm:GetParameters"))
                {
                    continue;
                }
                order.Add(need.Resource);
                if (need.Action == "secretsmanager:GetSecretValue")
                {
                    secrets.Add(need.Resource);
                }
                else
                {
                    // The task definition was read from the caller's account: a parameter in another is not listed to it.
                    parameters.Add((need.Resource, definition.ArnScope?.Account));
                }
            }
        }

        var keys = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var unknown = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var batches = ParameterBatches(parameters, keys, unknown);
        var work = secrets.Select(s => (Func<CancellationToken, Task>)(token => DescribeSecretAsync(secretsManager, s, keys, unknown, token)))
            .Concat(batches.Select(b => (Func<CancellationToken, Task>)(token => DescribeParametersAsync(ssm, b, keys, unknown, token))));
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentCalls, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, options, async (call, token) => await call(token).ConfigureAwait(false)).ConfigureAwait(false);

        return new EncryptionKeys(
            keys.ToDictionary(StringComparer.Ordinal),
            [.. order.Where(unknown.ContainsKey).Select(r => new UnknownEncryptionKey(r, unknown[r]))]);
    }

    // DescribeSecret by the need's ARN; a secret named without its random suffix (NAME-??????) by its partial ARN, the ARN
    // without the suffix, which Secrets Manager resolves when it names one secret ("DescribeSecret", AWS Secrets Manager API
    // Reference: SecretId "The ARN or name of the secret"; User Guide, "Finding a secret from a partial ARN").
    private static async Task DescribeSecretAsync(
        Func<string, ISecretsManagerApi> clients, string resource, ConcurrentDictionary<string, string> keys, ConcurrentDictionary<string, string> unknown, CancellationToken cancellationToken)
    {
        if (!Arn.TryParse(resource, out var arn) || arn.Service != "secretsmanager" || !IsRegion(arn.Region))
        {
            unknown[resource] = "its ARN names no region to ask Secrets Manager in";
            return;
        }
        var partial = resource.EndsWith(SecretSuffixPattern, StringComparison.Ordinal);
        var secretId = partial ? resource[..^SecretSuffixPattern.Length] : resource;
        try
        {
            var secret = await clients(arn.Region).DescribeSecretAsync(secretId, cancellationToken).ConfigureAwait(false);
            if (secret.Arn is { } answered && !(partial ? answered.Length == secretId.Length + 7 && answered.StartsWith(secretId + "-", StringComparison.Ordinal) : answered == resource))
            {
                unknown[resource] = $"secretsmanager:DescribeSecret on {secretId} answered for another secret ({answered})";
                return;
            }
            keys[resource] = secret.KmsKeyId ?? SecretsManagerAwsManagedKey;
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            unknown[resource] = AwsFailure.From(e, AwsActions.DescribeSecret, secretId).Describe();
        }
    }

    /// <summary>Up to 50 parameter names of one region and account, and the parameter ARNs they may be the names of.</summary>
    private sealed record ParameterBatch(string Partition, string Region, string Account, List<string> Names, Dictionary<string, string> ResourceByName);

    // A parameter ARN writes its name without the leading slash of a hierarchy (parameter/prod/db is /prod/db), so a
    // name without a further slash may be either x or /x: both are asked, and the answer's names map back to the ARN.
    private static List<ParameterBatch> ParameterBatches(
        List<(string Resource, string? Caller)> parameters, ConcurrentDictionary<string, string> keys, ConcurrentDictionary<string, string> unknown)
    {
        var batches = new List<ParameterBatch>();
        var open = new Dictionary<(string, string, string), ParameterBatch>();
        foreach (var (resource, caller) in parameters)
        {
            if (!Arn.TryParse(resource, out var arn) || arn.Service != "ssm" || arn.ResourceType != "parameter" || !IsRegion(arn.Region) || arn.ResourceId.Length == 0)
            {
                unknown[resource] = "its ARN names no region or parameter to ask SSM about";
                continue;
            }
            if (arn.ResourceId.StartsWith(SecretsManagerReference, StringComparison.Ordinal))
            {
                keys[resource] = ExecutionRoleFix.NoKey; // the secret behind it is asked, and its key is the one that decrypts
                continue;
            }
            if (caller is not null && arn.Account != caller)
            {
                unknown[resource] = $"it is in account {arn.Account}: ssm:DescribeParameters lists the caller's account's parameters ({caller}), not another's";
                continue;
            }
            var id = arn.ResourceId;
            string[] names = id.Contains('/', StringComparison.Ordinal) ? ["/" + id] : [id, "/" + id];
            var group = (arn.Partition, arn.Region, arn.Account);
            if (!open.TryGetValue(group, out var batch) || batch.Names.Count + names.Length > ISsmApi.MaxNames)
            {
                open[group] = batch = new ParameterBatch(arn.Partition, arn.Region, arn.Account, [], new Dictionary<string, string>(StringComparer.Ordinal));
                batches.Add(batch);
            }
            foreach (var name in names)
            {
                batch.Names.Add(name);
                batch.ResourceByName[name] = resource;
            }
        }
        return batches;
    }

    // ParameterFilters [{Key: Name, Option: Equals, Values: the names}] ("ParameterStringFilter", AWS Systems Manager API
    // Reference), every page. Only a SecureString has a key; without KeyId it is the AWS managed aws/ssm.
    private static async Task DescribeParametersAsync(
        Func<string, ISsmApi> clients, ParameterBatch batch, ConcurrentDictionary<string, string> keys, ConcurrentDictionary<string, string> unknown, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, List<ParameterDescription>>(StringComparer.Ordinal);
        try
        {
            var client = clients(batch.Region);
            await foreach (var page in Pages.ReadAllAsync(AwsActions.DescribeParameters, (token, ct) => client.DescribeParametersAsync(batch.Names, token, ct), MaxPagesPerBatch, cancellationToken).ConfigureAwait(false))
            {
                foreach (var parameter in page.Items)
                {
                    if (batch.ResourceByName.TryGetValue(parameter.Name, out var resource))
                    {
                        (found.TryGetValue(resource, out var list) ? list : found[resource] = []).Add(parameter);
                    }
                }
            }
        }
        catch (Exception e) when (AwsFailure.IsAwsError(e))
        {
            var reason = AwsFailure.From(e, AwsActions.DescribeParameters, $"parameters in {batch.Region} of {batch.Account}").Describe();
            foreach (var resource in batch.ResourceByName.Values.Distinct(StringComparer.Ordinal))
            {
                unknown[resource] = reason;
            }
            return;
        }
        foreach (var resource in batch.ResourceByName.Values.Distinct(StringComparer.Ordinal))
        {
            var described = found.GetValueOrDefault(resource) ?? [];
            var values = described.Select(KeyOf).Distinct(StringComparer.Ordinal).ToList();
            if (described.Count == 0)
            {
                unknown[resource] = $"ssm:DescribeParameters in {batch.Region} lists no parameter of that name";
            }
            else if (values is not [var key] || key.Length == 0)
            {
                unknown[resource] = values.Count > 1
                    ? $"the parameters {string.Join(" and ", described.Select(p => p.Name))} both have this ARN, with different keys"
                    : $"ssm:DescribeParameters gives it the type {described[0].Type ?? "(none)"}, which is none of String, StringList and SecureString";
            }
            else
            {
                keys[resource] = key;
            }
        }
    }

    private static string KeyOf(ParameterDescription parameter) => parameter.Type switch
    {
        "SecureString" => parameter.KeyId ?? SsmAwsManagedKey,
        "String" or "StringList" => ExecutionRoleFix.NoKey,
        _ => "",
    };

    // A region is asked at https://SERVICE.REGION.amazonaws.com: only what can be a region name may become part of a host.
    private static bool IsRegion(string region) => RegionName().IsMatch(region);

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+){1,3}-[0-9]{1,2}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex RegionName();
}
