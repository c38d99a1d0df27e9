using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws;

/// <summary>
/// What the fake AWS serves for one account in one region: IAM roles and managed policies, ECS task definitions, SNS
/// topics, SQS queues. A server may serve several (<see cref="FakeAwsServer.StartAsync(IEnumerable{FakeAccount}, FakeOrganization?, CancellationToken)"/>).
/// Load it from the same files the offline audit reads (<see cref="Load"/>, <see cref="FromJson"/>) or build it in code
/// (<see cref="AddRole(string, string, string)"/>, <see cref="AddTaskDefinition(FakeTaskDefinition)"/>, ...). The server reads the account when it
/// starts; configure it before <see cref="FakeAwsServer.StartAsync(FakeAccount, CancellationToken)"/>.
/// </summary>
public sealed class FakeAccount
{
    private readonly List<FakeRole> _roles = [];
    private readonly List<FakeManagedPolicy> _policies = [];
    private readonly List<FakeTaskDefinition> _taskDefinitions = [];
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queues = new(StringComparer.Ordinal);
    private readonly List<FakeSecret> _secrets = [];
    private readonly List<FakeParameter> _parameters = [];
    private string? _accountId;
    private string? _region;

    /// <summary>The account id; defaults to the account of the first role, policy or task definition, else 123456789012.</summary>
    public string AccountId
    {
        get => _accountId ?? FirstArnField(4, a => a != "aws") ?? "123456789012";
        set => _accountId = value;
    }

    /// <summary>The region; defaults to the region of the first task definition, else us-east-1.</summary>
    public string Region
    {
        get => _region ?? FirstArnField(3, r => r.Length > 0) ?? "us-east-1";
        set => _region = value;
    }

    /// <summary>The identity of callers that did not get their credentials from the fake's AssumeRole.</summary>
    public string CallerArn
    {
        get => field ?? $"arn:aws:iam::{AccountId}:user/auditor";
        set;
    }

    /// <summary>The roles.</summary>
    public IReadOnlyList<FakeRole> Roles => _roles;

    /// <summary>The managed policies (AWS managed ones included when the file has them).</summary>
    public IReadOnlyList<FakeManagedPolicy> ManagedPolicies => _policies;

    /// <summary>The task definition revisions.</summary>
    public IReadOnlyList<FakeTaskDefinition> TaskDefinitions => _taskDefinitions;

    /// <summary>The ARNs of the SNS topics Publish accepts.</summary>
    public IReadOnlyCollection<string> Topics => _topics;

    /// <summary>The URLs of the SQS queues SendMessageBatch accepts.</summary>
    public IReadOnlyCollection<string> Queues => _queues;

    /// <summary>The Secrets Manager secrets DescribeSecret describes.</summary>
    public IReadOnlyList<FakeSecret> Secrets => _secrets;

    /// <summary>The Parameter Store parameters DescribeParameters lists.</summary>
    public IReadOnlyList<FakeParameter> Parameters => _parameters;

    /// <summary>
    /// Loads <c>aws iam get-account-authorization-details --output json</c> output and any number of
    /// <c>aws ecs describe-task-definition --include TAGS --output json</c> outputs (each one object or an array of them).
    /// </summary>
    public static FakeAccount Load(string authorizationDetailsPath, params string[] taskDefinitionPaths)
    {
        ArgumentNullException.ThrowIfNull(taskDefinitionPaths);
        return FromJson(File.ReadAllText(authorizationDetailsPath), [.. taskDefinitionPaths.Select(File.ReadAllText)]);
    }

    /// <summary>As <see cref="Load"/>, from JSON text.</summary>
    public static FakeAccount FromJson(string authorizationDetailsJson, params string[] taskDefinitionJsons)
    {
        ArgumentNullException.ThrowIfNull(taskDefinitionJsons);
        var account = new FakeAccount();
        account.AddAuthorizationDetails(authorizationDetailsJson);
        foreach (var json in taskDefinitionJsons)
        {
            account.AddTaskDefinitions(json);
        }
        return account;
    }

    /// <summary>Adds the roles and managed policies of <c>aws iam get-account-authorization-details --output json</c> output.</summary>
    public void AddAuthorizationDetails(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        foreach (var item in CliOutput.Items(root, "Policies"))
        {
            _policies.Add(CliOutput.ManagedPolicy(item));
        }
        foreach (var item in CliOutput.Items(root, "RoleDetailList"))
        {
            _roles.Add(CliOutput.Role(item));
        }
    }

    /// <summary>Adds the task definitions of <c>aws ecs describe-task-definition --include TAGS --output json</c> output (an object or an array).</summary>
    public void AddTaskDefinitions(string json)
    {
        var root = JsonNode.Parse(json) ?? throw new ArgumentException("the task definition JSON is null", nameof(json));
        foreach (var item in root is JsonArray array ? [.. array] : new JsonNode?[] { root })
        {
            _taskDefinitions.Add(CliOutput.TaskDefinition(item as JsonObject ?? throw new ArgumentException("expected task definition objects", nameof(json))));
        }
    }

    /// <summary>Adds a role.</summary>
    public FakeRole AddRole(FakeRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        _roles.Add(role);
        return role;
    }

    /// <summary>Adds a role named <paramref name="name"/> in this account with the given trust policy.</summary>
    public FakeRole AddRole(string name, string trustPolicy, string path = "/") =>
        AddRole(new FakeRole($"arn:aws:iam::{AccountId}:role{path}{name}", trustPolicy));

    /// <summary>Adds a managed policy.</summary>
    public FakeManagedPolicy AddManagedPolicy(FakeManagedPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policies.Add(policy);
        return policy;
    }

    /// <summary>Adds a task definition revision.</summary>
    public FakeTaskDefinition AddTaskDefinition(FakeTaskDefinition taskDefinition)
    {
        ArgumentNullException.ThrowIfNull(taskDefinition);
        _taskDefinitions.Add(taskDefinition);
        return taskDefinition;
    }

    /// <summary>Adds a minimal task definition revision in this account and region (see <see cref="FakeTaskDefinition.Create"/>).</summary>
    public FakeTaskDefinition AddTaskDefinition(string family, int revision, string? taskRoleArn, string? executionRoleArn, string status = "ACTIVE") =>
        AddTaskDefinition(FakeTaskDefinition.Create(AccountId, Region, family, revision, taskRoleArn, executionRoleArn, status));

    /// <summary>Adds an SNS topic in this account and region and returns its ARN.</summary>
    public string AddTopic(string name)
    {
        var arn = $"arn:aws:sns:{Region}:{AccountId}:{name}";
        _topics.Add(arn);
        return arn;
    }

    /// <summary>Adds an SQS queue in this account and region and returns its URL, <c>https://sqs.REGION.amazonaws.com/ACCOUNT/NAME</c>.</summary>
    public string AddQueue(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var url = $"https://sqs.{Region}.amazonaws.com/{AccountId}/{name}";
        _queues.Add(url);
        return url;
    }

    /// <summary>
    /// Adds a secret: <paramref name="nameOrArn"/> is its full ARN, or a name placed in this account and region with a
    /// random suffix derived from the name. <paramref name="kmsKeyId"/> null: the AWS managed key.
    /// </summary>
    public FakeSecret AddSecret(string nameOrArn, string? kmsKeyId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrArn);
        var arn = nameOrArn.StartsWith("arn:", StringComparison.Ordinal)
            ? nameOrArn
            : $"arn:aws:secretsmanager:{Region}:{AccountId}:secret:{nameOrArn}-{FakeIds.Make("", nameOrArn)[..6]}";
        var secret = new FakeSecret(arn, kmsKeyId);
        _secrets.Add(secret);
        return secret;
    }

    /// <summary>Adds a parameter in this account and region; <paramref name="keyId"/> only for a SecureString (null: the AWS managed key).</summary>
    public FakeParameter AddParameter(string name, string type = "String", string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (type is not ("String" or "StringList" or "SecureString"))
        {
            throw new ArgumentException("a parameter is a String, StringList or SecureString", nameof(type));
        }
        var parameter = new FakeParameter(AccountId, Region, name, type, keyId);
        _parameters.Add(parameter);
        return parameter;
    }

    private string? FirstArnField(int index, Func<string, bool> accept) =>
        _roles.Select(r => r.Arn)
            .Concat(_policies.Select(p => p.Arn))
            .Concat(_taskDefinitions.Select(t => t.Arn))
            .Select(arn => arn.Split(':'))
            .Where(parts => parts.Length > index && accept(parts[index]))
            .Select(parts => parts[index])
            .FirstOrDefault();
}
